package org.carnet.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.carnet.support.Api;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.carnet.support.PageClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The security page asks for the current password before any change of credentials. A burst of such
 * checks waiting for a hashing permit must not hold the database's connections (the review's
 * finding 4: the check ran inside the page's transaction), and the wait is bounded.
 */
@CarnetIntegrationTest
class SecurityPageBurstAttackIntegrationTest {

    @Value("${local.server.port}")
    int port;

    @Autowired
    PasswordEncoder passwordEncoder;

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    SecurityProperties properties;

    @Test
    void currentPasswordChecksWaitingToHashHoldNoDatabaseConnection() throws Exception {
        int burst = ((HikariDataSource) dataSource).getMaximumPoolSize() + 2;
        Api api = new Api(port);
        List<PageClient> sessions = new ArrayList<>();
        for (int i = 0; i < burst; i++) {
            Map<String, Object> registration = Fixtures.aRegistration();
            api.post("/api/v1/patients", registration, null);
            PageClient pages = new PageClient(port);
            pages.signIn((String) registration.get("email"), (String) registration.get("password"), null);
            pages.get("/account/security");
            sessions.add(pages);
        }
        Semaphore permits = ((BoundedPasswordEncoder) passwordEncoder).permits();
        int held = permits.drainPermits();
        ExecutorService threads = Executors.newFixedThreadPool(burst);
        try {
            List<Future<Integer>> changes = new ArrayList<>();
            for (PageClient pages : sessions) {
                changes.add(threads.submit(() -> pages.post(
                                "/account/security/password",
                                Map.of("currentPassword", "a guess of the burst", "newPassword", "a new long password"))
                        .status()));
            }
            // Every check of the burst is waiting for a hashing permit at once...
            await().atMost(Duration.ofSeconds(10)).until(() -> permits.getQueueLength() >= burst);
            // ...and the database still answers everyone else at once.
            CompletableFuture<Integer> probe =
                    CompletableFuture.supplyAsync(() -> jdbc.sql("SELECT COUNT(*) FROM user_accounts")
                            .query(Integer.class)
                            .single());
            assertThat(probe.get(2, TimeUnit.SECONDS)).isPositive();
            // The wait is bounded: with every permit still taken, each check is refused, not queued for ever.
            for (Future<Integer> change : changes) {
                assertThat(change.get(properties.hashingWait().toSeconds() + 10, TimeUnit.SECONDS))
                        .isEqualTo(503);
            }
        } finally {
            permits.release(held);
            threads.shutdownNow();
        }
    }
}
