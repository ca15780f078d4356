import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.carnet.audit.AccessEvent;
import org.carnet.audit.Actor;
import org.carnet.audit.AuditChains;
import org.carnet.audit.AuditLog;
import org.carnet.audit.AuditVerification;
import org.carnet.audit.AuditVerifier;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Carnet's audit benchmark: appends through AuditLog.record (the real code, sealer included) with 1
 * and 100 establishments, the same rows inserted by plain JDBC into a twin table as a reference,
 * bulk sealing, and verification against a plain read of the same rows. Starts only the audit and
 * crypto modules on the database given by SPRING_DATASOURCE_URL. Run by bench/audit.sh, which
 * compiles it against the application jar. Prints key=value lines, then a summary.
 */
public class AuditBench {

    @EnableAutoConfiguration
    @ComponentScan(basePackages = {"org.carnet.audit", "org.carnet.crypto"})
    static class Context {
        @Bean
        Clock clock() {
            return Clock.systemUTC();
        }
    }

    /** The columns the verifier reads by COPY on PostgreSQL (PostgresCopyScan's). */
    static final String VERIFIED_COLUMNS = "chain_key, seq, prev_hash, entry_hash, occurred_at, establishment_id,"
            + " actor_type, actor_id, actor_role, on_behalf_of, patient_id, action, resource, fields, purpose,"
            + " outcome, source_address";

    static int threads;
    static int seconds;
    static int runs;
    static long verifyTarget;
    static boolean appends;

    public static void main(String[] args) throws Exception {
        threads = Integer.parseInt(arg(args, "threads", "16"));
        seconds = Integer.parseInt(arg(args, "seconds", "5"));
        runs = Integer.parseInt(arg(args, "runs", "3"));
        verifyTarget = Long.parseLong(arg(args, "verifyEntries", "1000000"));
        appends = Boolean.parseBoolean(arg(args, "appends", "true"));
        SpringApplication application = new SpringApplication(Context.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setBannerMode(Banner.Mode.OFF);
        application.setLogStartupInfo(false);
        try (ConfigurableApplicationContext context = application.run(
                "--spring.datasource.hikari.maximum-pool-size=" + (threads + 4),
                "--logging.level.root=WARN")) {
            run(context);
        }
    }

    static void run(ConfigurableApplicationContext context) throws Exception {
        AuditLog log = context.getBean(AuditLog.class);
        AuditChains chains = context.getBean(AuditChains.class);
        AuditVerifier verifier = context.getBean(AuditVerifier.class);
        TransactionTemplate tx = context.getBean(TransactionTemplate.class);
        JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
        jdbc.execute("DROP TABLE IF EXISTS bench_raw_log");
        jdbc.execute("CREATE TABLE bench_raw_log (LIKE audit_log INCLUDING DEFAULTS INCLUDING IDENTITY)");

        List<UUID> establishments100 = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            establishments100.add(UUID.randomUUID());
        }
        List<UUID> establishments1 = List.of(establishments100.get(0));

        List<String> summary = new ArrayList<>();
        if (appends) {
            System.out.println("# warm-up: " + threads + " threads, 5 s, 100 establishments, 50 entries per transaction");
            appendPhase(log, tx, jdbc, establishments100, 50, 5);
            rawPhase(jdbc, tx, establishments100, 50, 5);
        }
        for (int batch : appends ? new int[] {1, 50} : new int[0]) {
            for (List<UUID> establishments : List.of(establishments1, establishments100)) {
                List<Double> appends = new ArrayList<>();
                List<Double> committed = new ArrayList<>();
                List<Double> lags = new ArrayList<>();
                List<Double> raw = new ArrayList<>();
                for (int r = 0; r < runs; r++) {
                    double[] a = appendPhase(log, tx, jdbc, establishments, batch, seconds);
                    appends.add(a[0]);
                    committed.add(a[1]);
                    lags.add(a[2]);
                    raw.add(rawPhase(jdbc, tx, establishments, batch, seconds));
                }
                String key = "append.e" + establishments.size() + ".b" + batch;
                print(key + ".perSecond", appends);
                print(key + ".committedPerSecond", committed);
                print(key + ".sealLagSeconds", lags);
                print(key + ".rawInsertPerSecond", raw);
                summary.add(String.format(
                        Locale.ROOT,
                        "appends  %3d establishment(s), %2d per tx: %,9.0f/s sealed (recorded %,9.0f/s, seal lag %.2f s);"
                                + " raw INSERT %,9.0f/s",
                        establishments.size(),
                        batch,
                        median(appends),
                        median(committed),
                        median(lags),
                        median(raw)));
            }
        }

        // Top the log up to the verification size with rows inserted unsealed in SQL, then seal them in bulk.
        long present = jdbc.queryForObject("SELECT COUNT(*) FROM audit_log", Long.class);
        long missing = Math.max(0, verifyTarget - present);
        if (missing >= 10_000) {
            System.out.println("# inserting " + missing + " unsealed entries over 100 establishments in SQL");
            jdbc.update("INSERT INTO audit_log (chain_key, occurred_at, establishment_id, actor_type, actor_id,"
                            + " actor_role, patient_id, action, resource, fields, purpose, outcome, source_address)"
                            + " SELECT e.id, now(), e.id, 'USER', md5(g::text)::uuid, 'PRACTITIONER',"
                            + " md5((g * 7)::text)::uuid, 'READ', 'patient-file', 'first_name,last_name', 'agenda',"
                            + " 'ALLOWED', '192.0.2.10'"
                            + " FROM generate_series(1, ?) g"
                            + " JOIN (SELECT row_number() OVER () - 1 AS n, id FROM unnest(?::uuid[]) id) e"
                            + " ON e.n = g % 100",
                    missing,
                    establishments100.stream().map(UUID::toString).toArray(String[]::new));
            // Sealed by the node's sealer threads (woken by their sweep) and this thread, until none is left.
            long t0 = System.nanoTime();
            chains.sealPending();
            while (unsealedAfter(jdbc, 0) > 0) {
                Thread.sleep(20);
            }
            double sealSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "seal.bulk.entries=%d%nseal.bulk.perSecond=%.0f%n", missing, missing / sealSeconds);
            summary.add(String.format(
                    Locale.ROOT,
                    "bulk seal %,d entries inserted unsealed in SQL (100 chains): %,.0f/s",
                    missing,
                    missing / sealSeconds));
        }
        jdbc.execute("VACUUM ANALYZE audit_log");

