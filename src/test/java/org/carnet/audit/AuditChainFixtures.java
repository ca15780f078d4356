package org.carnet.audit;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.carnet.shared.Action;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** Chains of synthetic audit entries for the chain tests, and what a test reads back from them. */
final class AuditChainFixtures {

    private final AuditLog auditLog;
    private final AuditChains chains;
    private final AuditVerifier verifier;
    private final TransactionTemplate transactions;
    private final JdbcClient jdbc;
    private final Checkpoints checkpoints;

    AuditChainFixtures(
            AuditLog auditLog,
            AuditChains chains,
            AuditVerifier verifier,
            TransactionTemplate transactions,
            JdbcClient jdbc,
            Checkpoints checkpoints) {
        this.checkpoints = checkpoints;
        this.auditLog = auditLog;
        this.chains = chains;
        this.verifier = verifier;
        this.transactions = transactions;
        this.jdbc = jdbc;
    }

    /** A new establishment chain with n sealed entries. */
    UUID aChainOf(int n) {
        UUID chain = UUID.randomUUID();
        record(chain, n);
        chains.sealPending();
        if (positions(chain).size() != n) {
            throw new IllegalStateException("the chain was not sealed in full");
        }
        return chain;
    }

    /** Records n reads of a patient file in an establishment's chain, unsealed. */
    void record(UUID establishment, int n) {
        transactions.executeWithoutResult(status -> {
            for (int i = 0; i < n; i++) {
                auditLog.append(new AuditLog.Stored(
                        establishment,
                        new RecordedActor(RecordedActor.Type.USER, UUID.randomUUID(), "PRACTITIONER"),
                        null,
                        UUID.randomUUID(),
                        Action.READ,
                        "patient-file",
                        List.of("first_name", "last_name"),
                        "agenda",
                        AccessEvent.Outcome.ALLOWED));
            }
        });
    }

    /** The first break verification finds in this chain, if any. */
    Optional<AuditBreak> breakOf(UUID chain) {
        return verifier.verify().breaks().stream()
                .filter(b -> b.chainKey().equals(chain))
                .findFirst();
    }

    /** The chain's head row as stored (position, hash, key id, signature): what an insider could copy. */
    Object[] headRow(UUID chain) {
        return jdbc.sql("SELECT seq, head_hash, key_id, signature FROM audit_chain_heads WHERE chain_key = ?")
                .param(chain)
                .query((rs, n) -> new Object[] {rs.getLong(1), rs.getBytes(2), rs.getString(3), rs.getBytes(4)})
                .single();
    }

    /** Puts a copied head row back, as an insider restoring an older, authentic head would. */
    void putBackHeadRow(UUID chain, Object[] row) {
        jdbc.sql("UPDATE audit_chain_heads SET seq = ?, head_hash = ?, key_id = ?, signature = ? WHERE chain_key = ?")
                .params(row[0], row[1], row[2], row[3], chain)
                .update();
    }

    /**
     * A HEAD checkpoint at this position signed eleven years ago, stored and witnessed as the node
     * would have done then: what lets retention prune up to there.
     */
    void witnessedLongAgo(UUID chain, long seq, byte[] hash) {
        Checkpoint old = checkpoints.sign(
                chain, seq, hash, Checkpoint.Kind.HEAD, java.time.Instant.now().minus(java.time.Duration.ofDays(4020)));
        checkpoints.store(old);
        checkpoints.witness(List.of(old));
    }

    /** The chain's sealed positions, in position order. */
    List<Long> positions(UUID chain) {
        return jdbc.sql("SELECT seq FROM audit_log WHERE chain_key = ? AND seq IS NOT NULL ORDER BY seq")
                .param(chain)
                .query(Long.class)
                .list();
    }
}
