package org.carnet.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.carnet.directory.Directory;
import org.carnet.identity.limits.SharedBuckets;
import org.carnet.notifications.Inbox;
import org.carnet.notifications.Recipient;
import org.carnet.scheduling.Agendas;
import org.carnet.shared.Actor;
import org.carnet.shared.Role;
import org.carnet.support.Api;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.carnet.support.PageClient;
import org.carnet.support.Professionals;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Walking around the rate limits and the lockout: encoded paths, a whole IPv6 /64, several nodes, a
 * burst that would hold every database connection, the security page's password check, and guessing
 * on after a lock. Same context as {@link SignInAttackIntegrationTest} (15 attempts a minute).
 */
@CarnetIntegrationTest
@Import(SignInAttackIntegrationTest.LockNotices.class)
// One context for every attack test: see ExposureAttackIntegrationTest for the last two properties.
@TestPropertySource(
        properties = {
            "carnet.security.sign-ins-per-minute=15",
            "carnet.api.docs-public=false",
            "management.endpoints.web.exposure.include=health,info"
        })
class RateLimitAttackIntegrationTest {

    @Value("${local.server.port}")
    int port;

    @Autowired
    SignInRateLimiter limiter;

    @Autowired
    SecurityProperties properties;

    @Autowired
    DataSource dataSource;

    @Autowired
    Clock clock;

    @Autowired
    org.carnet.crypto.BlindIndex blindIndex;

    @Autowired
    PasswordEncoder passwordEncoder;

    @Autowired
    SignIn signIn;

    @Autowired
    Logins logins;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Directory directory;

    @Autowired
    Agendas agendas;

    @Autowired
    Inbox inbox;

    @Autowired
    SignInAttackIntegrationTest.LockNotices notices;

    Api api;

    @BeforeEach
    void freshLimit() {
        limiter.forgetAll();
        api = new Api(port);
    }

    @Test
    void anEncodedTokenPathCountsAsTheTokenEndpoint() {
        long start = System.nanoTime();
        int limited = 0;
        for (int i = 0; i < 20; i++) {
            Api.Response response = api.post(
                    "/api/v1/auth/%74oken",
                    Map.of("email", "encoded-" + i + "@example.test", "password", "Summer2026!Summer"), null);
            if (response.status() == 429) {
                limited++;
                assertThat(response.header("Retry-After")).isNotNull();
            } else {
                // It did reach the token endpoint: the sign-in was refused, not the address.
                assertThat(response.status()).isEqualTo(401);
                assertThat(response.body().get("type").asString()).endsWith("/invalid-credentials");
            }
        }
        RateLimitBudget.assertLimited(20, limited, Duration.ofNanos(System.nanoTime() - start));
    }

    @Test
    void anEncodedLoginPathCountsAsTheLoginForm() {
        PageClient pages = new PageClient(port);
        pages.get("/login");
        long start = System.nanoTime();
        int limited = 0;
        for (int i = 0; i < 20; i++) {
            PageClient.Page page = pages.post(
                    "/l%6Fgin", Map.of("email", "encoded-" + i + "@example.test", "password", "Summer2026!Summer"));
            if (page.status() == 429) {
                limited++;
            } else {
                assertThat(page.location()).endsWith("/login?error");
            }
        }
        RateLimitBudget.assertLimited(20, limited, Duration.ofNanos(System.nanoTime() - start));
    }

    @Test
    void everyAddressOfOneIpv6NetworkDrawsFromOneBudget() throws Exception {
        String network = "2001:db8:" + randomGroup() + ":" + randomGroup() + ":";
        long start = System.nanoTime();
        int refused = 0;
        for (int i = 0; i < 20; i++) {
            // A new interface id each time, as a client rotating through its /64 would.
            if (post(limiter, network + randomGroup() + ":" + randomGroup() + ":" + randomGroup() + ":" + i) == 429) {
                refused++;
            }
        }
        RateLimitBudget.assertLimited(20, refused, Duration.ofNanos(System.nanoTime() - start));
        assertThat(post(limiter, "2001:db8:" + randomGroup() + ":" + randomGroup() + "::1"))
                .as("another /64 has its own budget")
                .isEqualTo(200);
    }

