package org.carnet.audit;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Walks every chain and reports the first break of each: an entry edited, deleted, inserted or
 * moved, a chain cut short of a position that was sealed or signed, an entry left unsealed for too
 * long, a checkpoint whose signature fails. Read-only.
 *
 * <p>Chains are independent, so they are shared out, by size, among {@code
 * carnet.audit.verify-threads} threads. Each thread reads its chains' rows in one sequential pass,
 * in table order, in one repeatable-read snapshot with their heads and checkpoints, and confirms
 * them with a {@link ChainCheck} each; a chain that pass cannot confirm is then walked in position
 * order by a {@link ChainVerifier}, which names its first break. Reading in table order matters
 * once the log outgrows memory: a walk in position order reads each heap page once per entry on it.
 */
@Service
public class AuditVerifier {

    private static final int FETCH_SIZE = 10_000;
    /** Runs of entries one thread may hold while they wait for an earlier entry (about 150 bytes each). */
    private static final int MAX_WAITING = 1_000_000;
    /** Every chain key present, one index probe per chain (PostgreSQL has no MIN over UUIDs nor a skip scan). */
    private static final String CHAINS = "WITH RECURSIVE chains (chain_key) AS ("
            + " SELECT (SELECT chain_key FROM audit_log ORDER BY chain_key LIMIT 1)"
            + " UNION ALL SELECT (SELECT l.chain_key FROM audit_log l WHERE l.chain_key > c.chain_key"
            + " ORDER BY l.chain_key LIMIT 1)"
            + " FROM chains c WHERE c.chain_key IS NOT NULL)"
            + " SELECT chain_key FROM chains WHERE chain_key IS NOT NULL";

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
        Instant unsealedBefore = clock.instant().minus(properties.unsealedBound());
        Map<UUID, List<Checkpoint>> witnessedByChain =
                witnessed.stream().collect(Collectors.groupingBy(Checkpoint::chainKey));
        Set<UUID> chains = new LinkedHashSet<>(jdbc.queryForList(CHAINS, UUID.class));
        Map<UUID, Long> sizes = new HashMap<>();
        jdbc.query("SELECT chain_key, seq FROM audit_chain_heads", rs -> {
            sizes.put(rs.getObject(1, UUID.class), rs.getLong(2));
        });
        chains.addAll(sizes.keySet());
        chains.addAll(jdbc.queryForList("SELECT DISTINCT chain_key FROM audit_checkpoints", UUID.class));
        chains.addAll(witnessedByChain.keySet());
        List<UUID> ordered = new ArrayList<>(chains);

