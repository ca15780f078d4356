package org.carnet.notifications.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.carnet.crypto.FieldSealer;
import org.carnet.crypto.KeyOwner;
import org.carnet.notifications.Channel;
import org.carnet.support.CarnetIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** Workers claiming at the same time (on one node or several) never both get the same message. */
@CarnetIntegrationTest
class OutboxClaimIntegrationTest {

    @Autowired
    Outbox outbox;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    FieldSealer sealer;

    @Test
    void concurrentClaimsNeverShareAMessage() throws Exception {
        // Due 20 s from now (set in the transaction that queues them), for workers whose clock is 30 s ahead:
        // the node's own worker leaves them alone, and the six below must share them all between themselves.
        List<UUID> queued = new ArrayList<>();
        transactions.executeWithoutResult(status -> {
            for (int i = 0; i < 60; i++) {
                UUID id = outbox.enqueue(
                        KeyOwner.login(UUID.randomUUID()),
                        new Envelope(Channel.EMAIL, "claims@example.test", "Carnet : test", "Bonjour,\r\n", null));
                jdbc.sql("UPDATE outbox_messages SET next_attempt_at = ? WHERE id = ?")
                        .params(OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(20), id)
                        .update();
                queued.add(id);
            }
        });
        Outbox later = new Outbox(jdbc, sealer, Clock.offset(Clock.systemUTC(), Duration.ofSeconds(30)));
        int workers = 6;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        try {
            List<Future<List<UUID>>> claims = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                claims.add(pool.submit(() -> {
                    start.await();
                    List<UUID> mine = new ArrayList<>();
                    for (int round = 0; round < 5; round++) {
                        later.claim(20, Duration.ofMinutes(5)).forEach(c -> mine.add(c.id()));
                    }
                    return mine;
                }));
            }
            start.countDown();
            Set<UUID> seen = new HashSet<>();
            for (Future<List<UUID>> claim : claims) {
                for (UUID id : claim.get()) {
                    assertThat(seen.add(id)).as("a message claimed twice").isTrue();
                }
            }
            assertThat(seen).containsAll(queued);
            // Anything else they took (another test's retry due within the 30 s) goes back to the node's worker.
            seen.removeAll(queued);
            seen.forEach(id -> jdbc.sql("UPDATE outbox_messages SET state = 'PENDING', next_attempt_at = ?,"
                            + " lease_until = NULL WHERE id = ? AND state = 'SENDING'")
                    .params(OffsetDateTime.now(ZoneOffset.UTC), id)
                    .update());
        } finally {
            pool.shutdown();
            queued.forEach(id -> jdbc.sql("DELETE FROM outbox_messages WHERE id = ?")
                    .param(id)
                    .update());
        }
    }
}
