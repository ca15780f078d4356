package org.carnet.audit;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Walks every chain in one consistent snapshot and reports the first break of each: an entry
 * edited, deleted, inserted or moved, a chain cut short of a position that was sealed or signed,
 * an entry left unsealed for too long, a checkpoint whose signature fails. Read-only.
 */
@Service
public class AuditVerifier {

    private static final int FETCH_SIZE = 10_000;

    private final JdbcTemplate jdbc;
    private final JdbcTemplate streaming;
    private final TransactionTemplate snapshot;
    private final Checkpoints checkpoints;
    private final AuditProperties properties;
    private final Clock clock;

    AuditVerifier(
            JdbcTemplate jdbc,
            DataSource dataSource,
            PlatformTransactionManager transactionManager,
            Checkpoints checkpoints,
            AuditProperties properties,
            Clock clock) {
        this.jdbc = jdbc;
        this.streaming = new JdbcTemplate(dataSource);
        this.streaming.setFetchSize(FETCH_SIZE);
        this.snapshot = new TransactionTemplate(transactionManager);
        this.snapshot.setReadOnly(true);
        this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        this.checkpoints = checkpoints;
        this.properties = properties;
        this.clock = clock;
    }

    /** Verifies against the checkpoints stored in the database. */
    public AuditVerification verify() {
        return verify(List.of());
    }

    /** Verifies against the stored checkpoints and those of a witness file kept elsewhere. */
    public AuditVerification verify(Path witnessFile) {
        return verify(Checkpoints.read(witnessFile));
    }

    AuditVerification verify(List<Checkpoint> witnessed) {
        long started = System.nanoTime();
        return snapshot.execute(status -> walk(witnessed, started));
    }

    private record ChainContext(ChainVerifier.Start start, NavigableMap<Long, byte[]> signed, AuditBreak broken) {}

    private AuditVerification walk(List<Checkpoint> witnessed, long started) {
        List<Checkpoint> all = new ArrayList<>(checkpoints.all());
        all.addAll(witnessed);
        Map<UUID, ChainContext> contexts = contexts(all);
        Map<UUID, ChainVerifier.Head> heads = new HashMap<>();
        jdbc.query("SELECT chain_key, seq, head_hash FROM audit_chain_heads", rs -> {
            heads.put(rs.getObject(1, UUID.class), new ChainVerifier.Head(rs.getLong(2), rs.getBytes(3)));
        });
        ChainVerifier verifier = new ChainVerifier(
                clock.instant().minus(properties.unsealedBound()),
                (chain, hash) -> !jdbc.queryForList(
                                "SELECT id FROM audit_log WHERE chain_key = ? AND entry_hash = ?",
                                Long.class,
                                chain,
                                hash)
                        .isEmpty());
        List<AuditBreak> breaks = new ArrayList<>();
        Set<UUID> walked = new LinkedHashSet<>();
        long checked = 0;
        long pending = 0;
        try (Stream<StoredEntry> stream = streaming.queryForStream(
                "SELECT " + StoredEntry.COLUMNS + " FROM audit_log ORDER BY chain_key, seq NULLS LAST, id",
                (rs, n) -> StoredEntry.read(rs))) {
            PeekingRows rows = new PeekingRows(stream.iterator());
            while (rows.hasMore()) {
                UUID chain = rows.currentChain();
                walked.add(chain);
                ChainVerifier.Result result = verifyChain(verifier, chain, rows.ofChain(chain), contexts, heads);
                checked += result.checked();
                pending += result.pending();
                if (result.broken() != null) {
                    breaks.add(result.broken());
                }
            }
        }
        Set<UUID> known = new LinkedHashSet<>(heads.keySet());
        known.addAll(contexts.keySet());
        for (UUID chain : known) {
            if (walked.add(chain)) {
                ChainVerifier.Result result = verifyChain(verifier, chain, PeekingRows.EMPTY, contexts, heads);
                if (result.broken() != null) {
                    breaks.add(result.broken());
                }
            }
        }
        return new AuditVerification(
                checked, pending, walked.size(), breaks, Duration.ofNanos(System.nanoTime() - started));
    }

