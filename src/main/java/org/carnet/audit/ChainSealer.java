package org.carnet.audit;

import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Links committed entries into their chain: in one transaction per batch, it locks the head rows of
 * the chains it seals (several at once: one transaction, not one per chain), hashes a batch of their
 * unsealed entries after each head, writes their positions and hashes and moves the heads. Two
 * nodes sealing the same chain take turns on its head row; heads are locked in the order of their
 * chain keys, so that two sealers of overlapping sets of chains cannot each hold what the other
 * waits for. Each head it writes is signed; once a batch has committed, the node records in its
 * witness file how far it sealed each chain.
 */
@Component
class ChainSealer {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final AuditProperties properties;
    private final Clock clock;
    private final Checkpoints checkpoints;
    private final AuditWitness witness;
    private volatile @Nullable Boolean postgres;

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

    /** Seals every unsealed entry of these chains, all of them in each transaction; the number sealed. */
    int sealChains(Collection<UUID> chains) {
        List<UUID> ordered = chains.stream().distinct().sorted().toList();
        int total = 0;
        int sealed;
        do {
            sealed = sealBatch(ordered);
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

    private int sealBatch(List<UUID> chains) {
        return sealBatch(chains, true);
    }

    private int sealBatch(List<UUID> chains, boolean mayCreateHeads) {
        Map<UUID, Head> moved = new LinkedHashMap<>();
        List<UUID> headless = new ArrayList<>();
        Integer sealed = transactions.execute(status -> {
            Map<UUID, Head> heads = readHeads(chains);
            if (heads.size() < chains.size()) {
                // New chains get their head first, in a transaction of its own: one that locks heads only
                // ever locks them in one pass, in order, whatever other sealers create meanwhile.
                chains.stream().filter(chain -> !heads.containsKey(chain)).forEach(headless::add);
                status.setRollbackOnly();
                return 0;
            }
            String marks = String.join(", ", Collections.nCopies(chains.size(), "?"));
            List<StoredEntry> entries = jdbc.query(
                    connection -> {
                        // In index order, not id order: sorting by id would read the whole backlog for each batch.
                        PreparedStatement statement = connection.prepareStatement("SELECT " + StoredEntry.COLUMNS
                                + " FROM audit_log WHERE chain_key IN (" + marks + ") AND seq IS NULL LIMIT "
                                + properties.sealBatchSize());
                        for (int i = 0; i < chains.size(); i++) {
                            statement.setObject(i + 1, chains.get(i));
                        }
                        StoredEntry.preferBinaryTransfer(statement);
                        return statement;
                    },
                    (rs, n) -> StoredEntry.read(rs));
            if (entries.isEmpty()) {
                return 0;
            }
            // The statement's four arrays: ids, positions, previous hashes, hashes. Each chain's entries
            // follow its own head, in the order they were read.
            int n = entries.size();
            Long[] ids = new Long[n];
            Long[] positions = new Long[n];
            byte[][] prevHashes = new byte[n][];
            byte[][] hashes = new byte[n][];
            EntryHasher hasher = new EntryHasher();
            for (int i = 0; i < n; i++) {
                StoredEntry entry = entries.get(i);
                Head head = Objects.requireNonNull(
                        moved.getOrDefault(entry.chainKey(), heads.get(entry.chainKey())), "the chain's head");
                long seq = head.seq() + 1;
                ids[i] = entry.id();
                positions[i] = seq;
                prevHashes[i] = head.hash();
                hashes[i] = hasher.hash(entry, seq, head.hash());
                moved.put(entry.chainKey(), new Head(seq, hashes[i]));
            }
            if (jdbc.update(SEAL, ids, positions, prevHashes, hashes) != n) {
                throw new IllegalStateException("An audit entry was sealed twice; the batch is rolled back");
            }
            OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
            int m = moved.size();
            UUID[] keys = new UUID[m];
            Long[] seqs = new Long[m];
            byte[][] headHashes = new byte[m][];
            String[] keyIds = new String[m];
            byte[][] signatures = new byte[m][];
            int i = 0;
            for (Map.Entry<UUID, Head> head : moved.entrySet()) {
                Checkpoints.SignedHead signed = checkpoints.signHead(
                        head.getKey(), head.getValue().seq(), head.getValue().hash());
                keys[i] = head.getKey();
                seqs[i] = head.getValue().seq();
                headHashes[i] = head.getValue().hash();
                keyIds[i] = signed.keyId();
                signatures[i] = signed.signature();
                i++;
            }
            if (jdbc.update(MOVE_HEADS, keys, seqs, headHashes, keyIds, signatures, now) != m) {
                throw new IllegalStateException("A chain's head vanished while it was being sealed");
            }
            return n;
        });
        if (!headless.isEmpty()) {
            if (!mayCreateHeads) {
                throw new IllegalStateException("A chain's head vanished while it was being sealed");
            }
            createHeads(headless);
            return sealBatch(chains, false);
        }
        if (sealed != null && sealed > 0) {
            // Committed: this node now vouches, outside the database, that the chains reached this far.
            moved.forEach((chain, head) -> witness.sealed(chain, head.seq(), head.hash()));
        }
        return sealed == null ? 0 : sealed;
    }

    record Head(long seq, byte[] hash) {}

    /**
     * One statement for the whole batch, its rows as four arrays: a row-by-row batch of UPDATEs
     * costs PostgreSQL a statement each, and a VALUES list a parameter per value to bind and plan.
     * MERGE over UNNEST runs on PostgreSQL 15+ and H2 alike.
     */
    /** Every head the batch moved, in one statement (the same way as {@link #SEAL}), each signed. */
    private static final String MOVE_HEADS = "MERGE INTO audit_chain_heads h USING (SELECT * FROM UNNEST("
            + "CAST(? AS UUID ARRAY), CAST(? AS BIGINT ARRAY), CAST(? AS BYTEA ARRAY), CAST(? AS VARCHAR ARRAY),"
            + " CAST(? AS BYTEA ARRAY))) AS v (chain_key, seq, head_hash, key_id, signature) ON h.chain_key = v.chain_key"
            + " WHEN MATCHED THEN UPDATE SET seq = v.seq, head_hash = v.head_hash, key_id = v.key_id,"
            + " signature = v.signature, updated_at = ?";

    private static final String SEAL = "MERGE INTO audit_log a USING (SELECT * FROM UNNEST(CAST(? AS BIGINT ARRAY),"
            + " CAST(? AS BIGINT ARRAY), CAST(? AS BYTEA ARRAY), CAST(? AS BYTEA ARRAY)))"
            + " AS v (id, seq, prev_hash, entry_hash) ON a.id = v.id WHEN MATCHED AND a.seq IS NULL"
            + " THEN UPDATE SET seq = v.seq, prev_hash = v.prev_hash, entry_hash = v.entry_hash";

    /** Gives each chain its head at position 0, signed (none is changed if it exists meanwhile). */
    private void createHeads(List<UUID> chains) {
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        transactions.executeWithoutResult(status -> {
            for (UUID chain : chains) {
                Checkpoints.SignedHead genesis = checkpoints.signHead(chain, 0, EntryHasher.genesis());
                jdbc.update(
                        "INSERT INTO audit_chain_heads (chain_key, seq, head_hash, key_id, signature, updated_at)"
                                + " VALUES (?, 0, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                        chain,
                        genesis.hash(),
                        genesis.keyId(),
                        genesis.signature(),
                        now);
            }
        });
    }

    /**
     * The chains' heads that exist, locked until the end of the transaction in the order of {@code chains}
     * (sorted), so that two sealers of overlapping sets of chains never wait for each other in a circle.
     */
    private Map<UUID, Head> readHeads(List<UUID> chains) {
        Map<UUID, Head> heads = new LinkedHashMap<>();
        RowCallbackHandler put = rs -> {
            heads.put(rs.getObject(1, UUID.class), new Head(rs.getLong(2), rs.getBytes(3)));
        };
        if (locksInSortedOrder()) {
            // PostgreSQL locks the rows of a SELECT … ORDER BY … FOR UPDATE in that order.
            jdbc.query(
                    "SELECT chain_key, seq, head_hash FROM audit_chain_heads WHERE chain_key IN ("
                            + String.join(", ", Collections.nCopies(chains.size(), "?"))
                            + ") ORDER BY chain_key FOR UPDATE",
                    put,
                    chains.toArray());
        } else {
            // H2 locks them as its plan reads them, whatever the ORDER BY: one at a time, in the list's order.
            for (UUID chain : chains) {
                jdbc.query(
                        "SELECT chain_key, seq, head_hash FROM audit_chain_heads WHERE chain_key = ? FOR UPDATE",
                        put,
                        chain);
            }
        }
        return heads;
    }

    /** Whether the database is PostgreSQL (read once). */
    private boolean locksInSortedOrder() {
        Boolean known = postgres;
        if (known == null) {
            known = "PostgreSQL".equals(jdbc.execute((ConnectionCallback<String>)
                    connection -> connection.getMetaData().getDatabaseProductName()));
            postgres = known;
        }
        return known;
    }
}
