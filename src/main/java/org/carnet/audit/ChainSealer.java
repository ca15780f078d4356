package org.carnet.audit;

import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Links committed entries into their chain: in one transaction per batch, it locks the chain's
 * head row, hashes a batch of the chain's unsealed entries after the head, writes their positions
 * and hashes and moves the head. Chains never wait for each other; two nodes sealing the same chain
 * take turns on its head row. Each head it writes is signed; once a batch has committed, the node
 * records in its witness file how far it sealed the chain.
 */
@Component
class ChainSealer {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final AuditProperties properties;
    private final Clock clock;
    private final Checkpoints checkpoints;
    private final AuditWitness witness;

    ChainSealer(
            JdbcTemplate jdbc,
            PlatformTransactionManager transactionManager,
            AuditProperties properties,
            Clock clock,
            Checkpoints checkpoints,
            AuditWitness witness) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactionManager);
        this.transactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.properties = properties;
        this.clock = clock;
        this.checkpoints = checkpoints;
        this.witness = witness;
    }

    /** Seals every unsealed entry of the chain; the number sealed. */
    int sealChain(UUID chain) {
        int total = 0;
        int sealed;
        do {
            sealed = sealBatch(chain);
            total += sealed;
        } while (sealed == properties.sealBatchSize());
        return total;
    }

    /** The chains that have unsealed entries with an id above this one. */
    List<UUID> chainsWithUnsealed(long afterId) {
        return jdbc.queryForList(
                "SELECT DISTINCT chain_key FROM audit_log WHERE id > ? AND seq IS NULL", UUID.class, afterId);
    }

    long maxId() {
        Long max = jdbc.queryForObject("SELECT MAX(id) FROM audit_log", Long.class);
        return max == null ? 0 : max;
    }

    private int sealBatch(UUID chain) {
        Head[] moved = new Head[1];
        Integer sealed = transactions.execute(status -> {
            Head head = lockHead(chain);
            List<StoredEntry> entries = jdbc.query(
                    connection -> {
                        // In index order, not id order: sorting by id would read the whole backlog for each batch.
                        PreparedStatement statement = connection.prepareStatement("SELECT " + StoredEntry.COLUMNS
                                + " FROM audit_log WHERE chain_key = ? AND seq IS NULL LIMIT "
                                + properties.sealBatchSize());
                        statement.setObject(1, chain);
                        StoredEntry.preferBinaryTransfer(statement);
                        return statement;
                    },
                    (rs, n) -> StoredEntry.read(rs));
            if (entries.isEmpty()) {
                return 0;
            }
            // The statement's four arrays: ids, positions, previous hashes, hashes.
            int n = entries.size();
            Long[] ids = new Long[n];
            Long[] positions = new Long[n];
            byte[][] prevHashes = new byte[n][];
            byte[][] hashes = new byte[n][];
            EntryHasher hasher = new EntryHasher();
            long seq = head.seq();
            byte[] prev = head.hash();
            for (int i = 0; i < n; i++) {
                StoredEntry entry = entries.get(i);
                seq++;
                ids[i] = entry.id();
                positions[i] = seq;
                prevHashes[i] = prev;
                hashes[i] = hasher.hash(entry, seq, prev);
                prev = hashes[i];
            }
            if (jdbc.update(SEAL, ids, positions, prevHashes, hashes) != n) {
                throw new IllegalStateException("An audit entry was sealed twice; the batch is rolled back");
            }
            Checkpoints.SignedHead signedHead = checkpoints.signHead(chain, seq, prev);
            jdbc.update(
                    "UPDATE audit_chain_heads SET seq = ?, head_hash = ?, key_id = ?, signature = ?, updated_at = ?"
                            + " WHERE chain_key = ?",
                    seq,
                    prev,
                    signedHead.keyId(),
                    signedHead.signature(),
                    OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC),
                    chain);
            moved[0] = new Head(seq, prev);
            return entries.size();
        });
        if (moved[0] != null) {
            // Committed: this node now vouches, outside the database, that the chain reached this far.
            witness.sealed(chain, moved[0].seq(), moved[0].hash());
        }
        return sealed == null ? 0 : sealed;
    }

    record Head(long seq, byte[] hash) {}

    /**
     * One statement for the whole batch, its rows as four arrays: a row-by-row batch of UPDATEs
     * costs PostgreSQL a statement each, and a VALUES list a parameter per value to bind and plan.
     * MERGE over UNNEST runs on PostgreSQL 15+ and H2 alike.
     */
    private static final String SEAL = "MERGE INTO audit_log a USING (SELECT * FROM UNNEST(CAST(? AS BIGINT ARRAY),"
            + " CAST(? AS BIGINT ARRAY), CAST(? AS BYTEA ARRAY), CAST(? AS BYTEA ARRAY)))"
            + " AS v (id, seq, prev_hash, entry_hash) ON a.id = v.id WHEN MATCHED AND a.seq IS NULL"
            + " THEN UPDATE SET seq = v.seq, prev_hash = v.prev_hash, entry_hash = v.entry_hash";

    /** The chain's head, locked until the end of the transaction; created at position 0 if new. */
    private Head lockHead(UUID chain) {
        List<Head> heads = jdbc.query(
                "SELECT seq, head_hash FROM audit_chain_heads WHERE chain_key = ? FOR UPDATE",
                (rs, n) -> new Head(rs.getLong(1), rs.getBytes(2)),
                chain);
        if (!heads.isEmpty()) {
            return heads.get(0);
        }
        Checkpoints.SignedHead genesis = checkpoints.signHead(chain, 0, EntryHasher.genesis());
        jdbc.update(
                "INSERT INTO audit_chain_heads (chain_key, seq, head_hash, key_id, signature, updated_at)"
                        + " VALUES (?, 0, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                chain,
                genesis.hash(),
                genesis.keyId(),
                genesis.signature(),
                OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC));
        return jdbc.queryForObject(
                "SELECT seq, head_hash FROM audit_chain_heads WHERE chain_key = ? FOR UPDATE",
                (rs, n) -> new Head(rs.getLong(1), rs.getBytes(2)),
                chain);
    }
}
