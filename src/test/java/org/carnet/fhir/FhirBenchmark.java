package org.carnet.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.carnet.directory.Directory;
import org.carnet.directory.Practitioner;
import org.carnet.directory.Rpps;
import org.carnet.directory.Specialty;
import org.carnet.directory.VisitMotive;
import org.carnet.identity.Logins;
import org.carnet.scheduling.Agendas;
import org.carnet.scheduling.Availability;
import org.carnet.scheduling.PhoneBookings;
import org.carnet.scheduling.WeeklyHours;
import org.carnet.shared.Role;
import org.carnet.support.Api;
import org.carnet.support.Fixtures;
import org.carnet.support.Professionals;
import org.carnet.support.TestDatabase;
import org.carnet.support.TestMailServer;
import org.hl7.fhir.r4.model.Appointment;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A benchmark, not a test (its name matches no test pattern; run it by name, on PostgreSQL): FHIR beside
 * the REST API and beside the pgbench ceiling, in one run on one database (issue 13). One establishment
 * with {@code carnet.bench.practitioners} (48: enough free slots for pgbench on a quiet machine) practitioners open day and night for 12 weeks; a program
 * granted {@code system/Slot.rs system/Appointment.crus} and shown 30 patients (fewer than the breach
 * detector's night floor: a benchmark, not a bulk read); 32 patients registered through the API. Then,
 * {@code carnet.bench.runs} (3) times each, for {@code carnet.bench.seconds} (15) at 32 clients:
 *
 * <ul>
 *   <li>FHIR {@code Slot} searches (one practitioner's free slots of one day, as an agenda synchronises);
 *   <li>FHIR {@code Appointment} creates, each on another free slot;
 *   <li>REST {@code POST /api/v1/appointments} by the patients, each on another free slot;
 *   <li>pgbench with {@code bench/booking.pgbench} (the minimal SQL of one booking) on the same database, Carnet idle;
 * </ul>
 *
 * then 20 concurrent creates of one slot (HAPI FHIR's JPA server accepted 20 of 20), and a count of slots
 * holding more than one appointment (none). Prints every run and the medians.
 *
 * <pre>
 * ./mvnw -B -ntp verify -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dit.test=FhirBenchmark -Ppostgres
 * </pre>
 */
class FhirBenchmark {

    private static final int CLIENTS = Integer.getInteger("carnet.bench.clients", 32);
    private static final int SECONDS = Integer.getInteger("carnet.bench.seconds", 15);
    private static final int RUNS = Integer.getInteger("carnet.bench.runs", 3);
    private static final int PRACTITIONERS = Integer.getInteger("carnet.bench.practitioners", 48);
    private static final int PATIENTS = 30;
    private static final int RACERS = 20;
    private static final String SCOPES = "system/Slot.rs system/Appointment.crus";
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .executor(Executors.newFixedThreadPool(4))
            .build();

    private String base;

    @Test
    void fhirBesideTheRestApiAndPgbench() throws Exception {
        assertThat(TestDatabase.postgresRun())
                .as("run with -Ppostgres: pgbench on the same database is the reference")
                .isTrue();
        String database = TestDatabase.freshName();
        try (ConfigurableApplicationContext carnet = TestDatabase.startCarnet(
                database,
                "--spring.mail.host=127.0.0.1",
                "--spring.mail.port=" + TestMailServer.server().getSmtp().getPort(),
                "--carnet.booking.horizon-weeks=12",
                "--carnet.security.sign-ins-per-minute=100000",
                "--carnet.clients.quotas.requests-per-minute=1000000",
                "--carnet.clients.quotas.patients-per-hour=10000000")) {
            int port = Integer.parseInt(carnet.getEnvironment().getProperty("local.server.port"));
            base = "http://127.0.0.1:" + port;
            Api api = new Api(port);
            JdbcClient jdbc = carnet.getBean(JdbcClient.class);
            Directory directory = carnet.getBean(Directory.class);
            Agendas agendas = carnet.getBean(Agendas.class);
            Logins logins = carnet.getBean(Logins.class);
            Professionals professionals = new Professionals(logins, carnet.getBean(TransactionTemplate.class));

            long started = System.nanoTime();
            Fixtures.Agenda first = new Fixtures(directory, agendas).aPractitionerWithSlots();
            UUID establishment = first.establishment().id();
            List<WeeklyHours> dayAndNight = Arrays.stream(DayOfWeek.values())
                    .map(day -> new WeeklyHours(day, LocalTime.MIN, LocalTime.of(23, 30)))
                    .toList();
            Map<UUID, UUID> motiveOf = new java.util.HashMap<>();
            List<UUID> practitioners = new ArrayList<>();
            for (int i = 0; i < PRACTITIONERS; i++) {
                Practitioner practitioner = i == 0
                        ? first.practitioner()
                        : directory.addPractitioner(
                                establishment,
                                Rpps.of(7_000_000_000L
                                        + Math.abs(UUID.randomUUID().getLeastSignificantBits() % 999_999_999L)),
                                "Bench" + i,
                                "Practitioner" + i,
                                Specialty.DERMATOLOGUE);
                VisitMotive motive = i == 0
                        ? first.motive()
                        : directory.addMotive(practitioner.id(), "Consultation de test", 30, true);
                agendas.defineOpeningHours(practitioner.id(), 30, dayAndNight);
                motiveOf.put(practitioner.id(), motive.id());
                practitioners.add(practitioner.id());
            }

            PracticeAgenda practice = new PracticeAgenda(
                    first,
                    professionals,
                    logins,
                    carnet.getBean(PhoneBookings.class),
                    carnet.getBean(Availability.class),
                    jdbc);
            ConnectedPrograms programs = new ConnectedPrograms(
                    api,
                    base,
                    api.token(professionals.staff(Role.ESTABLISHMENT_ADMIN, establishment)),
                    api.token(professionals.staff(Role.SECURITY_OFFICER, null)));
            ConnectedPrograms.Program program = programs.connect(SCOPES);
            List<String> pseudonyms = new ArrayList<>();
            for (PracticeAgenda.Booked known : practice.bookNewPatients(PATIENTS)) {
                pseudonyms.add(FhirProgramAccessIntegrationTest.patientOf(program.fhir()
                        .read()
                        .resource(Appointment.class)
                        .withId(known.appointmentId().toString())
                        .execute()));
            }
            List<String> patientTokens = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                patientTokens.add(Fixtures.aPatient(api).token());
            }
            // Free slots from tomorrow on, shuffled, shared out between the phases; pgbench's are copied into a table.
            List<String[]> free = new ArrayList<>(jdbc.sql(
                            "SELECT id, practitioner_id FROM slots WHERE establishment_id = ? AND status = 'FREE'"
                                    + " AND start_at > ?")
                    .param(establishment)
                    .param(java.sql.Timestamp.from(java.time.Instant.now().plus(Duration.ofDays(1))))
                    .query((rs, n) -> new String[] {rs.getString(1), rs.getString(2)})
                    .list());
            Collections.shuffle(free);
            Queue<String[]> slots = new ConcurrentLinkedQueue<>(free);
            System.out.printf(
                    "FhirBenchmark: %d practitioners, %d free slots, %d patients shown to the program, %d patients;"
                            + " set up in %.0f s (%d cores, JVM max heap %d MiB)%n",
                    PRACTITIONERS,
                    free.size(),
                    PATIENTS,
                    CLIENTS,
                    (System.nanoTime() - started) / 1e9,
                    Runtime.getRuntime().availableProcessors(),
                    Runtime.getRuntime().maxMemory() >> 20);

            LocalDate tomorrow = LocalDate.now(PARIS).plusDays(1);
            List<Phase> searches = new ArrayList<>();
            List<Phase> creates = new ArrayList<>();
            List<Phase> bookings = new ArrayList<>();
            List<Double> pgbench = new ArrayList<>();
            for (int run = 1; run <= RUNS; run++) {
                String token = programs.refreshed(program, SCOPES).token();
                searches.add(measure("fhir Slot search", run, client -> {
                    UUID practitioner = practitioners.get(client % practitioners.size());
                    LocalDate day = tomorrow.plusDays(client % 28);
                    return get(
                            "/fhir/Slot?schedule=Schedule/" + practitioner + "&status=free&start=ge" + day + "&start=lt"
                                    + day.plusDays(1),
                            token);
                }));
                creates.add(measure("fhir Appointment create", run, client -> {
                    String[] slot = slots.remove();
                    return post(
                            "/fhir/Appointment",
                            "application/fhir+json",
                            "{\"resourceType\":\"Appointment\",\"status\":\"booked\",\"slot\":[{\"reference\":\"Slot/"
                                    + slot[0] + "\"}],\"participant\":[{\"actor\":{\"reference\":\""
                                    + pseudonyms.get(client % PATIENTS)
                                    + "\"},\"status\":\"accepted\"}]}",
                            token);
                }));
                bookings.add(measure("rest POST /api/v1/appointments", run, client -> {
                    String[] slot = slots.remove();
                    return post(
                            "/api/v1/appointments",
                            "application/json",
                            "{\"slotId\":\"" + slot[0] + "\",\"motiveId\":\"" + motiveOf.get(UUID.fromString(slot[1]))
                                    + "\"}",
                            patientTokens.get(client));
                }));
                drain(carnet, run);
                pgbench.add(pgbench(carnet, database, establishment, run));
            }

            String winners = race(programs.refreshed(program, SCOPES).token(), slots.remove()[0], pseudonyms.get(0));
            int doubled = jdbc.sql("SELECT COUNT(*) FROM (SELECT slot_id FROM appointments WHERE status = 'BOOKED'"
                            + " GROUP BY establishment_id, slot_id HAVING COUNT(*) > 1) AS d")
                    .query(Integer.class)
                    .single();

            double searchRate = median(searches.stream().map(Phase::perSecond).toList());
            double createRate = median(creates.stream().map(Phase::perSecond).toList());
            double bookingRate = median(bookings.stream().map(Phase::perSecond).toList());
            double ceiling = median(pgbench);
            System.out.printf(
                    "FhirBenchmark medians of %d runs at %d clients: FHIR Slot searches %.0f/s (p99 %.1f ms);"
                            + " FHIR Appointment creates %.0f/s (p99 %.1f ms); REST bookings %.0f/s (p99 %.1f ms);"
                            + " pgbench %.0f tps; creates/REST %.2f, creates/pgbench %.1f %%; 20 concurrent creates of"
                            + " one slot: %s; slots with two appointments: %d%n",
                    RUNS,
                    CLIENTS,
                    searchRate,
                    median(searches.stream().map(Phase::p99Ms).toList()),
                    createRate,
                    median(creates.stream().map(Phase::p99Ms).toList()),
                    bookingRate,
                    median(bookings.stream().map(Phase::p99Ms).toList()),
                    ceiling,
                    createRate / bookingRate,
                    100 * createRate / ceiling,
                    winners,
                    doubled);
            assertThat(winners).startsWith("1 × 201, 19 × 409");
            assertThat(doubled).isZero();
            assertThat(creates).allSatisfy(phase -> assertThat(phase.failed()).isZero());
            assertThat(bookings).allSatisfy(phase -> assertThat(phase.failed()).isZero());
            assertThat(searches).allSatisfy(phase -> assertThat(phase.failed()).isZero());
        } finally {
            TestDatabase.drop(database);
        }
    }

    /** One phase's figures: requests answered 2xx per second, latencies of all answers, and the others. */
    record Phase(double perSecond, double p50Ms, double p99Ms, int failed) {}

    /** {@link #CLIENTS} threads sending {@code request(client)} back to back for {@link #SECONDS}. */
    private Phase measure(String name, int run, IntFunction<Integer> request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        String load = loadAverage();
        long started = System.nanoTime();
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            clients.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    long sent = System.nanoTime();
                    int status = request.apply(client);
                    latencies.add(System.nanoTime() - sent);
                    if (status / 100 == 2) {
                        ok.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> client : clients) {
            client.get();
        }
        pool.shutdown();
        double seconds = (System.nanoTime() - started) / 1e9;
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        Phase phase = new Phase(ok.get() / seconds, percentile(sorted, 50), percentile(sorted, 99), failed.get());
        System.out.printf(
                "FhirBenchmark run %d, %s: %d ok in %.1f s = %.0f/s; p50 %.1f ms, p99 %.1f ms; failed %d (load %s)%n",
                run, name, ok.get(), seconds, phase.perSecond(), phase.p50Ms(), phase.p99Ms(), phase.failed(), load);
        return phase;
    }

    /**
     * Waits for what the phases left to do in the background (the notices' e-mails in the outbox) before
     * pgbench measures the ceiling: Carnet idle, not still sending.
     */
    private static void drain(ConfigurableApplicationContext carnet, int run) {
        org.carnet.notifications.internal.Outbox outbox =
                carnet.getBean(org.carnet.notifications.internal.Outbox.class);
        long start = System.nanoTime();
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofMinutes(5))
                .pollInterval(java.time.Duration.ofMillis(200))
                .until(() -> outbox.waiting() == 0);
        System.out.printf(
                "FhirBenchmark run %d, outbox drained in %.1f s before pgbench%n",
                run, (System.nanoTime() - start) / 1e9);
    }

    /** pgbench's booking script at the same client count, on slots of this establishment no one booked. */
    private double pgbench(ConfigurableApplicationContext carnet, String database, UUID establishment, int run)
            throws Exception {
        String url = carnet.getEnvironment().getProperty("spring.datasource.url");
        Matcher db = Pattern.compile("//([^:/]+):(\\d+)/([^?]+)").matcher(url);
        assertThat(db.find()).as("a PostgreSQL URL").isTrue();
        try (java.sql.Connection owner = TestDatabase.postgresOwner(database);
                java.sql.Statement sql = owner.createStatement()) {
            sql.execute("DROP TABLE IF EXISTS bench_pgbench_slots");
            sql.execute("DROP SEQUENCE IF EXISTS bench_pgbench_seq");
            sql.execute("CREATE SEQUENCE bench_pgbench_seq");
            sql.execute("CREATE TABLE bench_pgbench_slots AS SELECT row_number() OVER (ORDER BY random()) AS n,"
                    + " establishment_id, id, practitioner_id FROM slots WHERE establishment_id = '" + establishment
                    + "' AND status = 'FREE' AND start_at > now() + interval '1 day'");
            sql.execute("CREATE UNIQUE INDEX ON bench_pgbench_slots (n)");
        }
        String load = loadAverage();
        Process pgbench = new ProcessBuilder(
                        "pgbench",
                        "-n",
                        "-M",
                        "prepared",
                        "-c",
                        String.valueOf(CLIENTS),
                        "-j",
                        "2",
                        "-T",
                        String.valueOf(SECONDS),
                        "-f",
                        Path.of("bench", "booking.pgbench").toString(),
                        "-h",
                        db.group(1),
                        "-p",
                        db.group(2),
                        "-U",
                        TestDatabase.PG_USER,
                        db.group(3))
                .redirectErrorStream(true)
                .start();
        String output = new String(pgbench.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(pgbench.waitFor()).as(output).isZero();
        Matcher tps = Pattern.compile("tps = ([0-9.]+)").matcher(output);
        assertThat(tps.find()).as(output).isTrue();
        double figure = Double.parseDouble(tps.group(1));
        System.out.printf("FhirBenchmark run %d, pgbench booking.pgbench: %.0f tps (load %s)%n", run, figure, load);
        return figure;
    }

    /** {@link #RACERS} concurrent creates of one slot: how many got each status. */
    private String race(String token, String slot, String patient) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(RACERS);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> outcomes = new ArrayList<>();
        for (int i = 0; i < RACERS; i++) {
            outcomes.add(pool.submit(() -> {
                start.await();
                return post(
                        "/fhir/Appointment",
                        "application/fhir+json",
                        "{\"resourceType\":\"Appointment\",\"status\":\"booked\",\"slot\":[{\"reference\":\"Slot/"
                                + slot + "\"}],\"participant\":[{\"actor\":{\"reference\":\"" + patient
                                + "\"},\"status\":\"accepted\"}]}",
                        token);
            }));
        }
        start.countDown();
        Map<Integer, Integer> byStatus = new java.util.TreeMap<>();
        for (Future<Integer> outcome : outcomes) {
            byStatus.merge(outcome.get(60, TimeUnit.SECONDS), 1, Integer::sum);
        }
        pool.shutdown();
        StringBuilder summary = new StringBuilder();
        byStatus.forEach((status, count) -> summary.append(summary.isEmpty() ? "" : ", ")
                .append(count)
                .append(" × ")
                .append(status));
        return summary.toString();
    }

    private int get(String path, String token) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/fhir+json")
                .GET()
                .build());
    }

    private int post(String path, String contentType, String body, String token) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", contentType)
                .header("Accept", contentType)
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    private int send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return 599;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 599;
        }
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static String loadAverage() {
        try {
            return String.join(
                    " ",
                    Arrays.asList(java.nio.file.Files.readString(Path.of("/proc/loadavg"))
                                    .split(" "))
                            .subList(0, 3));
        } catch (IOException e) {
            return "n/a";
        }
    }
}
