package org.carnet.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.carnet.support.Api;
import org.carnet.support.CarnetProcess;
import org.carnet.support.FreeSlots;
import org.carnet.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.util.FileSystemUtils;
import tools.jackson.databind.JsonNode;

/**
 * The embedded default keeps what it acknowledged: {@code java -jar carnet.jar} on its own H2 file
 * database, bookings, cancellations and registrations through the API, the process killed with
 * {@code kill -9} three seconds into the load, then started again on the same data directory. Every
 * answer the client saw as a success must be found afterwards, the audit log must hold an entry per
 * acknowledged booking and its chains must still verify.
 */
class EmbeddedDefaultDurabilityIntegrationTest {

    private static final int SLOTS = 400;
    private static final int REGISTRATIONS = 4;
    private static final Duration LOAD_BEFORE_KILL = Duration.ofSeconds(3);

    private final Path dataDir =
            Path.of("target", "test-data", "durability-" + UUID.randomUUID()).toAbsolutePath();
    private CarnetProcess carnet;

    @AfterEach
    void stop() throws IOException {
        if (carnet != null) {
            carnet.close();
        }
        FileSystemUtils.deleteRecursively(dataDir);
        FileSystemUtils.deleteRecursively(Path.of(dataDir + "-keys"));
    }

    @Test
    void everythingAcknowledgedBeforeAKillMinusNineIsThereAfterTheRestart() throws Exception {
        Assumptions.assumeFalse(TestDatabase.postgresRun(), "the embedded default is the H2 file database");
        CarnetProcess.assumeJarBuilt();
        int port = CarnetProcess.freePort();
        carnet = start(port, "first");
        // Its keys are apart from its data, and it says where and that they protect a demonstration.
        assertThat(Files.readString(dataDir.resolve("first.log")))
                .contains("keystore " + Path.of(dataDir + "-keys", "carnet-keys.p12"))
                .contains("They protect a demonstration");
        assertThat(Files.exists(Path.of(dataDir + "-keys", "carnet-keys.p12"))).isTrue();
        assertThat(Files.exists(dataDir.resolve("keystore-password"))).isTrue();
        Api api = new Api(port);
        String patient = api.token(DemoAccounts.PATIENT_EMAIL, DemoAccounts.PATIENT_PASSWORD);
        List<String[]> slots = FreeSlots.withMotive(api, SLOTS);

        Acknowledged acknowledged = load(api, patient, slots);
        assertThat(acknowledged.bookings)
                .as("bookings acknowledged before the kill")
                .hasSizeGreaterThan(20);
        assertThat(acknowledged.cancellations)
                .as("cancellations acknowledged before the kill")
                .isNotEmpty();

        carnet = start(port, "after-kill");
        api = new Api(port);
        patient = api.token(DemoAccounts.PATIENT_EMAIL, DemoAccounts.PATIENT_PASSWORD);

        List<String> lost = new ArrayList<>();
        List<String> notCancelled = new ArrayList<>();
        for (String id : acknowledged.bookings) {
            Api.Response appointment = api.get("/api/v1/appointments/" + id, patient);
            if (appointment.status() != 200) {
                lost.add(id);
            } else if (acknowledged.cancellations.contains(id)
                    && !appointment.body().get("status").asString().equals("CANCELLED")) {
                notCancelled.add(id);
            }
        }
        assertThat(lost)
                .as("acknowledged bookings missing after the restart, of %d", acknowledged.bookings.size())
                .isEmpty();
        assertThat(notCancelled)
                .as("acknowledged cancellations undone by the restart")
                .isEmpty();

        for (String email : acknowledged.registrations) {
            assertThat(api.post("/api/v1/auth/token", Map.of("email", email, "password", PASSWORD), null)
                            .status())
                    .as("an acknowledged registration signs in after the restart")
                    .isEqualTo(200);
        }

        String officer = api.token(
                DemoAccounts.SECURITY_OFFICER_EMAIL,
                DemoAccounts.SECURITY_OFFICER_PASSWORD,
                DemoAccounts.SECURITY_OFFICER_TOTP);
        JsonNode verification =
                api.post("/api/v1/security/audit/verify", Map.of(), officer).body();
        assertThat(verification.get("intact").asBoolean())
                .as("the audit chain verifies after the kill: %s", verification)
                .isTrue();

        assertThat(carnet.stop(Duration.ofSeconds(60))).as("stopped").isTrue();
        try (Connection database = DriverManager.getConnection(
                        "jdbc:h2:file:" + dataDir.resolve("carnet") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE",
                        "carnet",
                        "");
                ResultSet entries = database.createStatement()
                        .executeQuery("SELECT COUNT(*) FROM audit_log WHERE action = 'CREATE'"
                                + " AND resource = 'appointment' AND purpose = 'booking'")) {
            entries.next();
            assertThat(entries.getLong(1))
                    .as("audit entries of bookings, for %d acknowledged", acknowledged.bookings.size())
                    .isGreaterThanOrEqualTo(acknowledged.bookings.size());
        }
    }

