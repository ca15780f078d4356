package org.carnet.audit;

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Removes the oldest entries of each chain, by position and only behind a checkpoint the witness
 * already holds: the prune point of a chain is the furthest position of an authentic checkpoint in
 * the witness file signed longer than the retention ago. Neither an entry's {@code occurred_at}
 * (which a database administrator can edit) nor anything else in the database chooses what goes.
 * In the same transaction a signed START checkpoint records where verification of the chain now
 * begins; it is witnessed once committed. Without a witness nothing is pruned. On PostgreSQL the
 * entries go through {@code carnet_audit_prune}, which runs with the tables' owner's rights and
 * removes only a prefix ending at a START checkpoint: the application's role has no DELETE on them.
 */
@Component
class Retention {

    private static final Logger log = LoggerFactory.getLogger(Retention.class);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final Checkpoints checkpoints;
    private final AuditWitness witness;
    private final AuditProperties properties;
    private final Clock clock;

    Retention(
            JdbcTemplate jdbc,
            PlatformTransactionManager transactionManager,
            Checkpoints checkpoints,
            AuditWitness witness,
            AuditProperties properties,
            Clock clock) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        this.transactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.checkpoints = checkpoints;
        this.witness = witness;
        this.properties = properties;
        this.clock = clock;
    }

    /** Prunes every chain up to its witnessed prune point; the number of entries removed. */
    int prune() {
        if (witness.directory().isEmpty()) {
            log.warn("Audit entries are not pruned: no witness is configured (carnet.audit.witness.directory)");
            return 0;
        }
        Instant cutoff = clock.instant().minus(properties.retention());
        Map<UUID, Checkpoint> points = new HashMap<>();
        for (Checkpoint c : witness.checkpoints()) {
            if (c.signedAt().isAfter(cutoff) || !checkpoints.authentic(c)) {
                continue;
            }
            points.merge(c.chainKey(), c, (a, b) -> b.seq() > a.seq() ? b : a);
        }
        int removed = 0;
        for (Checkpoint point : points.values()) {
            Checkpoint[] start = new Checkpoint[1];
            Integer n = transactions.execute(status -> pruneChain(point, start));
            removed += n == null ? 0 : n;
            if (start[0] != null) {
                checkpoints.witness(List.of(start[0]));
            }
        }
        return removed;
    }

    private int pruneChain(Checkpoint point, Checkpoint[] start) {
        UUID chain = point.chainKey();
        // The head row is the chain's lock: the sealer waits while its prefix goes.
        if (jdbc.queryForList("SELECT seq FROM audit_chain_heads WHERE chain_key = ? FOR UPDATE", Long.class, chain)
                .isEmpty()) {
            return 0;
        }
        Long begins = jdbc.queryForObject(
                "SELECT MAX(seq) FROM audit_checkpoints WHERE chain_key = ? AND kind = 'START'", Long.class, chain);
        if (begins != null && begins >= point.seq()) {
            return 0; // already pruned up to there
        }
        List<byte[]> hash = jdbc.query(
                "SELECT entry_hash FROM audit_log WHERE chain_key = ? AND seq = ?",
                (rs, n) -> rs.getBytes(1),
                chain,
                point.seq());
        if (hash.isEmpty() || !Arrays.equals(hash.get(0), point.headHash())) {
            // The chain no longer matches what the witness saw: keep everything for the verifier to name.
            log.warn(
                    "Audit chain {} differs from its witnessed checkpoint at position {}: not pruned",
                    chain,
                    point.seq());
            return 0;
        }
        Checkpoint signed = checkpoints.sign(chain, point.seq(), point.headHash(), Checkpoint.Kind.START);
        checkpoints.store(signed);
        start[0] = signed;
        if (onPostgres()) {
            // The application's role may not DELETE audit rows: the owner's function removes this prefix only.
            Integer removed = jdbc.queryForObject("SELECT carnet_audit_prune(?, ?)", Integer.class, chain, point.seq());
            return removed == null ? 0 : removed;
        }
        return jdbc.update("DELETE FROM audit_log WHERE chain_key = ? AND seq <= ?", chain, point.seq());
    }

    private @Nullable Boolean postgres;

    private boolean onPostgres() {
        if (postgres == null) {
            postgres = jdbc.execute((ConnectionCallback<Boolean>) connection ->
                    connection.getMetaData().getDatabaseProductName().equals("PostgreSQL"));
        }
        return Boolean.TRUE.equals(postgres);
    }
}
