package org.carnet.scheduling.internal;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.carnet.scheduling.SearchProperties;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Tells the other nodes on the same database which practitioners' slots this node changed, and reads
 * what they changed, every {@code carnet.search.relay-interval}: a row per practitioner in {@code
 * search_invalidations}, written after the change's commit (so a booking waits for nothing more), read by
 * every other node within about two intervals. Times are the database's, so the nodes' clocks do not
 * matter. A row committed more than {@link #OVERLAP} after its {@code changed_at}, or a node dying between
 * a commit and its next write, is left to {@code carnet.search.page-memory}.
 */
@Component
class SearchInvalidationRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SearchInvalidationRelay.class);

    /** How far back each read looks again, for rows whose transaction committed after a later one's. */
    static final Duration OVERLAP = Duration.ofSeconds(3);
    /** A node that could not read for this long forgets every page: it may have missed other nodes' rows. */
    static final Duration BLIND = Duration.ofSeconds(30);

    private static final Duration KEPT = Duration.ofMinutes(1);

    private final JdbcClient jdbc;
    private final JdbcTemplate jdbcTemplate;
    private final SearchInvalidations invalidations;
    private final SearchProperties properties;
    private final UUID node = UUID.randomUUID();
    /** Rows of other nodes already applied, by id, with their time: those still inside the overlap. */
    private final Map<Long, OffsetDateTime> applied = new HashMap<>();

    private @Nullable OffsetDateTime readUpTo;
    private long lastRead = System.nanoTime();
    private long lastPrune;
    private final Object lifecycle = new Object();
    private @Nullable ScheduledExecutorService executor;

    SearchInvalidationRelay(
            JdbcClient jdbc,
            JdbcTemplate jdbcTemplate,
            SearchInvalidations invalidations,
            SearchProperties properties) {
        this.jdbc = jdbc;
        this.jdbcTemplate = jdbcTemplate;
        this.invalidations = invalidations;
        this.properties = properties;
    }

    @Override
    public void start() {
        synchronized (lifecycle) {
            if (executor != null) {
                return;
            }
            ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(body -> {
                Thread thread = new Thread(body, "search-invalidation-relay");
                thread.setDaemon(true);
                return thread;
            });
            executor = started;
            long interval = properties.relayInterval().toMillis();
            started.scheduleWithFixedDelay(this::relay, interval, interval, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void stop() {
        synchronized (lifecycle) {
            ScheduledExecutorService running = executor;
            if (running == null) {
                return;
            }
            running.shutdownNow();
            try {
                running.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            executor = null;
        }
        // What this node changed last is still told.
        relay();
    }

    @Override
    public boolean isRunning() {
        synchronized (lifecycle) {
            return executor != null;
        }
    }

    /** One round: write this node's changes, read the others'. Also called by tests. */
    synchronized void relay() {
        try {
            write();
            read();
            prune();
        } catch (RuntimeException e) {
            // No personal data here anyway: ids of practitioners at most.
            log.warn(
                    "Search invalidations not relayed, will retry: {}",
                    e.getClass().getSimpleName());
        }
    }

    private void write() {
        List<UUID> changed = invalidations.takeOutgoing();
        if (changed.isEmpty()) {
            return;
        }
        try {
            jdbcTemplate.batchUpdate(
                    "INSERT INTO search_invalidations (node_id, practitioner_id) VALUES (?, ?)",
                    changed,
                    500,
                    (ps, id) -> {
                        ps.setObject(1, node);
                        ps.setObject(2, id.equals(SearchInvalidations.EVERYONE) ? null : id);
                    });
        } catch (RuntimeException e) {
            invalidations.giveBack(changed);
            throw e;
        }
    }

    private void read() {
        OffsetDateTime now =
                jdbc.sql("SELECT CURRENT_TIMESTAMP").query(OffsetDateTime.class).single();
        OffsetDateTime since = (readUpTo == null ? now : readUpTo).minus(OVERLAP);
        record Row(long id, UUID practitionerId, OffsetDateTime changedAt) {}
        List<Row> rows = jdbc.sql("SELECT id, practitioner_id, changed_at FROM search_invalidations"
                        + " WHERE changed_at > ? AND node_id <> ?")
                .params(since, node)
                .query((rs, n) ->
                        new Row(rs.getLong(1), rs.getObject(2, UUID.class), rs.getObject(3, OffsetDateTime.class)))
                .list();
        List<UUID> changed = new ArrayList<>();
        for (Row row : rows) {
            if (applied.putIfAbsent(row.id(), row.changedAt()) == null) {
                changed.add(row.practitionerId() == null ? SearchInvalidations.EVERYONE : row.practitionerId());
            }
        }
        readUpTo = now;
        long read = System.nanoTime();
        if (read - lastRead > BLIND.toNanos()) {
            changed.add(SearchInvalidations.EVERYONE);
        }
        lastRead = read;
        if (!changed.isEmpty()) {
            invalidations.changed(changed, false);
        }
        OffsetDateTime forgotten = readUpTo.minus(OVERLAP);
        applied.values().removeIf(changedAt -> changedAt.isBefore(forgotten));
    }

    private void prune() {
        long now = System.nanoTime();
        if (now - lastPrune < KEPT.toNanos() / 2) {
            return;
        }
        OffsetDateTime upTo = readUpTo;
        if (upTo == null) {
            return;
        }
        lastPrune = now;
        jdbc.sql("DELETE FROM search_invalidations WHERE changed_at < ?")
                .param(upTo.minus(KEPT))
                .update();
    }
}
