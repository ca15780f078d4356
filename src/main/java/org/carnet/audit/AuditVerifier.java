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
import java.util.Base64;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Walks every chain and reports the first break of each: an entry edited, deleted, inserted or
 * moved, a chain cut short of a position that was sealed or signed, an entry left unsealed for too
 * long, a checkpoint whose signature fails; and, against the witness kept outside the database, a
 * chain head edited or deleted, a checkpoint deleted, a chain shorter than a node recorded sealing
 * it, fewer entries than the nodes recorded committing (one dropped before its seal). Read-only.
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

    private static final Logger log = LoggerFactory.getLogger(AuditVerifier.class);
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
    private final AuditWitness witness;
    private final ApplicationEventPublisher events;

    AuditVerifier(
            JdbcTemplate jdbc,
            DataSource dataSource,
            PlatformTransactionManager transactionManager,
            Checkpoints checkpoints,
            AuditProperties properties,
            Clock clock,
            AuditWitness witness,
            ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.events = events;
        this.witness = witness;
        this.streaming = new JdbcTemplate(dataSource);
        this.streaming.setFetchSize(FETCH_SIZE);
        this.snapshot = new TransactionTemplate(transactionManager);
        this.snapshot.setReadOnly(true);
        this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        this.checkpoints = checkpoints;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * Verifies the database against the witness (its checkpoints and the nodes' positions), or, when
     * none is configured, against the checkpoints stored in the database only (and says so, loudly).
     */
    public AuditVerification verify() {
        return verify(List.of());
    }

    /** The same, with the checkpoints of a witness file kept elsewhere besides. */
    public AuditVerification verify(Path witnessFile) {
        return verify(Checkpoints.read(witnessFile));
    }

    /**
     * The same, restricted to these chains (an establishment's chain is keyed by its id): what an
     * incident's scope rests on. A chain named that holds nothing verifies as empty.
     */
    public AuditVerification verifyChains(Set<UUID> only) {
        return verify(List.of(), only);
    }

    AuditVerification verify(List<Checkpoint> alsoWitnessed) {
        return verify(alsoWitnessed, null);
    }

    private AuditVerification verify(List<Checkpoint> alsoWitnessed, @Nullable Set<UUID> only) {
        long started = System.nanoTime();
        boolean witnessed = witness.directory().isPresent();
        if (!witnessed) {
            log.warn("Audit verification WITHOUT A WITNESS: the database is checked only against itself, so a"
                    + " database administrator can rewrite the log undetected. Set carnet.audit.witness.directory.");
        }
        // The witness first: whatever it holds the database had already committed when it was written.
        List<Checkpoint> fromWitness = new ArrayList<>(witness.checkpoints());
        Map<UUID, List<Checkpoint>> witnessedOnly =
                fromWitness.stream().collect(Collectors.groupingBy(Checkpoint::chainKey));
        Map<UUID, AuditWitness.Recorded> recorded = witness.recorded();
        fromWitness.addAll(alsoWitnessed);
        Instant unsealedBefore = clock.instant().minus(properties.unsealedBound());
        Map<UUID, List<Checkpoint>> witnessedByChain =
                fromWitness.stream().collect(Collectors.groupingBy(Checkpoint::chainKey));
        Outside outside = new Outside(witnessedByChain, witnessedOnly, recorded);
        Set<UUID> chains = new LinkedHashSet<>(jdbc.queryForList(CHAINS, UUID.class));
        Map<UUID, Long> sizes = new HashMap<>();
        jdbc.query("SELECT chain_key, seq FROM audit_chain_heads", rs -> {
            sizes.put(rs.getObject(1, UUID.class), rs.getLong(2));
        });
        chains.addAll(sizes.keySet());
        chains.addAll(jdbc.queryForList("SELECT DISTINCT chain_key FROM audit_checkpoints", UUID.class));
        chains.addAll(witnessedByChain.keySet());
        chains.addAll(recorded.keySet());
        if (only != null) {
            chains.retainAll(only);
        }
        List<UUID> ordered = new ArrayList<>(chains);

        int workers = Math.max(1, Math.min(properties.verifyThreads(), ordered.size()));
        List<List<UUID>> shares = share(ordered, sizes, workers);
        AtomicInteger walked = new AtomicInteger();
        List<ChainVerifier.Result> results;
        if (workers == 1) {
            results = walk(shares.get(0), outside, unsealedBefore, walked);
        } else {
            results = walkInParallel(shares, outside, unsealedBefore, walked);
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
        if (!inChainOrder.isEmpty()) {
            events.publishEvent(new AuditVerificationFailed(inChainOrder, clock.instant()));
        }
        return new AuditVerification(
                checked,
                pending,
                ordered.size(),
                walked.get(),
                inChainOrder,
                Duration.ofNanos(System.nanoTime() - started),
                witnessed);
    }

    /**
     * What is known outside the database: checkpoints (the witness's and a file's), by chain; the
     * witness's own, which the database must also hold; the nodes' positions.
     */
    private record Outside(
            Map<UUID, List<Checkpoint>> checkpoints,
            Map<UUID, List<Checkpoint>> witnessOnly,
            Map<UUID, AuditWitness.Recorded> recorded) {

        List<Checkpoint> of(UUID chain) {
            return checkpoints.getOrDefault(chain, List.of());
        }
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
            List<List<UUID>> shares, Outside witnessed, Instant unsealedBefore, AtomicInteger walked) {
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
            List<UUID> chains, Outside witnessed, Instant unsealedBefore, AtomicInteger walked) {
        List<ChainVerifier.Result> results = new ArrayList<>();
        Map<UUID, ChainContext> contexts = new HashMap<>();
        Map<UUID, ChainCheck> checks =
                snapshot.execute(status -> scan(chains, witnessed, unsealedBefore, results, contexts));
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
                results.add(snapshot.execute(status -> walkChain(verifier, chain, witnessed, contexts)));
            } else {
                results.add(afterWalk(
                        chain, check.intact(), java.util.Objects.requireNonNull(contexts.get(chain), "context")));
            }
        });
        return results;
    }

    /**
     * What a chain that walked intact may still hide: a checkpoint the witness holds and the database
     * lost, entries the nodes committed that are not in the database any more.
     */
    private static ChainVerifier.Result afterWalk(UUID chain, ChainVerifier.Result result, ChainContext context) {
        if (result.broken() != null) {
            return result;
        }
        if (context.missing() != null) {
            Checkpoint missing = context.missing();
            return new ChainVerifier.Result(
                    result.checked(),
                    result.pending(),
                    new AuditBreak(
                            chain,
                            null,
                            missing.seq(),
                            AuditBreak.Kind.MISSING_CHECKPOINT,
                            "the witness holds a " + missing.kind() + " checkpoint at position " + missing.seq()
                                    + " that the database does not: checkpoints were deleted"));
        }
        long present = context.start().seq() + result.checked() + result.pending();
        if (context.committed() > present) {
            return new ChainVerifier.Result(
                    result.checked(),
                    result.pending(),
                    new AuditBreak(
                            chain,
                            null,
                            null,
                            AuditBreak.Kind.DROPPED,
                            (context.committed() - present) + " of the " + context.committed()
                                    + " entries the nodes recorded committing to this chain are not in the database:"
                                    + " dropped before their seal"));
        }
        return result;
    }

    /**
     * Reads the rows of these chains in table order and hands each to its chain's check; a chain
     * whose checkpoints are already wrong gets its result at once. The checks, by chain.
     */
    private Map<UUID, ChainCheck> scan(
            List<UUID> chains,
            Outside witnessed,
            Instant unsealedBefore,
            List<ChainVerifier.Result> results,
            Map<UUID, ChainContext> contexts) {
        Map<UUID, Checkpoints.SignedHead> heads = new HashMap<>();
        jdbc.query(HEADS, rs -> {
            heads.put(rs.getObject(1, UUID.class), signedHead(rs));
        });
        ChainChecks checks = new ChainChecks(MAX_WAITING);
        for (UUID chain : chains) {
            ChainContext context = context(chain, witnessed, heads.get(chain));
            contexts.put(chain, context);
            if (context.broken() != null) {
                results.add(new ChainVerifier.Result(0, 0, context.broken()));
            } else {
                checks.add(
                        chain,
                        new ChainCheck(chain, context.start(), context.signed(), context.head(), unsealedBefore));
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

    private static final String HEADS = "SELECT chain_key, seq, head_hash, key_id, signature FROM audit_chain_heads";

    private static Checkpoints.SignedHead signedHead(java.sql.ResultSet rs) throws SQLException {
        return new Checkpoints.SignedHead(rs.getLong(2), rs.getBytes(3), rs.getString(4), rs.getBytes(5));
    }

    /**
     * A broken context has no signed checkpoints to offer: the chain is not walked.
     *
     * @param head the head the chain must reach: its signed head row, or further if a node recorded
     *     sealing it further
     * @param missing a checkpoint the witness holds and the database does not
     * @param committed how many entries the nodes recorded committing to the chain
     */
    private record ChainContext(
            ChainVerifier.Start start,
            NavigableMap<Long, byte[]> signed,
            ChainVerifier.@Nullable Head head,
            @Nullable Checkpoint missing,
            long committed,
            NavigableMap<Long, Instant> headsSigned,
            @Nullable AuditBreak broken) {

        static ChainContext broken(ChainVerifier.Start start, AuditBreak broken) {
            return new ChainContext(
                    start, Collections.emptyNavigableMap(), null, null, 0, Collections.emptyNavigableMap(), broken);
        }
    }

    /** Walks one chain in position order, naming its first break. */
    private ChainVerifier.Result walkChain(
            ChainVerifier verifier, UUID chain, Outside witnessed, Map<UUID, ChainContext> contexts) {
        List<Checkpoints.SignedHead> heads =
                jdbc.query(HEADS + " WHERE chain_key = ?", (rs, n) -> signedHead(rs), chain);
        ChainContext context = context(chain, witnessed, heads.isEmpty() ? null : heads.get(0));
        contexts.put(chain, context);
        if (context.broken() != null) {
            return new ChainVerifier.Result(0, 0, context.broken());
        }
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
            return afterWalk(
                    chain,
                    backDated(
                            verifier.verify(
                                    chain,
                                    new IteratorRows(stream.iterator()),
                                    context.start(),
                                    context.signed(),
                                    context.head()),
                            context),
                    context);
        }
    }

    /**
     * Names an edited entry back-dated when its time lies before a HEAD checkpoint signed while the
     * chain stood before it (its seal came after that signature) by more than the unsealed bound: the
     * mark of entries made to look old enough to prune.
     */
    private ChainVerifier.Result backDated(ChainVerifier.Result result, ChainContext context) {
        AuditBreak broken = result.broken();
        if (broken == null
                || broken.kind() != AuditBreak.Kind.EDITED
                || broken.entryId() == null
                || broken.position() == null
                || broken.detail().contains("back-dated")) {
            return result;
        }
        Map.Entry<Long, Instant> before = context.headsSigned().lowerEntry(broken.position());
        if (before == null) {
            return result;
        }
        List<java.time.OffsetDateTime> at = jdbc.queryForList(
                "SELECT occurred_at FROM audit_log WHERE id = ?", java.time.OffsetDateTime.class, broken.entryId());
        if (at.isEmpty() || !at.get(0).toInstant().isBefore(before.getValue().minus(properties.unsealedBound()))) {
            return result;
        }
        return new ChainVerifier.Result(
                result.checked(),
                result.pending(),
                new AuditBreak(
                        broken.chainKey(),
                        broken.entryId(),
                        broken.position(),
                        AuditBreak.Kind.EDITED,
                        "its time lies before the checkpoint signed at position " + before.getKey()
                                + ", which its seal followed (back-dated): its content no longer matches its hash"));
    }

    /**
     * The chain's start (its latest authentic START checkpoint) and the HEAD checkpoints after it,
     * from the database's checkpoints and the witnessed ones.
     */
    private ChainContext context(UUID chain, Outside outside, Checkpoints.@Nullable SignedHead storedHead) {
        List<Checkpoint> stored = checkpoints.ofChain(chain);
        List<Checkpoint> all = new ArrayList<>(stored);
        all.addAll(outside.of(chain));
        ChainVerifier.Start start = ChainVerifier.Start.genesis();
        for (Checkpoint c : all) {
            if (!checkpoints.authentic(c)) {
                return ChainContext.broken(
                        start,
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
                return ChainContext.broken(
                        start,
                        new AuditBreak(
                                chain,
                                null,
                                c.seq(),
                                AuditBreak.Kind.BAD_CHECKPOINT,
                                "two signed checkpoints disagree at this position"));
            }
        }
        AuditWitness.Recorded recorded = outside.recorded().get(chain);
        if (storedHead != null && !checkpoints.authentic(chain, storedHead)) {
            return ChainContext.broken(
                    start,
                    new AuditBreak(
                            chain,
                            null,
                            storedHead.seq(),
                            AuditBreak.Kind.BAD_HEAD,
                            storedHead.signature() == null
                                    ? "the chain head carries no signature: it was written outside Carnet"
                                    : "the chain head's signature does not verify: the head was edited"));
        }
        if (storedHead == null && ((recorded != null && recorded.sealedSeq() > 0) || !signed.isEmpty())) {
            return ChainContext.broken(
                    start,
                    new AuditBreak(
                            chain,
                            null,
                            null,
                            AuditBreak.Kind.BAD_HEAD,
                            "the chain head is missing although the chain was sealed: it was deleted"));
        }
        ChainVerifier.Head head =
                storedHead == null ? null : new ChainVerifier.Head(storedHead.seq(), storedHead.hash());
        if (recorded != null && recorded.sealedHash() != null && recorded.sealedSeq() > start.seq()) {
            if (head == null || recorded.sealedSeq() > head.seq()) {
                // An authentic but older head (put back from a copy, say): the node saw the chain go further.
                head = new ChainVerifier.Head(recorded.sealedSeq(), recorded.sealedHash());
            } else {
                signed.putIfAbsent(recorded.sealedSeq(), recorded.sealedHash());
            }
        }
        Set<String> held = new java.util.HashSet<>();
        for (Checkpoint c : stored) {
            held.add(c.kind() + " " + c.seq() + " " + Base64.getEncoder().encodeToString(c.signature()));
        }
        Checkpoint missing = null;
        for (Checkpoint w : outside.witnessOnly().getOrDefault(chain, List.of())) {
            if (!held.contains(
                    w.kind() + " " + w.seq() + " " + Base64.getEncoder().encodeToString(w.signature()))) {
                missing = w;
                break;
            }
        }
        NavigableMap<Long, Instant> headsSigned = new TreeMap<>();
        for (Checkpoint c : all) {
            if (c.kind() == Checkpoint.Kind.HEAD) {
                headsSigned.merge(c.seq(), c.signedAt(), (a, b) -> a.isBefore(b) ? a : b);
            }
        }
        return new ChainContext(
                start, signed, head, missing, recorded == null ? 0 : recorded.committed(), headsSigned, null);
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
