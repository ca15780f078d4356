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

    AuditChainFixtures(
            AuditLog auditLog,
            AuditChains chains,
            AuditVerifier verifier,
            TransactionTemplate transactions,
            JdbcClient jdbc) {
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

    /** The chain's sealed positions, in position order. */
    List<Long> positions(UUID chain) {
        return jdbc.sql("SELECT seq FROM audit_log WHERE chain_key = ? AND seq IS NOT NULL ORDER BY seq")
                .param(chain)
                .query(Long.class)
                .list();
    }
}