        int workers = Math.max(1, Math.min(properties.verifyThreads(), ordered.size()));
        List<List<UUID>> shares = share(ordered, sizes, workers);
        AtomicInteger walked = new AtomicInteger();
        List<ChainVerifier.Result> results;
        if (workers == 1) {
            results = walk(shares.get(0), witnessedByChain, unsealedBefore, walked);
        } else {
            results = walkInParallel(shares, witnessedByChain, unsealedBefore, walked);
        }
        long checked = 0;
        long pending = 0;
        Map<UUID, AuditBreak> breaks = new TreeMap<>();
        for (ChainVerifier.Result result : results) {
            checked += result.checked();
            pending += result.pending();
            if (result.broken() != null) {
                breaks.put(result.broken().chainKey(), result.broken());
            }
        }
        List<AuditBreak> inChainOrder =
                ordered.stream().filter(breaks::containsKey).map(breaks::get).toList();
        return new AuditVerification(
                checked,
                pending,
                ordered.size(),
                walked.get(),
                inChainOrder,
                Duration.ofNanos(System.nanoTime() - started));
    }

    /** The chains in shares of about equal size, largest chains first, each to the least loaded share. */
    private static List<List<UUID>> share(List<UUID> chains, Map<UUID, Long> sizes, int workers) {
        List<List<UUID>> shares = new ArrayList<>();
        long[] loads = new long[workers];
        for (int w = 0; w < workers; w++) {
            shares.add(new ArrayList<>());
        }
        List<UUID> largestFirst = new ArrayList<>(chains);
        largestFirst.sort(Comparator.comparingLong((UUID chain) -> sizes.getOrDefault(chain, 0L))
                .reversed());
        for (UUID chain : largestFirst) {
            int lightest = 0;
            for (int w = 1; w < workers; w++) {
                if (loads[w] < loads[lightest]) {
                    lightest = w;
                }
            }
            shares.get(lightest).add(chain);
            loads[lightest] += sizes.getOrDefault(chain, 0L) + 1;
        }
        return shares;
    }

    private List<ChainVerifier.Result> walkInParallel(
            List<List<UUID>> shares,
            Map<UUID, List<Checkpoint>> witnessed,
            Instant unsealedBefore,
            AtomicInteger walked) {
        ExecutorService pool = Executors.newFixedThreadPool(shares.size(), runnable -> {
            Thread thread = new Thread(runnable, "audit-verifier");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<List<ChainVerifier.Result>>> futures = new ArrayList<>();
            for (List<UUID> share : shares) {
                futures.add(pool.submit(() -> walk(share, witnessed, unsealedBefore, walked)));
            }
            List<ChainVerifier.Result> results = new ArrayList<>();
            for (Future<List<ChainVerifier.Result>> future : futures) {
                results.addAll(future.get());
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Verification interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("Verification failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Checks these chains on this thread: one sequential read of their rows in one snapshot, then
     * a walk in position order, in its own snapshot, of each chain that read could not confirm.
     */
    private List<ChainVerifier.Result> walk(
            List<UUID> chains, Map<UUID, List<Checkpoint>> witnessed, Instant unsealedBefore, AtomicInteger walked) {
        List<ChainVerifier.Result> results = new ArrayList<>();
        Map<UUID, ChainCheck> checks = snapshot.execute(status -> scan(chains, witnessed, unsealedBefore, results));
        ChainVerifier verifier = new ChainVerifier(
                unsealedBefore,
                (chain, hash) -> !jdbc.queryForList(
                                "SELECT id FROM audit_log WHERE chain_key = ? AND entry_hash = ?",
                                Long.class,
                                chain,
                                hash)
                        .isEmpty());
        checks.forEach((chain, check) -> {
            if (check.needsWalk()) {
                walked.incrementAndGet();
                results.add(snapshot.execute(
                        status -> walkChain(verifier, chain, witnessed.getOrDefault(chain, List.of()))));
            } else {
                results.add(check.intact());
            }
        });
        return results;
    }

    /**
     * Reads the rows of these chains in table order and hands each to its chain's check; a chain
     * whose checkpoints are already wrong gets its result at once. The checks, by chain.
     */
    private Map<UUID, ChainCheck> scan(
            List<UUID> chains,
            Map<UUID, List<Checkpoint>> witnessed,
            Instant unsealedBefore,
            List<ChainVerifier.Result> results) {
        Map<UUID, ChainVerifier.Head> heads = new HashMap<>();
        jdbc.query("SELECT chain_key, seq, head_hash FROM audit_chain_heads", rs -> {
            heads.put(rs.getObject(1, UUID.class), new ChainVerifier.Head(rs.getLong(2), rs.getBytes(3)));
        });
        ChainChecks checks = new ChainChecks(MAX_WAITING);
        for (UUID chain : chains) {
            ChainContext context = context(chain, witnessed.getOrDefault(chain, List.of()));
            if (context.broken() != null) {
                results.add(new ChainVerifier.Result(0, 0, context.broken()));
            } else {
                checks.add(
                        chain,
                        new ChainCheck(chain, context.start(), context.signed(), heads.get(chain), unsealedBefore));
            }
        }
        if (checks.isEmpty()) {
            return checks.byChain();
        }
        EntryHasher hasher = new EntryHasher();
        boolean copied = jdbc.execute((Connection connection) -> {
            if (!PostgresCopyScan.applies(connection)) {
                return false;
            }
            readFromTheTableStart(connection);
            PostgresCopyScan.scan(connection, checks, hasher);
            return true;
        });
        if (!copied) {
            streaming.query(
                    connection -> {
                        PreparedStatement statement = connection.prepareStatement(
                                "SELECT " + StoredEntry.COLUMNS + " FROM audit_log WHERE chain_key = ANY(?)");
                        statement.setFetchSize(FETCH_SIZE);
                        statement.setArray(
                                1,
                                connection.createArrayOf(
                                        "uuid", checks.byChain().keySet().toArray()));
                        return statement;
                    },
                    rs -> {
                        checks.accept(StoredEntry.read(rs), hasher);
                    });
        }
        return checks.byChain();
    }

    /** A broken context has no signed checkpoints to offer: the chain is not walked. */
    private record ChainContext(
            ChainVerifier.Start start,
            NavigableMap<Long, byte[]> signed,
            @Nullable AuditBreak broken) {}

    /** Walks one chain in position order, naming its first break. */
    private ChainVerifier.Result walkChain(ChainVerifier verifier, UUID chain, List<Checkpoint> witnessed) {
        ChainContext context = context(chain, witnessed);
        if (context.broken() != null) {
            return new ChainVerifier.Result(0, 0, context.broken());
        }
        List<ChainVerifier.Head> heads = jdbc.query(
                "SELECT seq, head_hash FROM audit_chain_heads WHERE chain_key = ?",
                (rs, n) -> new ChainVerifier.Head(rs.getLong(1), rs.getBytes(2)),
                chain);
        try (Stream<StoredEntry> stream = streaming.queryForStream(
                connection -> {
                    PreparedStatement statement = connection.prepareStatement("SELECT " + StoredEntry.COLUMNS
                            + " FROM audit_log WHERE chain_key = ? ORDER BY seq NULLS LAST");
                    statement.setFetchSize(FETCH_SIZE);
                    statement.setObject(1, chain);
                    StoredEntry.preferBinaryTransfer(statement);
                    return statement;
                },
                (rs, n) -> StoredEntry.read(rs))) {
            return verifier.verify(
                    chain,
                    new IteratorRows(stream.iterator()),
                    context.start(),
                    context.signed(),
                    heads.isEmpty() ? null : heads.get(0));
        }
    }

    /**
     * The chain's start (its latest authentic START checkpoint) and the HEAD checkpoints after it,
     * from the database's checkpoints and the witnessed ones.
     */
    private ChainContext context(UUID chain, List<Checkpoint> witnessed) {
        List<Checkpoint> all = new ArrayList<>(checkpoints.ofChain(chain));
        all.addAll(witnessed);
        ChainVerifier.Start start = ChainVerifier.Start.genesis();
        for (Checkpoint c : all) {
            if (!checkpoints.authentic(c)) {
                return new ChainContext(
                        start,
                        Collections.emptyNavigableMap(),
                        new AuditBreak(
                                chain,
                                null,
                                c.seq(),
                                AuditBreak.Kind.BAD_CHECKPOINT,
                                c.describe() + " has a signature that does not verify"));
            }
            if (c.kind() == Checkpoint.Kind.START && c.seq() > start.seq()) {
                start = new ChainVerifier.Start(c.seq(), c.headHash());
            }
        }
        NavigableMap<Long, byte[]> signed = new TreeMap<>();
        for (Checkpoint c : all) {
            if (c.seq() <= start.seq()) {
                continue;
            }
            byte[] other = signed.putIfAbsent(c.seq(), c.headHash());
            if (other != null && !Arrays.equals(other, c.headHash())) {
                return new ChainContext(
                        start,
                        Collections.emptyNavigableMap(),
                        new AuditBreak(
                                chain,
                                null,
                                c.seq(),
                                AuditBreak.Kind.BAD_CHECKPOINT,
                                "two signed checkpoints disagree at this position"));
            }
        }
        return new ChainContext(start, signed, null);
    }

    /**
     * PostgreSQL lets a sequential scan join another one under way on the same table, mid-table,
     * and wrap around: every chain would then start in the middle and nearly all its entries wait.
     * This transaction's scans start at the table's first page.
     */
    private static void readFromTheTableStart(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET LOCAL synchronize_seqscans = off");
        }
    }

    private static final class IteratorRows implements ChainVerifier.Rows {
        private final Iterator<StoredEntry> iterator;
        private @Nullable StoredEntry next;

        IteratorRows(Iterator<StoredEntry> iterator) {
            this.iterator = iterator;
            this.next = iterator.hasNext() ? iterator.next() : null;
        }

        @Override
        public @Nullable StoredEntry peek() {
            return next;
        }

        @Override
        public @Nullable StoredEntry next() {
            StoredEntry current = next;
            if (current != null) {
                next = iterator.hasNext() ? iterator.next() : null;
            }
            return current;
        }
    }
}
