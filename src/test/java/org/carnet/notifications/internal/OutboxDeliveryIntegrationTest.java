package org.carnet.notifications.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.carnet.CarnetApplication;
import org.carnet.crypto.KeyOwner;
import org.carnet.notifications.Channel;
import org.carnet.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The outbox neither loses nor doubles a message: one that meets a failing SMTP server is sent once the
 * server is back, once; one left pending, or claimed by a worker that then stopped, by a Carnet that
 * stopped is sent once by the next Carnet on the same database.
 */
class OutboxDeliveryIntegrationTest {

    @Test
    void aMessageThatMeetsAFailingSmtpServerIsSentOnceTheServerIsBackAndOnlyOnce() throws Exception {
        int port = freePort();
        String database = TestDatabase.freshName();
        GreenMail smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        try (ConfigurableApplicationContext carnet = start(database, port, "PT0.2S")) {
            UUID id = enqueue(carnet, "smtp-down@example.test");
            JdbcClient jdbc = carnet.getBean(JdbcClient.class);
            // Nothing listens on the port: the first attempt fails and the message waits for the next.
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> attempts(jdbc, id) >= 1 && "PENDING".equals(state(jdbc, id)));

            smtp.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> "SENT".equals(state(jdbc, id)));
            Thread.sleep(1500); // several more polls: nothing is sent again
            assertThat(received(smtp, "smtp-down@example.test")).hasSize(1);
            assertThat(attempts(jdbc, id)).isGreaterThanOrEqualTo(2);
            assertThat(received(smtp, "smtp-down@example.test").get(0).getMessageID())
                    .isEqualTo("<" + id + "@carnet.localhost>");
        } finally {
            smtp.stop();
            TestDatabase.drop(database);
        }
    }

    @Test
    void messagesLeftByAStoppedCarnetAreSentOnceByTheNext() throws Exception {
        int port = freePort();
        String database = TestDatabase.freshName();
        GreenMail smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        try {
            UUID pending;
            UUID claimed;
            // A Carnet whose worker does not run before it stops: one message pending, one claimed by a
            // worker that stopped before sending it (its lease runs out 3 s later).
            try (ConfigurableApplicationContext first = start(database, port, "PT1H")) {
                claimed = enqueue(first, "claimed@example.test");
                List<Outbox.Claimed> taken = first.getBean(Outbox.class).claim(1, Duration.ofSeconds(3));
                assertThat(taken).extracting(Outbox.Claimed::id).containsExactly(claimed);
                pending = enqueue(first, "pending@example.test");
            }
            assertThat(received(smtp, "pending@example.test")).isEmpty();

            try (ConfigurableApplicationContext second = start(database, port, "PT0.2S")) {
                JdbcClient jdbc = second.getBean(JdbcClient.class);
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> "SENT".equals(state(jdbc, pending)) && "SENT".equals(state(jdbc, claimed)));
                Thread.sleep(1500);
                assertThat(received(smtp, "pending@example.test")).hasSize(1);
                assertThat(received(smtp, "claimed@example.test")).hasSize(1);
            }
        } finally {
            smtp.stop();
            TestDatabase.drop(database);
        }
    }

    private static UUID enqueue(ConfigurableApplicationContext carnet, String to) {
        Outbox outbox = carnet.getBean(Outbox.class);
        return carnet.getBean(TransactionTemplate.class)
                .execute(status -> outbox.enqueue(
                        KeyOwner.login(UUID.randomUUID()),
                        new Envelope(Channel.EMAIL, to, "Carnet : test", "Bonjour,\n\ntest\n", "<p>test</p>")));
    }

    private static List<MimeMessage> received(GreenMail smtp, String to) {
        return Arrays.stream(smtp.getReceivedMessages())
                .filter(m -> {
                    try {
                        return m.getAllRecipients()[0].toString().equals(to);
                    } catch (Exception e) {
                        return false;
                    }
                })
                .toList();
    }

    private static String state(JdbcClient jdbc, UUID id) {
        return jdbc.sql("SELECT state FROM outbox_messages WHERE id = ?")
                .param(id)
                .query(String.class)
                .single();
    }

    private static int attempts(JdbcClient jdbc, UUID id) {
        return jdbc.sql("SELECT attempts FROM outbox_messages WHERE id = ?")
                .param(id)
                .query(Integer.class)
                .single();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Carnet on a database (and keystore) that outlives it, sending mail to 127.0.0.1:port. */
    private static ConfigurableApplicationContext start(String database, int smtpPort, String pollInterval) {
        return new SpringApplicationBuilder(CarnetApplication.class)
                .profiles("test")
                .initializers(new TestDatabase())
                .run(
                        "--server.port=0",
                        "--spring.datasource.hikari.maximum-pool-size=8",
                        "--" + TestDatabase.SHARED_NAME + "=" + database,
                        "--spring.mail.host=127.0.0.1",
                        "--spring.mail.port=" + smtpPort,
                        "--carnet.outbox.poll-interval=" + pollInterval,
                        "--carnet.outbox.first-retry=PT0.5S");
    }
}
