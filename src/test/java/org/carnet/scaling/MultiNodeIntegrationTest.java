package org.carnet.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.carnet.demo.DemoAccounts;
import org.carnet.support.Api;
import org.carnet.support.CarnetProcess;
import org.carnet.support.Fixtures;
import org.carnet.support.FreeSlots;
import org.carnet.support.Nginx;
import org.carnet.support.PageClient;
import org.carnet.support.RequiresNginx;
import org.carnet.support.RequiresPostgres;
import org.carnet.support.TestDatabase;
import org.carnet.support.TestMailServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.util.FileSystemUtils;
import tools.jackson.databind.JsonNode;

/**
 * Two Carnet nodes ({@code java -jar target/carnet.jar}) on one PostgreSQL database, behind Debian's nginx
 * with the proxy settings Carnet ships, all on loopback: what docs/scaling.md promises of several nodes.
 * No slot is booked twice whichever nodes the patients reach; a bearer token and a page session work on
 * every node and a revocation on one is honoured by the other within seconds; the sign-in rate limit is
 * one budget for all nodes and counts the client's own address through the proxy (which the client
 * cannot choose); a slot booked on one node leaves that node's search page at once and the other's within a
 * second, though both keep pages in memory; after one node is killed with {@code kill -9} in the middle of a booking load, every
 * acknowledged booking is there exactly once, every unanswered one retried with its Idempotency-Key
 * lands once, and the audit log, sealed by the surviving node, verifies.
 *
 * <p>It always runs on PostgreSQL, once, in the first pass of the integration tests.
 */