    private static final String PASSWORD = "durable-synthetic-pass-2026";

    private record Acknowledged(List<String> bookings, List<String> cancellations, List<String> registrations) {}

    /** Books, cancels and registers until the process is killed; what was answered as done. */
    private Acknowledged load(Api api, String patient, List<String[]> slots)
            throws InterruptedException, ExecutionException {
        List<String> bookings = Collections.synchronizedList(new ArrayList<>());
        List<String> cancellations = Collections.synchronizedList(new ArrayList<>());
        List<String> registrations = Collections.synchronizedList(new ArrayList<>());
        BlockingQueue<String[]> toBook = new LinkedBlockingQueue<>(slots);
        BlockingQueue<String> toCancel = new LinkedBlockingQueue<>();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger registered = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        List<Future<?>> work = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            work.add(clients.submit(() -> {
                while (running.get()) {
                    String[] slot = toBook.poll();
                    if (slot == null) {
                        return;
                    }
                    Api.Response answer = Api.unlessUnreachable(() -> api.post(
                            "/api/v1/appointments",
                            Map.of("slotId", slot[0], "motiveId", slot[1]),
                            patient,
                            Map.of("Idempotency-Key", UUID.randomUUID().toString())));
                    if (answer != null && answer.status() == 201) {
                        String id = answer.body().get("id").asString();
                        bookings.add(id);
                        if (bookings.size() % 4 == 0) {
                            toCancel.add(id);
                        }
                    }
                }
            }));
        }
        work.add(clients.submit(() -> {
            while (running.get()) {
                String id = toCancel.poll(100, TimeUnit.MILLISECONDS);
                if (id != null) {
                    Api.Response answer =
                            Api.unlessUnreachable(() -> api.delete("/api/v1/appointments/" + id, patient));
                    if (answer != null && answer.status() == 204) {
                        cancellations.add(id);
                    }
                }
            }
            return null;
        }));
        work.add(clients.submit(() -> {
            while (running.get() && registered.get() < REGISTRATIONS) {
                String email = "durability-" + UUID.randomUUID() + "@example.test";
                Api.Response answer =
                        Api.unlessUnreachable(() -> api.post("/api/v1/patients", registration(email), null));
                if (answer != null && answer.status() == 202) {
                    registrations.add(email);
                    registered.incrementAndGet();
                }
            }
        }));
        Thread.sleep(LOAD_BEFORE_KILL.toMillis());
        carnet.kill(); // SIGKILL: no shutdown hook, no closing of the database
        running.set(false);
        clients.shutdown();
        assertThat(clients.awaitTermination(90, TimeUnit.SECONDS)).isTrue();
        for (Future<?> client : work) {
            client.get(); // a client that failed otherwise than by a lost connection fails the test
        }
        return new Acknowledged(List.copyOf(bookings), List.copyOf(cancellations), List.copyOf(registrations));
    }

    private static Map<String, Object> registration(String email) {
        return Map.of(
                "email", email,
                "password", PASSWORD,
                "firstName", "Synthetic",
                "lastName", "Durability",
                "birthDate", "1980-01-01",
                "sex", "X",
                "phone", "+33 6 00 00 00 00");
    }

    /** {@code java -jar target/carnet.jar} on this test's data directory, as a user starts it; once it answers. */
    private CarnetProcess start(int port, String name) throws IOException, InterruptedException {
        return CarnetProcess.start(
                port, dataDir.resolve(name + ".log"), List.of("--carnet.data-dir=" + dataDir), Map.of());
    }
}
