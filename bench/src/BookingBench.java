import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Carnet's HTTP load driver: registers synthetic patients, then runs a warm-up, concurrent bookings
 * of distinct slots, a rush on a few slots, and availability searches, and prints their figures.
 * JDK only, launched as a single source file:
 *
 * <pre>java bench/src/BookingBench.java base=http://127.0.0.1:8080 work=/tmp/dir [key=value ...]</pre>
 *
 * The work directory holds the slot lists written by bench/run.sh (slot id, motive id per line) and
 * receives results.properties. No personal data: every patient is "Patient Synthétique n".
 */
public class BookingBench {

    private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"");
    private static final String PASSWORD = "bench-password-not-secret";
    private static final List<String> SPECIALTY_CODES = List.of(
            "medecin-generaliste", "ophtalmologue", "dermatologue", "psychiatre", "gynecologue", "pediatre",
            "cardiologue", "chirurgien-dentiste", "masseur-kinesitherapeute", "orl", "rhumatologue",
            "endocrinologue", "gastro-enterologue", "pneumologue", "neurologue", "sage-femme", "orthophoniste",
            "psychologue", "urologue", "radiologue");

    record Slot(String slotId, String motiveId) {}

    record Response(int status, long nanos) {}

    /** Latencies and statuses of one phase, gathered from all its threads. */
    static final class Stats {
        private final String name;
        private final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        private final AtomicInteger errors = new AtomicInteger();
        private long elapsedNanos;
        private Cpu cpu;

        Stats(String name) {
            this.name = name;
        }

        Recorder recorder() {
            return new Recorder(this);
        }

        void status(int status) {
            statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
        }

        int count(int status) {
            AtomicInteger n = statuses.get(status);
            return n == null ? 0 : n.get();
        }

        int total() {
            return statuses.values().stream().mapToInt(AtomicInteger::get).sum() + errors.get();
        }

        long[] sorted(List<Recorder> recorders) {
            int size = recorders.stream().mapToInt(r -> r.size).sum();
            long[] all = new long[size];
            int at = 0;
            for (Recorder r : recorders) {
                System.arraycopy(r.latencies, 0, all, at, r.size);
                at += r.size;
            }
            Arrays.sort(all);
            return all;
        }
    }

    /** One thread's latencies; merged when the phase ends. */
    static final class Recorder {
        final Stats stats;
        long[] latencies = new long[1024];
        int size;

        Recorder(Stats stats) {
            this.stats = stats;
        }

        void add(Response response) {
            if (size == latencies.length) {
                latencies = Arrays.copyOf(latencies, size * 2);
            }
            latencies[size++] = response.nanos();
            if (response.status() < 0) {
                stats.errors.incrementAndGet();
            } else {
                stats.status(response.status());
            }
        }
    }

    /**
     * CPU time used during a phase, from /proc (Linux only; zeros elsewhere): Carnet's process, this
     * driver, the PostgreSQL backends connected to the benchmark database, and the whole machine.
     */
    record Cpu(long carnet, long driver, long postgres, long machineBusy, long machineTotal) {
        private static final double TICK = 0.01; // USER_HZ is 100 on Linux

        static Cpu now(long carnetPid, String database) {
            long postgres = 0;
            String marker = " " + database + " ";
            try (var procs = Files.list(Path.of("/proc"))) {
                for (Path proc : (Iterable<Path>) procs::iterator) {
                    String name = proc.getFileName().toString();
                    if (!name.chars().allMatch(Character::isDigit)) {
                        continue;
                    }
                    try {
                        String cmdline = Files.readString(proc.resolve("cmdline")).replace('\0', ' ');
                        if (cmdline.startsWith("postgres: ") && cmdline.contains(marker)) {
                            postgres += ticks(Long.parseLong(name));
                        }
                    } catch (IOException | UncheckedIOException e) {
                        // the process ended meanwhile
                    }
                }
            } catch (IOException e) {
                return new Cpu(0, 0, 0, 0, 0);
            }
            long busy = 0;
            long total = 0;
            try {
                String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                for (int i = 1; i < cpu.length && i <= 8; i++) {
                    long v = Long.parseLong(cpu[i]);
                    total += v;
                    if (i != 4 && i != 5) { // idle, iowait
                        busy += v;
                    }
                }
            } catch (IOException | RuntimeException e) {
                // leave the machine figures at zero
            }
            return new Cpu(
                    carnetPid > 0 ? ticks(carnetPid) : 0, ticks(ProcessHandle.current().pid()), postgres, busy, total);
        }

        private static long ticks(long pid) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            } catch (IOException | RuntimeException e) {
                return 0;
            }
        }

        Cpu minus(Cpu before) {
            return new Cpu(carnet - before.carnet, driver - before.driver, postgres - before.postgres,
                    machineBusy - before.machineBusy, machineTotal - before.machineTotal);
        }

        /** One line: CPU seconds of each part, and per operation in milliseconds. */
        String describe(int operations, String what) {
            double others = (machineBusy - carnet - driver - postgres) * TICK;
            double capacity = machineTotal * TICK;
            return String.format(
                    Locale.ROOT,
                    "CPU s: Carnet %.1f, PostgreSQL %.1f, driver %.1f, everything else %.1f, of %.1f available;"
                            + " per %s: Carnet %.1f ms, PostgreSQL %.1f ms",
                    carnet * TICK, postgres * TICK, driver * TICK, Math.max(0, others), capacity, what,
                    operations == 0 ? 0 : carnet * TICK * 1000 / operations,
                    operations == 0 ? 0 : postgres * TICK * 1000 / operations);
        }
    }

    private final Map<String, String> args;
    private final URI base;
    private final Path work;
    private final HttpClient http;
    private final Map<String, String> results = new TreeMap<>();
    private final long carnetPid;
    private final String database;

    BookingBench(Map<String, String> args) {
        this.args = args;
        this.base = URI.create(required("base"));
        this.work = Path.of(required("work"));
        this.carnetPid = Long.parseLong(args.getOrDefault("carnetPid", "0"));
        this.database = args.getOrDefault("db", "carnet_bench");
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new HashMap<>();
        for (String arg : argv) {
            int eq = arg.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("arguments are key=value: " + arg);
            }
            args.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        new BookingBench(args).run();
        System.exit(0);
    }

    void run() throws Exception {
        int patients = number("patients", 1000);
        int clients = number("clients", 32);
        List<String> tokens = registerPatients(patients, number("registrationThreads", 4));
        if ("bookings".equals(args.get("mode"))) {
            // One round of the database-role comparison (BENCH_COMPARE_ROLES): warm-up, then bookings only.
            bookings("warmup", slots(required("warmupSlots")), tokens, clients, 30, false);
            bookings("booking", slots(required("bookingSlots")), tokens, clients, number("bookingSeconds", 60), true);
            writeResults(required("results"));
            return;
        }

        List<String> cities = Files.readAllLines(work.resolve("cities.txt"), StandardCharsets.UTF_8);
        // Warm-up: the JIT, the connection pools and the per-establishment data keys.
        bookings("warmup", slots("warmup-slots.csv"), tokens, clients, 30, false);
        searches("warmup-search", cities, clients, 10, false);

        bookings("booking", slots("booking-slots.csv"), tokens, clients, number("bookingSeconds", 60), true);
        rush(slots("rush-slots.csv"), tokens, number("rushPerSlot", 10));
        searches("search", cities, clients, number("searchSeconds", 30), true);

        writeResults("results.properties");
    }

    private void writeResults(String file) throws IOException {
        StringBuilder out = new StringBuilder();
        results.forEach((k, v) -> out.append(k).append('=').append(v).append('\n'));
        Files.writeString(work.resolve(file), out.toString(), StandardCharsets.UTF_8);
    }

    /** Registers patients a few at a time (Argon2 is slow on purpose) and signs each one in. */
    List<String> registerPatients(int count, int threads) throws Exception {
        String run = Long.toString(System.currentTimeMillis(), 36);
        String[] tokens = new String[count];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        long started = System.nanoTime();
        runThreads(threads, t -> {
            for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                String email = "patient-" + run + "-" + i + "@bench.example.test";
                String registration = "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\","
                        + "\"firstName\":\"Patient\",\"lastName\":\"Synthétique " + i + "\","
                        + "\"birthDate\":\"1980-01-01\",\"sex\":\"X\",\"phone\":\"+33 1 00 00 00 00\"}";
                HttpResponse<String> created = send(post("/api/v1/patients", registration, null, null));
                if (created.statusCode() != 202) {
                    failures.incrementAndGet();
                    continue;
                }
                HttpResponse<String> token = send(post(
                        "/api/v1/auth/token",
                        "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}",
                        null,
                        null));
                Matcher m = ACCESS_TOKEN.matcher(token.body());
                if (token.statusCode() != 200 || !m.find()) {
                    failures.incrementAndGet();
                    continue;
                }
                tokens[i] = m.group(1);
            }
        });
        double seconds = (System.nanoTime() - started) / 1e9;
        List<String> ok = Arrays.stream(tokens).filter(t -> t != null).toList();
        System.out.printf(
                Locale.ROOT,
                "registration: %d patients registered and signed in in %.1f s (%.1f/s, %d threads), %d failures%n",
                ok.size(), seconds, ok.size() / seconds, threads, failures.get());
        results.put("registration.patients", Integer.toString(ok.size()));
        results.put("registration.seconds", fmt(seconds));
        results.put("registration.failures", Integer.toString(failures.get()));
        if (ok.size() < count) {
            throw new IllegalStateException("only " + ok.size() + " of " + count + " patients could sign in");
        }
        confirmAddresses();
        return ok;
    }

    /**
     * A patient books once the code e-mailed to their address is typed back. These synthetic addresses
     * are nobody's mailbox, so, as the demo seeder does, the benchmark marks them confirmed in the
     * database; the check itself stays on the booking path it measures.
     */
    void confirmAddresses() throws Exception {
        Process psql = new ProcessBuilder(
                        "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", database, "-c",
                        "UPDATE user_accounts SET email_confirmed_at = now() WHERE email_confirmed_at IS NULL")
                .inheritIO()
                .start();
        if (psql.waitFor() != 0) {
            throw new IllegalStateException("could not mark the benchmark patients' addresses confirmed");
        }
    }

    /** Closed loop: each client books the next distinct slot from the list until it is empty or time is up. */
    void bookings(String phase, List<Slot> slots, List<String> tokens, int clients, int seconds, boolean report)
            throws Exception {
        Stats stats = new Stats(phase);
        AtomicInteger next = new AtomicInteger();
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        List<Recorder> recorders = new ArrayList<>();
        for (int t = 0; t < clients; t++) {
            recorders.add(stats.recorder());
        }
        Cpu cpuBefore = Cpu.now(carnetPid, database);
        long started = System.nanoTime();
        runThreads(clients, t -> {
            Recorder recorder = recorders.get(t);
            int booked = 0;
            for (int i = next.getAndIncrement(); i < slots.size() && System.nanoTime() < deadline;
                    i = next.getAndIncrement()) {
                String token = tokens.get((t + clients * booked++) % tokens.size());
                recorder.add(book(slots.get(i), token));
            }
        });
        stats.elapsedNanos = System.nanoTime() - started;
        stats.cpu = Cpu.now(carnetPid, database).minus(cpuBefore);
        if (report) {
            report(stats, recorders, 201, "bookings");
        }
    }

    /** Every rush slot is wanted by several patients at the same instant; exactly one each may win. */
    void rush(List<Slot> slots, List<String> tokens, int perSlot) throws Exception {
        int clients = slots.size() * perSlot;
        if (tokens.size() < clients) {
            throw new IllegalStateException("the rush needs " + clients + " distinct patients");
        }
        Stats stats = new Stats("rush");
        List<Recorder> recorders = new ArrayList<>();
        for (int t = 0; t < clients; t++) {
            recorders.add(stats.recorder());
        }
        Map<String, AtomicInteger> winnersBySlot = new ConcurrentHashMap<>();
        CountDownLatch ready = new CountDownLatch(clients);
        CountDownLatch go = new CountDownLatch(1);
        AtomicLong started = new AtomicLong();
        Thread[] threads = new Thread[clients];
        for (int c = 0; c < clients; c++) {
            int client = c;
            Slot slot = slots.get(c % slots.size());
            String token = tokens.get(c);
            threads[c] = new Thread(() -> {
                ready.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                Response response = book(slot, token);
                recorders.get(client).add(response);
                if (response.status() == 201) {
                    winnersBySlot.computeIfAbsent(slot.slotId(), s -> new AtomicInteger()).incrementAndGet();
                }
            });
            threads[c].start();
        }
        ready.await();
        started.set(System.nanoTime());
        go.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        stats.elapsedNanos = System.nanoTime() - started.get();
        long[] sorted = stats.sorted(recorders);
        int winners = stats.count(201);
        int conflicts = stats.count(409);
        int failed = stats.total() - winners - conflicts;
        long slotsWithOneWinner = winnersBySlot.values().stream().filter(n -> n.get() == 1).count();
        long slotsWithSeveral = winnersBySlot.values().stream().filter(n -> n.get() > 1).count();
        System.out.printf(
                Locale.ROOT,
                "rush: %d clients on %d slots (%d each) in %.2f s: %d winners (201), %d refused (409), %d failed;"
                        + " slots with exactly one winner %d, with several %d; p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                clients, slots.size(), perSlot, stats.elapsedNanos / 1e9, winners, conflicts, failed,
                slotsWithOneWinner, slotsWithSeveral, ms(percentile(sorted, 50)), ms(percentile(sorted, 99)),
                ms(sorted.length == 0 ? 0 : sorted[sorted.length - 1]));
        results.put("rush.clients", Integer.toString(clients));
        results.put("rush.slots", Integer.toString(slots.size()));
        results.put("rush.winners", Integer.toString(winners));
        results.put("rush.conflicts", Integer.toString(conflicts));
        results.put("rush.failed", Integer.toString(failed));
        results.put("rush.slotsWithOneWinner", Long.toString(slotsWithOneWinner));
        results.put("rush.slotsWithSeveralWinners", Long.toString(slotsWithSeveral));
        results.put("rush.seconds", fmt(stats.elapsedNanos / 1e9));
        results.put("rush.p50Ms", fmt(ms(percentile(sorted, 50))));
        results.put("rush.p99Ms", fmt(ms(percentile(sorted, 99))));
        results.put("rush.statuses", statuses(stats));
    }

    /** Closed loop of availability searches for a random specialty and city. */
    void searches(String phase, List<String> cities, int clients, int seconds, boolean report) throws Exception {
        Stats stats = new Stats(phase);
        List<Recorder> recorders = new ArrayList<>();
        for (int t = 0; t < clients; t++) {
            recorders.add(stats.recorder());
        }
        AtomicInteger empty = new AtomicInteger();
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        Cpu cpuBefore = Cpu.now(carnetPid, database);
        long started = System.nanoTime();
        runThreads(clients, t -> {
            Recorder recorder = recorders.get(t);
            ThreadLocalRandom random = ThreadLocalRandom.current();
            while (System.nanoTime() < deadline) {
                String specialty = SPECIALTY_CODES.get(random.nextInt(SPECIALTY_CODES.size()));
                String city = cities.get(random.nextInt(cities.size()));
                HttpRequest request = HttpRequest.newBuilder(base.resolve("/api/v1/availability?specialty="
                                + specialty + "&city=" + URLEncoder.encode(city, StandardCharsets.UTF_8)))
                        .timeout(Duration.ofSeconds(60))
                        .GET()
                        .build();
                long t0 = System.nanoTime();
                try {
                    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                    recorder.add(new Response(response.statusCode(), System.nanoTime() - t0));
                    if (response.statusCode() == 200 && response.body().contains("\"content\":[]")) {
                        empty.incrementAndGet();
                    }
                } catch (IOException e) {
                    recorder.add(new Response(-1, System.nanoTime() - t0));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        });
        stats.elapsedNanos = System.nanoTime() - started;
        stats.cpu = Cpu.now(carnetPid, database).minus(cpuBefore);
        if (report) {
            report(stats, recorders, 200, "searches");
            results.put(stats.name + ".emptyPages", Integer.toString(empty.get()));
        }
    }

    private Response book(Slot slot, String token) {
        // No comment: the API refuses one since it moved into the teleconsultation's encrypted exchange.
        String body = "{\"slotId\":\"" + slot.slotId() + "\",\"motiveId\":\"" + slot.motiveId() + "\"}";
        HttpRequest request = post("/api/v1/appointments", body, token, UUID.randomUUID().toString());
        long t0 = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), System.nanoTime() - t0);
        } catch (IOException e) {
            return new Response(-1, System.nanoTime() - t0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Response(-1, System.nanoTime() - t0);
        }
    }

    private void report(Stats stats, List<Recorder> recorders, int success, String what) {
        long[] sorted = stats.sorted(recorders);
        double seconds = stats.elapsedNanos / 1e9;
        int ok = stats.count(success);
        int expectedOther = success == 201 ? stats.count(409) : 0;
        int failed = stats.total() - ok - expectedOther;
        System.out.printf(
                Locale.ROOT,
                "%s: %d requests in %.1f s: %d ok (%d), %.1f %s/s; p50 %.1f ms, p99 %.1f ms, max %.1f ms;"
                        + " %d conflicts (409), %d failed; statuses %s%n",
                stats.name, stats.total(), seconds, ok, success, ok / seconds, what,
                ms(percentile(sorted, 50)), ms(percentile(sorted, 99)),
                ms(sorted.length == 0 ? 0 : sorted[sorted.length - 1]), expectedOther, failed, statuses(stats));
        results.put(stats.name + ".requests", Integer.toString(stats.total()));
        results.put(stats.name + ".ok", Integer.toString(ok));
        results.put(stats.name + ".conflicts", Integer.toString(expectedOther));
        results.put(stats.name + ".failed", Integer.toString(failed));
        results.put(stats.name + ".seconds", fmt(seconds));
        results.put(stats.name + ".perSecond", fmt(ok / seconds));
        results.put(stats.name + ".p50Ms", fmt(ms(percentile(sorted, 50))));
        results.put(stats.name + ".p99Ms", fmt(ms(percentile(sorted, 99))));
        results.put(stats.name + ".statuses", statuses(stats));
        if (stats.cpu != null && stats.cpu.machineTotal() > 0) {
            String line = stats.cpu.describe(stats.total(), success == 201 ? "booking" : "search");
            System.out.println("  " + line);
            results.put(stats.name + ".cpu", line);
            results.put(stats.name + ".carnetCpuMs", fmt(stats.cpu.carnet() * Cpu.TICK * 1000 / Math.max(1, stats.total())));
            results.put(
                    stats.name + ".postgresCpuMs", fmt(stats.cpu.postgres() * Cpu.TICK * 1000 / Math.max(1, stats.total())));
        }
    }

    private static String statuses(Stats stats) {
        Map<String, Integer> all = new TreeMap<>();
        stats.statuses.forEach((status, n) -> all.put(Integer.toString(status), n.get()));
        if (stats.errors.get() > 0) {
            all.put("io-error", stats.errors.get());
        }
        return all.toString().replace(" ", "");
    }

    private HttpRequest post(String path, String json, String token, String idempotencyKey) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        if (idempotencyKey != null) {
            builder.header("Idempotency-Key", idempotencyKey);
        }
        return builder.build();
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private List<Slot> slots(String file) throws IOException {
        List<Slot> slots = new ArrayList<>();
        for (String line : Files.readAllLines(work.resolve(file), StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                String[] parts = line.split(",");
                slots.add(new Slot(parts[0].trim(), parts[1].trim()));
            }
        }
        return slots;
    }

    interface ClientLoop {
        void run(int thread) throws Exception;
    }

    private static void runThreads(int count, ClientLoop loop) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < count; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    loop.run(thread);
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static String fmt(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private String required(String key) {
        String value = args.get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("missing argument " + key + "=...");
        }
        return value;
    }

    private int number(String key, int fallback) {
        String value = args.get(key);
        return value == null ? fallback : Integer.parseInt(value);
    }
}
