package org.carnet.breach.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.carnet.audit.AuditEntry;
import org.carnet.audit.AuditTrail;
import org.carnet.breach.BreachProperties;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Follows the access log as it grows and runs the rules, on one node at a time. Nodes compete for a
 * lease on the one row of {@code breach_detector}; its holder reads the entries after its position in
 * batches, feeds them to {@link AccessWindows} (kept in its memory), records the hits and moves the
 * position. Every node adds its queued sign-in failures to the shared counters; the holder evaluates
 * them. A new holder starts with empty windows (see docs/breach-response.md).
 *
 * <p>Ids are given out before commit, so a later id may commit first: an id skipped over is watched
 * for a minute in case its entry commits late, then given up (a rolled-back access leaves one).
 */
@Component
public class Detector implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Detector.class);
    static final int BATCH = 5_000;
    static final Duration LEASE = Duration.ofSeconds(15);
    static final Duration GAP_WATCH = Duration.ofMinutes(1);
    static final int MAX_GAPS = 10_000;
    /** Rounds woken by accesses are at least this far apart: at most ten queries a second. */
    static final long MIN_ROUND_GAP_MS = 100;

    private final AuditTrail trail;
    private final SignInCounters signIns;
    private final UnknownIdCounters unknownIds;
    private final Baselines baselines;
    private final IncidentRecorder recorder;
    private final JdbcClient jdbc;
    private final BreachProperties properties;
    private final Clock clock;
    private final String node = UUID.randomUUID().toString();
    private final Semaphore signal = new Semaphore(0);
    private final Map<String, Instant> fired = new HashMap<>();
    private final Map<Long, Instant> gaps = new LinkedHashMap<>();

    private @Nullable AccessWindows windows;
    private long position;
    private Instant lastSignInCheck = Instant.EPOCH;
    private Instant lastPrune = Instant.EPOCH;
    private volatile @Nullable Thread thread;
    private volatile boolean running;

    Detector(
            AuditTrail trail,
            SignInCounters signIns,
            UnknownIdCounters unknownIds,
            Baselines baselines,
            IncidentRecorder recorder,
            JdbcClient jdbc,
            BreachProperties properties,
            Clock clock) {
        this.trail = trail;
        this.signIns = signIns;
        this.unknownIds = unknownIds;
        this.baselines = baselines;
        this.recorder = recorder;
        this.jdbc = jdbc;
        this.properties = properties;
        this.clock = clock;
    }

    /** Asks for a round soon. Called on request threads: one semaphore release at most. */
    public void wake() {
        if (signal.availablePermits() == 0) {
            signal.release();
        }
    }

    @Override
    public void start() {
        if (!properties.enabled()) {
            return;
        }
        running = true;
        Thread worker = new Thread(this::loop, "breach-detector");
        worker.setDaemon(true);
        thread = worker;
        worker.start();
    }

    @Override
    public void stop() {
        running = false;
        Thread worker = thread;
        if (worker != null) {
            worker.interrupt();
            try {
                worker.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        thread = null;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void loop() {
        while (running) {
            try {
                signal.tryAcquire(properties.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                signal.drainPermits();
                round();
                Thread.sleep(MIN_ROUND_GAP_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // Ids and positions only reach the log: the exception's class and the position.
                log.warn(
                        "Breach detection round failed at position {}: {}",
                        position,
                        e.getClass().getName());
                windows = null;
            }
        }
    }

    /** One round: sign-in counters, then, if this node holds the lease, the log's new entries and the rules. */
    void round() {
        signIns.flush();
        Instant now = clock.instant();
        if (!holdLease(now)) {
            windows = null;
            return;
        }
        AccessWindows current = windows;
        if (current == null) {
            current = new AccessWindows(properties, key -> baselines.of(key, today()));
            windows = current;
            gaps.clear();
            fired.clear();
            position = jdbc.sql("SELECT log_position FROM breach_detector WHERE id = 1")
                    .query(Long.class)
                    .single();
        }
        List<RuleHit> hits = new ArrayList<>();
        for (AuditEntry late : trail.withIds(List.copyOf(gaps.keySet()).subList(0, Math.min(gaps.size(), 1_000)))) {
            gaps.remove(late.id());
            hits.addAll(current.accept(late));
        }
        gaps.values().removeIf(since -> since.isBefore(now.minus(GAP_WATCH)));
        List<AuditEntry> batch;
        do {
            batch = trail.after(position, BATCH);
            for (AuditEntry entry : batch) {
                for (long missing = position + 1; missing < entry.id() && gaps.size() < MAX_GAPS; missing++) {
                    gaps.put(missing, now);
                }
                position = Math.max(position, entry.id());
                hits.addAll(current.accept(entry));
            }
        } while (batch.size() == BATCH);
        if (!now.isBefore(lastSignInCheck.plusSeconds(1))) {
            lastSignInCheck = now;
            hits.addAll(signIns.evaluate(now));
        }
        for (RuleHit hit : hits) {
            String key = hit.subject() + "|" + hit.rule();
            Instant last = fired.get(key);
            if (last == null || !now.isBefore(last.plus(properties.repeatAfter()))) {
                fired.put(key, now);
                recorder.record(hit);
            }
        }
        jdbc.sql("UPDATE breach_detector SET log_position = ? WHERE id = 1 AND holder = ?")
                .params(position, node)
                .update();
        if (!now.isBefore(lastPrune.plusSeconds(60))) {
            lastPrune = now;
            LocalDate day = current.peakDay();
            if (day != null) {
                baselines.save(day, current.peaks());
            }
            current.prune(now);
            signIns.prune(now);
            unknownIds.prune(now);
            fired.values().removeIf(at -> at.isBefore(now.minus(properties.repeatAfter())));
        }
    }

    private boolean holdLease(Instant now) {
        Integer rows = jdbc.sql("SELECT COUNT(*) FROM breach_detector WHERE id = 1")
                .query(Integer.class)
                .single();
        if (rows == 0) {
            try {
                // First start: the log so far is history, not news.
                jdbc.sql(
                                "INSERT INTO breach_detector (id, holder, lease_until, log_position) VALUES (1, NULL, NULL, ?)")
                        .param(trail.lastId())
                        .update();
            } catch (DuplicateKeyException another) {
                // Another node created it first.
            }
        }
        return jdbc.sql("UPDATE breach_detector SET holder = ?, lease_until = ? WHERE id = 1"
                                + " AND (holder IS NULL OR holder = ? OR lease_until < ?)")
                        .params(node, now.plus(LEASE).atOffset(ZoneOffset.UTC), node, now.atOffset(ZoneOffset.UTC))
                        .update()
                == 1;
    }

    private LocalDate today() {
        return clock.instant().atZone(properties.zone()).toLocalDate();
    }
}