        List<Double> verify = new ArrayList<>();
        List<Double> read = new ArrayList<>();
        List<Double> copy = new ArrayList<>();
        long checked = 0;
        verifier.verify(); // warm-up, not counted
        for (int r = 0; r < runs; r++) {
            AuditVerification v = verifier.verify();
            if (!v.intact()) {
                throw new IllegalStateException("the benchmark's own log does not verify: " + v.breaks().get(0).describe());
            }
            checked = v.entriesChecked() + v.pending();
            verify.add(v.entriesPerSecond());
            read.add(copyInServer(jdbc));
            copy.add(copyToClient(jdbc, context.getBean(javax.sql.DataSource.class)));
        }
        print("verify.perSecond", verify);
        print("verify.copyInServerPerSecond", read);
        print("verify.copyToClientPerSecond", copy);
        summary.add(String.format(
                Locale.ROOT,
                "verify   %,d entries: %,.0f entries/s (%.0f %% of the same COPY received and not read, %,.0f rows/s,"
                        + " 2 streams); PostgreSQL alone, 1 backend, COPY to /dev/null: %,.0f rows/s",
                checked,
                median(verify),
                100 * median(verify) / median(copy),
                median(copy),
                median(read)));

        System.out.println();
        System.out.println("================ Carnet audit benchmark summary (medians of " + runs + " runs) ================");
        summary.forEach(System.out::println);
        System.out.println("===========================================================================================");
    }

    /** [sealed appends/s from start to fully sealed, committed appends/s during the phase, seal lag s]. */
    static double[] appendPhase(
            AuditLog log, TransactionTemplate tx, JdbcTemplate jdbc, List<UUID> establishments, int batch, int secs)
            throws InterruptedException {
        long fromId = maxId(jdbc);
        AtomicLong entries = new AtomicLong();
        long[] times = runThreads(secs, () -> {
            UUID establishment = establishments.get(ThreadLocalRandom.current().nextInt(establishments.size()));
            tx.executeWithoutResult(status -> {
                for (int i = 0; i < batch; i++) {
                    log.record(event(establishment));
                }
            });
            entries.addAndGet(batch);
        });
        long stopped = times[1];
        while (unsealedAfter(jdbc, fromId) > 0) {
            Thread.sleep(20);
        }
        long sealed = System.nanoTime();
        double total = entries.get();
        return new double[] {
            total / ((sealed - times[0]) / 1e9), total / ((stopped - times[0]) / 1e9), (sealed - stopped) / 1e9
        };
    }

    /** The same rows by plain JDBC batches into a twin table: no hashing, no sealing. Rows per second. */
    static double rawPhase(JdbcTemplate jdbc, TransactionTemplate tx, List<UUID> establishments, int batch, int secs)
            throws InterruptedException {
        AtomicLong rows = new AtomicLong();
        String insert = "INSERT INTO bench_raw_log (chain_key, occurred_at, establishment_id, actor_type, actor_id,"
                + " actor_role, on_behalf_of, patient_id, action, resource, fields, purpose, outcome, source_address)"
                + " VALUES (?, now(), ?, 'USER', ?, 'PRACTITIONER', NULL, ?, 'READ', 'patient-file',"
                + " 'first_name,last_name', 'agenda', 'ALLOWED', '192.0.2.10')";
        long[] times = runThreads(secs, () -> {
            UUID establishment = establishments.get(ThreadLocalRandom.current().nextInt(establishments.size()));
            List<Object[]> args = new ArrayList<>(batch);
            for (int i = 0; i < batch; i++) {
                args.add(new Object[] {establishment, establishment, UUID.randomUUID(), UUID.randomUUID()});
            }
            tx.executeWithoutResult(status -> jdbc.batchUpdate(insert, args));
            rows.addAndGet(batch);
        });
        return rows.get() / ((times[1] - times[0]) / 1e9);
    }

    /**
     * The ceiling of the verifier's own read: the same binary COPY of the same columns on the same
     * chains, the chains split in two as the verifier's 2 threads split them, each stream on its
     * own thread and connection, received and thrown away: nothing decoded, nothing hashed. Rows
     * per second.
     */
    static double copyToClient(JdbcTemplate jdbc, javax.sql.DataSource dataSource) throws InterruptedException {
        List<UUID> chains = jdbc.queryForList("SELECT chain_key FROM audit_chain_heads ORDER BY seq DESC", UUID.class);
        AtomicLong rows = new AtomicLong();
        long t0 = System.nanoTime();
        List<Thread> streams = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            StringBuilder half = new StringBuilder();
            for (int i = w; i < chains.size(); i += 2) {
                half.append(half.length() == 0 ? "" : ",").append(chains.get(i));
            }
            Thread thread = new Thread(() -> {
                try (java.sql.Connection connection = dataSource.getConnection()) {
                    connection.setAutoCommit(false);
                    try (var statement = connection.createStatement()) {
                        statement.execute("SET LOCAL synchronize_seqscans = off");
                    }
                    rows.addAndGet(new org.postgresql.copy.CopyManager(
                                    connection.unwrap(org.postgresql.core.BaseConnection.class))
                            .copyOut(
                                    "COPY (SELECT " + VERIFIED_COLUMNS + " FROM audit_log WHERE chain_key = ANY('{"
                                            + half + "}'::uuid[])) TO STDOUT (FORMAT binary)",
                                    java.io.OutputStream.nullOutputStream()));
                    connection.rollback();
                } catch (java.sql.SQLException | java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            thread.start();
            streams.add(thread);
        }
        for (Thread stream : streams) {
            stream.join();
        }
        return rows.get() / ((System.nanoTime() - t0) / 1e9);
    }

    /**
     * PostgreSQL alone: one backend writes every row of the log, the same columns, in binary COPY
     * format to /dev/null on the server (no client, no socket). Rows per second of one core.
     */
    static double copyInServer(JdbcTemplate jdbc) {
        long t0 = System.nanoTime();
        long rows = jdbc.update("COPY (SELECT " + VERIFIED_COLUMNS + " FROM audit_log) TO '/dev/null' (FORMAT binary)");
        return rows / ((System.nanoTime() - t0) / 1e9);
    }

    /** Runs the task in a closed loop on every thread for the given seconds; [start, stop] in nanoTime. */
    static long[] runThreads(int secs, Runnable task) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(threads);
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        task.run();
                    }
                } finally {
                    done.countDown();
                }
            });
            thread.start();
        }
        Thread.sleep(secs * 1000L);
        stop.set(true);
        done.await();
        return new long[] {start, System.nanoTime()};
    }

    static AccessEvent event(UUID establishment) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return new AccessEvent(
                new Actor(Actor.Type.USER, new UUID(random.nextLong(), random.nextLong()), "PRACTITIONER"),
                null,
                new UUID(random.nextLong(), random.nextLong()),
                establishment,
                AccessEvent.Action.READ,
                "patient-file",
                List.of("first_name", "last_name"),
                "agenda",
                AccessEvent.Outcome.ALLOWED);
    }

    static long maxId(JdbcTemplate jdbc) {
        Long max = jdbc.queryForObject("SELECT MAX(id) FROM audit_log", Long.class);
        return max == null ? 0 : max;
    }

    static long unsealedAfter(JdbcTemplate jdbc, long id) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM audit_log WHERE id > ? AND seq IS NULL", Long.class, id);
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static void print(String key, List<Double> values) {
        StringBuilder all = new StringBuilder();
        for (double v : values) {
            all.append(all.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.2f", v));
        }
        System.out.printf(Locale.ROOT, "%s=%.2f (runs: %s)%n", key, median(values), all);
    }

    static String arg(String[] args, String key, String fallback) {
        for (String a : args) {
            if (a.startsWith(key + "=")) {
                return a.substring(key.length() + 1);
            }
        }
        return fallback;
    }
}