    @Test
    void twoNodesShareOneBudget() throws Exception {
        SignInRateLimiter otherNode =
                new SignInRateLimiter(properties, new SharedBuckets(dataSource, clock), blindIndex, clock);
        String address = "198.51.100." + ThreadLocalRandom.current().nextInt(1, 255);
        limiter.forget(address);
        long start = System.nanoTime();
        int refused = 0;
        for (int i = 0; i < 20; i++) {
            if (post(i % 2 == 0 ? limiter : otherNode, address) == 429) {
                refused++;
            }
        }
        RateLimitBudget.assertLimited(20, refused, Duration.ofNanos(System.nanoTime() - start));
    }

    @Test
    void aSignInBurstWaitingToHashHoldsNoDatabaseConnection() throws Exception {
        Semaphore permits = ((BoundedPasswordEncoder) passwordEncoder).permits();
        int held = permits.drainPermits();
        int burst = ((HikariDataSource) dataSource).getMaximumPoolSize() + 2;
        ExecutorService threads = Executors.newFixedThreadPool(burst);
        try {
            List<Future<String>> attempts = new ArrayList<>();
            for (int i = 0; i < burst; i++) {
                String email = "burst-" + i + "@example.test";
                attempts.add(threads.submit(() -> {
                    try {
                        return signIn.password(email, "a password of the burst")
                                .getClass()
                                .getSimpleName();
                    } catch (PasswordHashingBusy e) {
                        return "busy";
                    }
                }));
            }
            // Every attempt of the burst is waiting for a hashing permit at once...
            await().atMost(Duration.ofSeconds(5)).until(() -> permits.getQueueLength() >= burst);
            // ...and the database still answers everyone else at once.
            CompletableFuture<Integer> probe =
                    CompletableFuture.supplyAsync(() -> jdbc.sql("SELECT COUNT(*) FROM user_accounts")
                            .query(Integer.class)
                            .single());
            assertThat(probe.get(2, TimeUnit.SECONDS)).isPositive();
            // The wait is bounded: with every permit still taken the burst is refused, not queued for ever.
            for (Future<String> attempt : attempts) {
                assertThat(attempt.get(properties.hashingWait().toSeconds() + 5, TimeUnit.SECONDS))
                        .isEqualTo("busy");
            }
            Api.Response refused = api.post(
                    "/api/v1/auth/token",
                    Map.of("email", "burst@example.test", "password", "a password of the burst"),
                    null);
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.header("Retry-After")).isNotNull();
        } finally {
            permits.release(held);
            threads.shutdownNow();
        }
    }

    @Test
    void wrongCurrentPasswordsOnTheSecurityPageLockTheAccountAndAreRateLimited() {
        Map<String, Object> registration = Fixtures.aRegistration();
        api.post("/api/v1/patients", registration, null);
        String email = (String) registration.get("email");
        String password = (String) registration.get("password");
        PageClient pages = new PageClient(port);
        pages.signIn(email, password, null);
        UUID userId = logins.withEmail(email).orElseThrow().userId();
        // Eleven guesses (two requests already drew from this address's budget of 15).
        for (int i = 0; i < 11; i++) {
            pages.get("/account/security");
            PageClient.Page page = pages.post(
                    "/account/security/password",
                    Map.of("currentPassword", "guess number " + i, "newPassword", "a brand new long password"));
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.body()).contains("id=\"current-password-error\"");
        }
        java.time.Instant lockedUntil = blockedUntil(userId);
        assertThat(lockedUntil).as("the guesses locked the account").isAfter(java.time.Instant.now());
        assertThat(notices.received).anyMatch(e -> e.userId().equals(userId));
        // The right password is refused while locked, and the address is out of attempts.
        pages.get("/account/security");
        PageClient.Page right = pages.post(
                "/account/security/password",
                Map.of("currentPassword", password, "newPassword", "a brand new long password"));
        assertThat(right.status()).isEqualTo(200);
        assertThat(right.body()).contains("id=\"current-password-error\"");
        // Registration, sign-in and 12 checks drew 14 of the 15 attempts (the bucket refills one every 4 s,
        // so a slow run may have a little more): the checks are refused within a few more.
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            pages.get("/account/security");
            statuses.add(pages.post(
                            "/account/security/email",
                            Map.of("currentPassword", password, "newEmail", "moved-" + i + "-" + email))
                    .status());
        }
        assertThat(statuses).contains(429);
    }

    @Test
    void repeatedLocksGrowLongerAreEachNotifiedAndReachTheSecurityOfficer() {
        Professionals professionals = new Professionals(logins, transactions);
        Fixtures.Agenda agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        Professionals.Login practitioner = professionals.practitioner(
                agenda.practitioner().id(), agenda.establishment().id());
        Professionals.Login officer = professionals.staff(Role.SECURITY_OFFICER, null);
        for (int i = 0; i < 10; i++) {
            wrongPassword(practitioner, i);
        }
        List<Duration> locks = new ArrayList<>();
        locks.add(lockedFor(practitioner.userId()));
        for (int lock = 2; lock <= 3; lock++) {
            // The lock ran out; the attacker guesses again at once.
            jdbc.sql("UPDATE user_accounts SET blocked_until = ? WHERE id = ?")
                    .params(OffsetDateTime.now().minusSeconds(1), practitioner.userId())
                    .update();
            wrongPassword(practitioner, 10 + lock);
            locks.add(lockedFor(practitioner.userId()));
        }
        assertThat(locks.get(0)).isBetween(Duration.ofMinutes(14), Duration.ofMinutes(15));
        assertThat(locks.get(1)).isBetween(Duration.ofMinutes(29), Duration.ofMinutes(30));
        assertThat(locks.get(2)).isBetween(Duration.ofMinutes(59), Duration.ofMinutes(60));
        assertThat(notices.received)
                .filteredOn(e -> e.userId().equals(practitioner.userId()))
                .extracting(AccountLocked::lockNumber)
                .containsExactly(1, 2, 3);
        Actor.Person reader = new Actor.Person(officer.userId(), Role.SECURITY_OFFICER, officer.userId(), null);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> inbox.list(Recipient.professional(officer.userId()), reader).stream()
                        .anyMatch(m -> m.kind().equals("account-locked-repeatedly")
                                && m.params()
                                        .get(0)
                                        .equals(practitioner.userId().toString())));
    }

    private void wrongPassword(Professionals.Login login, int i) {
        Api.Response response =
                api.post("/api/v1/auth/token", Map.of("email", login.email(), "password", "wrong password " + i), null);
        assertThat(response.status()).isEqualTo(401);
    }

    private Duration lockedFor(UUID userId) {
        return Duration.between(java.time.Instant.now(), blockedUntil(userId));
    }

    private java.time.Instant blockedUntil(UUID userId) {
        OffsetDateTime until = jdbc.sql("SELECT blocked_until FROM user_accounts WHERE id = ?")
                .param(userId)
                .query(OffsetDateTime.class)
                .optional()
                .orElse(null);
        return until == null ? java.time.Instant.EPOCH : until.toInstant();
    }

    /** One sign-in attempt through a node's limiter, from the given address: the status it answers. */
    private static int post(SignInRateLimiter node, String address) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/auth/token");
        request.setRemoteAddr(address);
        MockHttpServletResponse response = new MockHttpServletResponse();
        node.doFilter(request, response, new MockFilterChain());
        return response.getStatus();
    }

    private static String randomGroup() {
        return HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt(1, 0xffff));
    }
}
