package org.carnet.audit;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Removes entries older than the retention, one chain at a time and only as a prefix of the chain:
 * in the same transaction, a signed START checkpoint records the last removed position and its hash,
 * where verification of the chain now begins.
 */
@Component
class Retention {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final Checkpoints checkpoints;
    private final AuditProperties properties;
    private final Clock clock;

    Retention(
            JdbcTemplate jdbc,
            PlatformTransactionManager transactionManager,
            Checkpoints checkpoints,
            AuditProperties properties,
            Clock clock) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        this.transactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.checkpoints = checkpoints;
        this.properties = properties;
        this.clock = clock;
    }

    /** Prunes every chain; the number of entries removed. */
    int prune() {
        OffsetDateTime cutoff =
                OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).minus(properties.retention());
        int removed = 0;
        for (UUID chain : jdbc.queryForList("SELECT chain_key FROM audit_chain_heads", UUID.class)) {
            Integer n = transactions.execute(status -> pruneChain(chain, cutoff));
            removed += n == null ? 0 : n;
        }
        return removed;
    }

    private int pruneChain(UUID chain, OffsetDateTime cutoff) {
        long headSeq = Objects.requireNonNull(
                jdbc.queryForObject(
                        "SELECT seq FROM audit_chain_heads WHERE chain_key = ? FOR UPDATE", Long.class, chain),
                "the chain head's position");
        Long firstKept = jdbc.queryForObject(
                "SELECT MIN(seq) FROM audit_log WHERE chain_key = ? AND seq IS NOT NULL AND occurred_at >= ?",
                Long.class,
                chain,
                cutoff);
        long last = firstKept == null ? headSeq : firstKept - 1;
        List<byte[]> hash = jdbc.query(
                "SELECT entry_hash FROM audit_log WHERE chain_key = ? AND seq = ?",
                (rs, n) -> rs.getBytes(1),
                chain,
                last);
        if (last < 1 || hash.isEmpty()) {
            return 0; // nothing old enough, or already pruned up to there
        }
        checkpoints.store(checkpoints.sign(chain, last, hash.get(0), Checkpoint.Kind.START));
        return jdbc.update("DELETE FROM audit_log WHERE chain_key = ? AND seq <= ?", chain, last);
    }
}
