package org.carnet.audit;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * Operator actions on the hash chains. The node's sealing thread does all of them on its own
 * schedule ({@code carnet.audit.*}); these run them now, for the command line, the security
 * officer's page and tests.
 */
@Service
public class AuditChains {

    private final ChainSealer sealer;
    private final Checkpoints checkpoints;
    private final Retention retention;
    private final AuditWitness witness;

    AuditChains(ChainSealer sealer, Checkpoints checkpoints, Retention retention, AuditWitness witness) {
        this.sealer = sealer;
        this.checkpoints = checkpoints;
        this.retention = retention;
        this.witness = witness;
    }

    /** Whether a witness directory is configured (without one the log can be rewritten undetected). */
    public boolean witnessed() {
        return witness.directory().isPresent();
    }

    /** Writes this node's chain positions to the witness now (the sealer does it every sweep). */
    public void flushWitness() {
        witness.flush();
    }

    /** Seals every committed entry still waiting for its seal; the number sealed. */
    public int sealPending() {
        List<UUID> chains = sealer.chainsWithUnsealed(0);
        int sealed = 0;
        for (int from = 0; from < chains.size(); from += SealingWorker.CHAINS_PER_TRANSACTION) {
            sealed += sealer.sealChains(
                    chains.subList(from, Math.min(chains.size(), from + SealingWorker.CHAINS_PER_TRANSACTION)));
        }
        return sealed;
    }

    /** Signs the head of every chain that moved since its last checkpoint; the number signed. */
    public int checkpoint() {
        return checkpoints.signHeads();
    }

    /**
     * Removes each chain's entries up to its latest witnessed checkpoint signed longer than the
     * retention ago, leaving signed START checkpoints; the number removed.
     */
    public int prune() {
        return retention.prune();
    }

    /** Writes every checkpoint and the public key that verifies them to a file to keep elsewhere. */
    public int exportCheckpoints(Path file) {
        return checkpoints.export(file);
    }

    /** The same witness file, written to {@code out} (left open). */
    public int exportCheckpoints(java.io.Writer out) {
        return checkpoints.export(out);
    }

    /** The checkpoint signing key's public half, X.509 SubjectPublicKeyInfo in Base64. */
    public String publicKey() {
        return checkpoints.publicKey();
    }
}
