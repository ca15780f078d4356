package org.carnet.breach.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.carnet.breach.BreachProperties;
import org.carnet.breach.Rule;
import org.carnet.crypto.BlindIndex;
import org.carnet.identity.SignInFailed;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Failed sign-ins, counted per account, per source and across the platform in per-minute counters
 * that every node adds to ({@code breach_sign_in_failures}), so the detector sees the whole platform's
 * failures whichever node took them. A failure costs the sign-in request one queue insertion; the
 * detector's thread adds the queued ones up and writes one row per counter and minute.
 */
@Component
public class SignInCounters {

    static final String PLATFORM = "platform";
    /** Queued failures beyond this are dropped (and counted): the queue must not grow without bound. */
    static final int QUEUE_LIMIT = 100_000;

    private final ConcurrentLinkedQueue<SignInFailed> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private final JdbcClient jdbc;
    private final BlindIndex blindIndex;
    private final BreachProperties properties;

    SignInCounters(JdbcClient jdbc, BlindIndex blindIndex, BreachProperties properties) {
        this.jdbc = jdbc;
        this.blindIndex = blindIndex;
        this.properties = properties;
    }

    /** On the sign-in's thread: queues the failure, nothing more. */
    public void offer(SignInFailed failed) {
        if (queued.incrementAndGet() > QUEUE_LIMIT) {
            queued.decrementAndGet();
            dropped.incrementAndGet();
            return;
        }
        queue.add(failed);
    }

    /** Failures dropped because the queue was full (the detector fell behind). */
    public long dropped() {
        return dropped.get();
    }

    /** Adds the queued failures to the shared counters; returns how many were flushed. */
    public int flush() {
        Map<Counter, Integer> counts = new HashMap<>();
        int flushed = 0;
        SignInFailed failed;
        while ((failed = queue.poll()) != null) {
            queued.decrementAndGet();
            flushed++;
            Instant minute = failed.at().truncatedTo(ChronoUnit.MINUTES);
            counts.merge(new Counter(PLATFORM, minute), 1, Integer::sum);
            if (failed.userId() != null) {
                counts.merge(new Counter("account:" + failed.userId(), minute), 1, Integer::sum);
            }
            if (failed.source() != null) {
                counts.merge(new Counter("source:" + source(failed.source()), minute), 1, Integer::sum);
            }
        }
        // Statement by statement (no transaction): on PostgreSQL a duplicate key would abort one.
        counts.forEach(this::add);
        return flushed;
    }

    /** The sign-in rules over the counters' window ending at {@code now}. */
    public List<RuleHit> evaluate(Instant now) {
        Instant from = now.minus(properties.signInWindow()).truncatedTo(ChronoUnit.MINUTES);
        int lowest = Math.min(
                properties.platformFailures(), Math.min(properties.accountFailures(), properties.sourceFailures()));
        List<RuleHit> hits = new ArrayList<>();
        jdbc.sql("SELECT counter_key, SUM(failures) FROM breach_sign_in_failures WHERE minute_start >= ?"
                        + " GROUP BY counter_key HAVING SUM(failures) >= ?")
                .params(from.atOffset(ZoneOffset.UTC), lowest)
                .query((rs, n) -> {
                    String key = rs.getString(1);
                    long failures = rs.getLong(2);
                    String detail = failures + " failed sign-ins within " + properties.signInWindow();
                    if (key.equals(PLATFORM) && failures >= properties.platformFailures()) {
                        hits.add(new RuleHit(
                                Rule.CREDENTIAL_STUFFING, "platform:sign-in", null, null, Set.of(), now, detail));
                    } else if (key.startsWith("account:") && failures >= properties.accountFailures()) {
                        UUID user = UUID.fromString(key.substring("account:".length()));
                        hits.add(new RuleHit(
                                Rule.SIGN_IN_FAILURES_ACCOUNT, RuleHit.user(user), null, user, Set.of(), now, detail));
                    } else if (key.startsWith("source:") && failures >= properties.sourceFailures()) {
                        hits.add(new RuleHit(Rule.SIGN_IN_FAILURES_SOURCE, key, null, null, Set.of(), now, detail));
                    }
                    return key;
                })
                .list();
        return hits;
    }

    /** Drops counters older than a day. */
    public void prune(Instant now) {
        jdbc.sql("DELETE FROM breach_sign_in_failures WHERE minute_start < ?")
                .param(now.minus(java.time.Duration.ofDays(1)).atOffset(ZoneOffset.UTC))
                .update();
    }

    /** A source is kept only as a keyed hash (the blind-index key), never as an address. */
    private String source(String network) {
        return HexFormat.of().formatHex(blindIndex.of("breach-sign-in-source", network), 1, 17);
    }

    private void add(Counter counter, int failures) {
        for (int attempt = 0; attempt < 3; attempt++) {
            int updated = jdbc.sql("UPDATE breach_sign_in_failures SET failures = failures + ?"
                            + " WHERE counter_key = ? AND minute_start = ?")
                    .params(failures, counter.key(), counter.minute().atOffset(ZoneOffset.UTC))
                    .update();
            if (updated > 0) {
                return;
            }
            try {
                jdbc.sql("INSERT INTO breach_sign_in_failures (counter_key, minute_start, failures) VALUES (?, ?, ?)")
                        .params(counter.key(), counter.minute().atOffset(ZoneOffset.UTC), failures)
                        .update();
                return;
            } catch (DuplicateKeyException another) {
                // Another node inserted the same minute's row meanwhile: add to it.
            }
        }
    }

    private record Counter(String key, Instant minute) {}
}
