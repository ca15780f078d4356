package org.carnet.clients.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.carnet.shared.EstablishmentId;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A program's request counts: exact under concurrency (one window, more requests than its limit at once),
 * and, on PostgreSQL, committed without waiting for the disk in their own transaction only: every pooled
 * connection still commits everything else (bookings, the audit log) synchronously afterwards.
 */
@CarnetIntegrationTest
class RequestCountsIntegrationTest {

    static final int LIMIT = 25;
    static final int REQUESTS = 40;

    @Autowired
    ClientUsage usage;

    @Autowired
    DataSource dataSource;

    @Test
    void concurrentRequestsAreCountedExactlyAndNoConnectionIsLeftCommittingAsynchronously() throws Exception {
        EstablishmentId establishment = EstablishmentId.of(UUID.randomUUID());
        UUID client = UUID.randomUUID();
        Instant window = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        ExecutorService pool = Executors.newFixedThreadPool(REQUESTS);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> counted = new ArrayList<>();
        try {
            for (int i = 0; i < REQUESTS; i++) {
                Callable<Boolean> request = () -> {
                    start.await();
                    return usage.countRequest(establishment, client, window, LIMIT);
                };
                counted.add(pool.submit(request));
            }
            start.countDown();
            int admitted = 0;
            for (Future<Boolean> one : counted) {
                admitted += one.get(60, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(admitted).isEqualTo(LIMIT);
        } finally {
            pool.shutdownNow();
        }
        assertThat(usage.countRequest(establishment, client, window, LIMIT)).isFalse();
        assertThat(usage.countRequest(establishment, client, window.plus(1, ChronoUnit.MINUTES), LIMIT))
                .isTrue();

        if (TestDatabase.postgresRun()) {
            // Every connection of the pool at once: none may still carry the counts' setting.
            int size = dataSource.unwrap(HikariDataSource.class).getMaximumPoolSize();
            List<Connection> all = new ArrayList<>();
            try {
                for (int i = 0; i < size; i++) {
                    all.add(dataSource.getConnection());
                }
                for (Connection connection : all) {
                    try (Statement show = connection.createStatement();
                            ResultSet rs = show.executeQuery("SHOW synchronous_commit")) {
                        assertThat(rs.next()).isTrue();
                        assertThat(rs.getString(1)).isEqualTo("on");
                    }
                }
            } finally {
                for (Connection connection : all) {
                    connection.close();
                }
            }
        }
    }
}
