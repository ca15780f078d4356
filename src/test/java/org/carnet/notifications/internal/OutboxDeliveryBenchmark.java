package org.carnet.notifications.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.carnet.crypto.KeyOwner;
import org.carnet.notifications.Channel;
import org.carnet.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A benchmark, not a test (its name matches no test pattern; run it by name): how many messages a
 * second one outbox worker delivers to a local SMTP server (GreenMail, in this JVM), beside the same
 * server fed directly by the same SMTP transport in the same run. Prints the medians of 3 rounds of
 * {@code carnet.bench.outbox-messages} (2,000) messages each.
 *
 * <pre>
 * ./mvnw -B -ntp verify -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dit.test=OutboxDeliveryBenchmark [-Ppostgres]
 * </pre>
 */
class OutboxDeliveryBenchmark {

    private static final int MESSAGES = Integer.getInteger("carnet.bench.outbox-messages", 2000);
    private static final int ROUNDS = 3;

    @Test
    void deliveryRate() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        GreenMail smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        String database = TestDatabase.freshName();
        try (ConfigurableApplicationContext carnet = TestDatabase.startCarnet(
                database,
                "--spring.mail.host=127.0.0.1",
                "--spring.mail.port=" + port,
                "--carnet.outbox.poll-interval=PT1H",
                "--carnet.outbox.batch-size=100")) {
            Outbox outbox = carnet.getBean(Outbox.class);
            OutboxDelivery delivery = carnet.getBean(OutboxDelivery.class);
            MailTransport transport = carnet.getBean(MailTransport.class);
            TransactionTemplate transactions = carnet.getBean(TransactionTemplate.class);
            List<Double> direct = new ArrayList<>();
            List<Double> outboxed = new ArrayList<>();
            List<Double> enqueued = new ArrayList<>();
            for (int round = 0; round < ROUNDS + 1; round++) {
                long start = System.nanoTime();
                for (int i = 0; i < MESSAGES; i++) {
                    transport.send(UUID.randomUUID(), envelope(i));
                }
                double directRate = MESSAGES / seconds(start);

                start = System.nanoTime();
                for (int batch = 0; batch < MESSAGES; batch += 100) {
                    int first = batch;
                    transactions.executeWithoutResult(status -> {
                        for (int i = first; i < Math.min(first + 100, MESSAGES); i++) {
                            outbox.enqueue(KeyOwner.login(UUID.randomUUID()), envelope(i));
                        }
                    });
                }
                double enqueueRate = MESSAGES / seconds(start);

                start = System.nanoTime();
                while (delivery.deliverDue() > 0) {
                    // drain
                }
                double outboxRate = MESSAGES / seconds(start);
                // A rate is only worth printing if the outbox delivered everything.
                assertThat(outbox.waiting()).as("messages left undelivered").isZero();
                smtp.purgeEmailFromAllMailboxes();
                if (round > 0) { // the first round warms up
                    direct.add(directRate);
                    enqueued.add(enqueueRate);
                    outboxed.add(outboxRate);
                }
                System.out.printf(
                        "round %d: direct SMTP %.0f msg/s, outbox enqueue %.0f msg/s, outbox delivery %.0f msg/s%n",
                        round, directRate, enqueueRate, outboxRate);
            }
            System.out.printf(
                    "OUTBOX BENCHMARK (%s, %d messages x %d rounds, medians): direct SMTP %.0f msg/s;"
                            + " outbox enqueue (sealed, 100 per transaction) %.0f msg/s; outbox delivery (claim, open,"
                            + " send, acknowledge; one worker) %.0f msg/s = %.0f %% of direct%n",
                    System.getProperty("carnet.test.database", "h2"),
                    MESSAGES,
                    ROUNDS,
                    median(direct),
                    median(enqueued),
                    median(outboxed),
                    100 * median(outboxed) / median(direct));
        } finally {
            smtp.stop();
            TestDatabase.drop(database);
        }
    }

    private static Envelope envelope(int i) {
        return new Envelope(
                Channel.EMAIL,
                "bench-" + (i % 50) + "@example.test",
                "Carnet : Rendez-vous confirmé le lundi 7 janvier 2030 à 09:00",
                "Bonjour Testfirst,\n\nVotre rendez-vous avec Dr Test le lundi 7 janvier 2030 à 09:00 est confirmé.\n\n"
                        + "Code de vérification de ce message : CRN-7Q4K-2M9X\n\n-- \nCarnet ne vous demande jamais votre"
                        + " mot de passe.\n",
                "<p>Bonjour Testfirst,</p><p>Votre rendez-vous est confirmé.</p>");
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