    private static ChainVerifier.Result verifyChain(
            ChainVerifier verifier,
            UUID chain,
            ChainVerifier.Rows rows,
            Map<UUID, ChainContext> contexts,
            Map<UUID, ChainVerifier.Head> heads) {
        ChainContext context = contexts.get(chain);
        if (context != null && context.broken() != null) {
            while (rows.next() != null) {
                // skip the chain: its checkpoints cannot be trusted
            }
            return new ChainVerifier.Result(0, 0, context.broken());
        }
        ChainVerifier.Start start = context == null ? ChainVerifier.Start.genesis() : context.start();
        NavigableMap<Long, byte[]> signed = context == null ? new TreeMap<>() : context.signed();
        return verifier.verify(chain, rows, start, signed, heads.get(chain));
    }

    /** Per chain: the start (the latest authentic START checkpoint) and the HEAD checkpoints after it. */
    private Map<UUID, ChainContext> contexts(List<Checkpoint> all) {
        Map<UUID, List<Checkpoint>> byChain = new HashMap<>();
        for (Checkpoint c : all) {
            byChain.computeIfAbsent(c.chainKey(), k -> new ArrayList<>()).add(c);
        }
        Map<UUID, ChainContext> contexts = new HashMap<>();
        byChain.forEach((chain, list) -> {
            ChainVerifier.Start start = ChainVerifier.Start.genesis();
            AuditBreak broken = null;
            for (Checkpoint c : list) {
                if (!checkpoints.authentic(c)) {
                    broken = new AuditBreak(
                            chain,
                            null,
                            c.seq(),
                            AuditBreak.Kind.BAD_CHECKPOINT,
                            c.describe() + " has a signature that does not verify");
                    break;
                }
                if (c.kind() == Checkpoint.Kind.START && c.seq() > start.seq()) {
                    start = new ChainVerifier.Start(c.seq(), c.headHash());
                }
            }
            NavigableMap<Long, byte[]> signed = new TreeMap<>();
            for (Checkpoint c : list) {
                if (c.seq() <= start.seq()) {
                    continue;
                }
                byte[] other = signed.putIfAbsent(c.seq(), c.headHash());
                if (other != null && !java.util.Arrays.equals(other, c.headHash()) && broken == null) {
                    broken = new AuditBreak(
                            chain,
                            null,
                            c.seq(),
                            AuditBreak.Kind.BAD_CHECKPOINT,
                            "two signed checkpoints disagree at this position");
                }
            }
            contexts.put(chain, new ChainContext(start, signed, broken));
        });
        return contexts;
    }

    /** The stream of all rows, ordered by chain, handed out one chain at a time. */
    private static final class PeekingRows {
        static final ChainVerifier.Rows EMPTY = new ChainVerifier.Rows() {
            @Override
            public StoredEntry peek() {
                return null;
            }

            @Override
            public StoredEntry next() {
                return null;
            }
        };

        private final Iterator<StoredEntry> iterator;
        private StoredEntry head;

        PeekingRows(Iterator<StoredEntry> iterator) {
            this.iterator = iterator;
            this.head = iterator.hasNext() ? iterator.next() : null;
        }

        boolean hasMore() {
            return head != null;
        }

        UUID currentChain() {
            return head.chainKey();
        }

        ChainVerifier.Rows ofChain(UUID chain) {
            return new ChainVerifier.Rows() {
                @Override
                public StoredEntry peek() {
                    return head != null && head.chainKey().equals(chain) ? head : null;
                }

                @Override
                public StoredEntry next() {
                    StoredEntry current = peek();
                    if (current != null) {
                        head = iterator.hasNext() ? iterator.next() : null;
                    }
                    return current;
                }
            };
        }
    }
}