@RequiresPostgres
@RequiresNginx
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiNodeIntegrationTest {

    private static final int SIGN_INS_PER_MINUTE = 40;

    private static final String NAME = TestDatabase.freshName();
    private static final Path DIRECTORY = Path.of("target", "test-data", NAME).toAbsolutePath();

    private static CarnetProcess nodeA;
    private static CarnetProcess nodeB;
    private static Nginx nginx;

    @BeforeAll
    static void startTwoNodesBehindNginx() throws Exception {
        Assumptions.assumeFalse(
                TestDatabase.postgresRun(), "runs once, in the first pass: it always uses PostgreSQL itself");
        CarnetProcess.assumeJarBuilt();
        int portA = CarnetProcess.freePort();
        int portB = CarnetProcess.freePort();
        // The first node migrates the database and seeds the demo directory; the second finds both done.
        nodeA = CarnetProcess.start(portA, DIRECTORY.resolve("node-a.log"), arguments("a"), Map.of());
        nodeB = CarnetProcess.start(portB, DIRECTORY.resolve("node-b.log"), arguments("b"), Map.of());
        nginx = Nginx.start(DIRECTORY.resolve("nginx"), CarnetProcess.freePort(), List.of(portA, portB));
    }

    /** One node's settings: the shared database, keys and witness directory; its own witness name. */
    private static List<String> arguments(String node) {
        List<String> arguments = new ArrayList<>(TestDatabase.postgresArguments(NAME));
        arguments.addAll(List.of(
                "--carnet.data-dir=" + DIRECTORY.resolve("data"),
                "--carnet.audit.witness.directory=" + DIRECTORY.resolve("witness"),
                "--carnet.audit.witness.node=" + node,
                "--carnet.demo.enabled=true",
                "--carnet.security.sign-ins-per-minute=" + SIGN_INS_PER_MINUTE,
                // Behind nginx: the client's address is the one nginx forwards, trusted from nginx only.
                "--server.forward-headers-strategy=native",
                "--server.tomcat.remoteip.internal-proxies=127\\.0\\.0\\.1"));
        return arguments;
    }

    @AfterAll
    static void stop() throws Exception {
        if (nginx != null) {
            nginx.close();
        }
        for (CarnetProcess node : new CarnetProcess[] {nodeA, nodeB}) {
            if (node != null) {
                node.close();
            }
        }
        if (nodeA != null) {
            TestDatabase.drop(NAME);
            FileSystemUtils.deleteRecursively(DIRECTORY);
        }
    }

    @Test
    @Order(1)
    void patientsRushingTheSameSlotsThroughBothNodesGetOneAppointmentPerSlot() throws Exception {
        Api viaNginx = new Api(nginx.port());
        List<Api> doors = List.of(viaNginx, new Api(nodeA.port()), new Api(nodeB.port()));
        List<String> patients = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            patients.add(registerAndSignIn(doors.get(i % 3)));
        }
        List<String[]> slots = FreeSlots.withMotive(viaNginx, 4);
        assertThat(slots).hasSize(4);

        ExecutorService clients = Executors.newFixedThreadPool(patients.size());
        try {
            for (String[] slot : slots) {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Integer>> answers = new ArrayList<>();
                for (int i = 0; i < patients.size(); i++) {
                    Api door = doors.get(i % 3);
                    String patient = patients.get(i);
                    answers.add(clients.submit(() -> {
                        start.await();
                        return book(door, patient, slot, UUID.randomUUID().toString())
                                .status();
                    }));
                }
                start.countDown();
                List<Integer> statuses = new ArrayList<>();
                for (Future<Integer> answer : answers) {
                    statuses.add(answer.get(60, TimeUnit.SECONDS));
                }
                assertThat(statuses)
                        .as("six patients at once on one slot, through nginx and both nodes")
                        .containsOnly(201, 409)
                        .filteredOn(status -> status == 201)
                        .hasSize(1);
            }
        } finally {
            clients.shutdownNow();
        }
        assertThat(doubleBookedSlots())
                .as("slots holding two booked appointments")
                .isZero();
    }

    @Test
    @Order(2)
    void aTokenAndASessionWorkOnEveryNodeAndARevocationOnOneIsHonouredByTheOther() throws Exception {
        Api a = new Api(nodeA.port());
        Api b = new Api(nodeB.port());
        String token = a.token(DemoAccounts.PATIENT_EMAIL, DemoAccounts.PATIENT_PASSWORD);
        assertThat(b.get("/api/v1/me/appointments", token).status())
                .as("a token issued by node A, on node B")
                .isEqualTo(200);
        assertThat(a.get("/api/v1/me/appointments", token).status())
                .as("the same token on node A, which now remembers it")
                .isEqualTo(200);

        assertThat(b.delete("/api/v1/auth/token", token).status()).isEqualTo(204);
        long refusedAfter = waitUntilRefused(a, token, Duration.ofSeconds(10));
        assertThat(refusedAfter)
                .as("milliseconds before node A refused a token revoked on node B (its token cache lasts 2 s)")
                .isLessThan(5_000);

        PageClient browser = new PageClient(nginx.port());
        browser.signIn(DemoAccounts.PATIENT_EMAIL, DemoAccounts.PATIENT_PASSWORD, null);
        assertThat(browser.sessionCookie()).as("signed in through nginx").isNotNull();
        for (CarnetProcess node : List.of(nodeA, nodeB)) {
            PageClient sameBrowser = new PageClient(node.port());
            sameBrowser.useSessionCookie(browser.sessionCookie());
            assertThat(sameBrowser.get("/me/appointments").status())
                    .as("the session on node at port %d", node.port())
                    .isEqualTo(200);
        }
    }

    @Test
    @Order(3)
    void theSignInLimitIsOneBudgetForAllNodesAndCountsTheAddressNginxSaw() throws Exception {
        // 127.0.0.2 tries passwords through nginx and on both nodes directly: one budget, not one per node.
        // Twice the limit and more: with a budget per node, every attempt would go through.
        int accepted = 0;
        int attempts = 2 * SIGN_INS_PER_MINUTE + 20;
        int[] doors = {nginx.port(), nodeA.port(), nodeB.port()};
        long start = System.nanoTime();
        for (int i = 0; i < attempts; i++) {
            int status = signInAttempt("127.0.0.2", doors[i % 3], Map.of());
            if (status != 429) {
                accepted++;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        // The bucket refills continuously: the limit per minute, pro rata over the attempts' duration.
        long allowed = SIGN_INS_PER_MINUTE + (long) Math.ceil(seconds * SIGN_INS_PER_MINUTE / 60.0);
        assertThat(accepted)
                .as("attempts let through from one address over two nodes in %.1f s", seconds)
                .isLessThanOrEqualTo((int) allowed)
                .isLessThan(attempts);

        assertThat(signInAttempt("127.0.0.2", nginx.port(), Map.of("X-Forwarded-For", "127.0.0.9")))
                .as("a client naming another address through nginx is still counted as itself")
                .isEqualTo(429);
        assertThat(signInAttempt("127.0.0.2", nodeA.port(), Map.of("X-Forwarded-For", "127.0.0.9")))
                .as("a client naming another address to a node directly is not a trusted proxy")
                .isEqualTo(429);
        assertThat(signInAttempt("127.0.0.3", nginx.port(), Map.of()))
                .as("another client behind the same nginx keeps its own budget")
                .isNotEqualTo(429);
    }

    @Test
    @Order(3)
    void aSlotBookedOnOneNodeLeavesBothNodesSearchPagesAtOnceAndWithinASecond() throws Exception {
        Api a = new Api(nodeA.port());
        Api b = new Api(nodeB.port());
        String patient = registerAndSignIn(a);
        String search = null;
        String[] slot = null;
        for (JsonNode specialty : b.get("/api/v1/specialties", null).body()) {
            String page =
                    "/api/v1/availability?specialty=" + specialty.get("code").asString();
            for (JsonNode practitioner : b.get(page, null).body().get("content")) {
                String motive = inPersonMotive(b, practitioner.get("id").asString());
                if (motive != null && !practitioner.get("slots").isEmpty()) {
                    search = page;
                    slot = new String[] {
                        practitioner.get("slots").get(0).get("id").asString(), motive
                    };
                    break;
                }
            }
            if (slot != null) {
                break;
            }
        }
        assertThat(slot)
                .as("a free slot on a search page of the demo directory")
                .isNotNull();
        String page = search;
        String slotId = slot[0];
        // Both nodes read the page and keep it.
        assertThat(searchSlotIds(a, page)).contains(slotId);
        assertThat(searchSlotIds(b, page)).contains(slotId);

        assertThat(book(a, patient, slot, UUID.randomUUID().toString()).status())
                .isEqualTo(201);
        long booked = System.nanoTime();
        assertThat(searchSlotIds(a, page))
                .as("the booking node's page, right after its answer")
                .doesNotContain(slotId);
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> !searchSlotIds(b, page).contains(slotId));
        assertThat(Duration.ofNanos(System.nanoTime() - booked))
                .as("until the other node's page no longer lists the slot")
                .isLessThan(Duration.ofSeconds(1));
    }

    private static List<String> searchSlotIds(Api node, String page) {
        Api.Response found = node.get(page, null);
        assertThat(found.status()).isEqualTo(200);
        return found.body()
                .get("content")
                .valueStream()
                .flatMap(p -> p.get("slots").valueStream())
                .map(s -> s.get("id").asString())
                .toList();
    }

    private static String inPersonMotive(Api node, String practitionerId) {
        for (JsonNode motive :
                node.get("/api/v1/practitioners/" + practitionerId, null).body().get("motives")) {
            if (!motive.get("teleconsultation").asBoolean()) {
                return motive.get("id").asString();
            }
        }
        return null;
    }

    @Test
    @Order(4)
    void killingOneNodeInTheMiddleOfABookingLoadLosesNothingAndDuplicatesNothing() throws Exception {
        Api viaNginx = Api.behindLoadBalancer(nginx.port());
        List<String> patients = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            patients.add(registerAndSignIn(viaNginx));
        }
        Queue<String[]> slots = new ConcurrentLinkedQueue<>(FreeSlots.withMotive(viaNginx, 400));
        long bookedBefore = count("SELECT COUNT(*) FROM appointments WHERE status = 'BOOKED'");
        Map<String, String> acknowledged = new ConcurrentHashMap<>(); // idempotency key -> appointment
        Map<String, Booking> unanswered = new ConcurrentHashMap<>(); // idempotency key -> what was asked
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService clients = Executors.newFixedThreadPool(patients.size());
        List<Future<?>> work = new ArrayList<>();
        for (String patient : patients) {
            work.add(clients.submit(() -> {
                String[] next;
                while (running.get() && (next = slots.poll()) != null) {
                    String[] slot = next;
                    String key = UUID.randomUUID().toString();
                    Api.Response answer = Api.unlessUnreachable(() -> book(viaNginx, patient, slot, key));
                    if (answer != null && answer.status() == 201) {
                        acknowledged.put(key, answer.body().get("id").asString());
                    } else if (answer == null || answer.status() >= 500) {
                        unanswered.put(key, new Booking(patient, slot));
                    }
                    // Paced, so that the load still runs when the node dies and after.
                    Thread.sleep(150);
                }
                return null;
            }));
        }
        Thread.sleep(1_000);
        nodeB.kill();
        Thread.sleep(3_000);
        running.set(false);
        clients.shutdown();
        assertThat(clients.awaitTermination(90, TimeUnit.SECONDS)).isTrue();
        for (Future<?> client : work) {
            client.get();
        }
        assertThat(acknowledged).as("bookings acknowledged around the kill").hasSizeGreaterThan(10);

        // The client's retries, with the same keys, on the surviving node.
        Api a = new Api(nodeA.port());
        Map<String, String> retried = new HashMap<>();
        for (Map.Entry<String, Booking> request : unanswered.entrySet()) {
            Booking booking = request.getValue();
            Api.Response answer = book(a, booking.patient(), booking.slot(), request.getKey());
            assertThat(answer.status())
                    .as("a retry with the same Idempotency-Key after the kill")
                    .isIn(200, 201);
            retried.put(request.getKey(), answer.body().get("id").asString());
        }

        Set<String> booked = new HashSet<>(acknowledged.values());
        booked.addAll(retried.values());
        for (String appointment : acknowledged.values()) {
            String patient = null;
            for (String candidate : patients) {
                if (a.get("/api/v1/appointments/" + appointment, candidate).status() == 200) {
                    patient = candidate;
                }
            }
            assertThat(patient).as("an acknowledged booking, after the kill").isNotNull();
        }
        assertThat(count("SELECT COUNT(*) FROM appointments WHERE status = 'BOOKED'") - bookedBefore)
                .as("appointments the load added to the database: acknowledged or retried, each once")
                .isEqualTo(booked.size());
        assertThat(doubleBookedSlots())
                .as("slots holding two booked appointments")
                .isZero();

        // Node B's entries are sealed by node A's sweep; the whole log verifies on the survivor.
        String officer = a.token(
                DemoAccounts.SECURITY_OFFICER_EMAIL,
                DemoAccounts.SECURITY_OFFICER_PASSWORD,
                DemoAccounts.SECURITY_OFFICER_TOTP);
        Api.Response verification = awaitVerified(a, officer, Duration.ofSeconds(60));
        assertThat(verification.body().get("intact").asBoolean())
                .as("the audit log after a node's death: %s", verification.raw())
                .isTrue();
    }

    private record Booking(String patient, String[] slot) {}

    private static Api.Response book(Api door, String patient, String[] slot, String idempotencyKey) {
        return door.post(
                "/api/v1/appointments",
                Map.of("slotId", slot[0], "motiveId", slot[1]),
                patient,
                Map.of("Idempotency-Key", idempotencyKey));
    }

    private static String registerAndSignIn(Api door) throws Exception {
        Map<String, Object> registration = Fixtures.aRegistration();
        String email = (String) registration.get("email");
        String password = (String) registration.get("password");
        Api.Response registered = door.post("/api/v1/patients", registration, null);
        assertThat(registered.status()).as("registration").isEqualTo(202);
        String token = door.token(email, password);
        // A patient books once their address is confirmed, with the code mailed to it (here: a file).
        assertThat(door.post("/api/v1/me/email-confirmation", Map.of("code", mailedCode(email)), token)
                        .status())
                .as("address confirmation")
                .isEqualTo(204);
        return token;
    }

    /** The confirmation code mailed to this address, from the nodes' mail folder (the jar's default). */
    private static String mailedCode(String email) throws IOException, MessagingException, InterruptedException {
        Pattern code = Pattern.compile("(?:code de confirmation est|confirmation code is) ([0-9]{6})");
        Path folder = DIRECTORY.resolve("data").resolve("outbox");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(folder)) {
                try (Stream<Path> files = Files.list(folder)) {
                    for (Path file :
                            files.filter(f -> f.toString().endsWith(".eml")).toList()) {
                        MimeMessage message;
                        try (InputStream in = Files.newInputStream(file)) {
                            message = new MimeMessage(Session.getInstance(new Properties()), in);
                        }
                        if (InternetAddress.toString(message.getAllRecipients()).contains(email)) {
                            Matcher found = code.matcher(TestMailServer.text(message));
                            if (found.find()) {
                                return found.group(1);
                            }
                        }
                    }
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no confirmation code mailed within 30 s");
    }

    private static long waitUntilRefused(Api node, String token, Duration patience) throws InterruptedException {
        long start = System.nanoTime();
        while (System.nanoTime() - start < patience.toNanos()) {
            if (node.get("/api/v1/me/appointments", token).status() == 401) {
                return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the revoked token still worked after " + patience.toSeconds() + " s");
    }

    /** The audit verification, once every entry is sealed (the survivor's sweep takes a few seconds). */
    private static Api.Response awaitVerified(Api node, String officer, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        Api.Response verification;
        do {
            verification = node.post("/api/v1/security/audit/verify", Map.of(), officer);
            if (verification.body().get("intact").asBoolean()) {
                return verification;
            }
            Thread.sleep(1_000);
        } while (System.nanoTime() < deadline);
        return verification;
    }

    /**
     * A sign-in attempt with a wrong password from this loopback address (Linux answers on all of
     * 127.0.0.0/8), over a plain socket since the JDK's HTTP client cannot choose its source address; the
     * status code.
     */
    private static int signInAttempt(String from, int port, Map<String, String> headers) throws IOException {
        byte[] body = ("{\"email\":\"nobody-" + UUID.randomUUID()
                        + "@example.test\",\"password\":\"not-the-password-2026\"}")
                .getBytes(StandardCharsets.UTF_8);
        StringBuilder request = new StringBuilder()
                .append("POST /api/v1/auth/token HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:")
                .append(port)
                .append("\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: ")
                .append(body.length)
                .append("\r\n");
        headers.forEach(
                (name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        request.append("\r\n");
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(from, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            String statusLine = new String(in.readNBytes(12), StandardCharsets.US_ASCII); // "HTTP/1.1 401"
            return Integer.parseInt(statusLine.substring(9, 12));
        }
    }

    private static long doubleBookedSlots() throws SQLException {
        return count("SELECT COUNT(*) FROM (SELECT slot_id FROM appointments WHERE status = 'BOOKED'"
                + " GROUP BY slot_id HAVING COUNT(*) > 1) twice");
    }

    private static long count(String sql) throws SQLException {
        try (Connection owner = TestDatabase.postgresOwner(NAME);
                ResultSet rows = owner.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
