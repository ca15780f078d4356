package org.carnet.notifications.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.PageClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code /verifier}, signed out: a code Carnet sent is confirmed with its kind and date, however it is
 * typed; a code it never sent is not; a code older than 90 days has expired. The page says nothing
 * else, and takes the code in a POST body only.
 */
@CarnetIntegrationTest
class VerifierIntegrationTest {

    @Value("${local.server.port}")
    int port;

    @Autowired
    VerificationCodes codes;

    @Autowired
    TransactionTemplate transactions;

    @Test
    void aCodeCarnetSentIsConfirmedWithItsKindAndDate() {
        String code = transactions.execute(status -> codes.issue("appointment-booked"));
        PageClient page = new PageClient(port);
        assertThat(page.get("/verifier").status()).isEqualTo(200);

        PageClient.Page answer = page.post("/verifier", Map.of("code", code));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body())
                .contains("Oui : Carnet a envoyé un message avec ce code le")
                .contains("(confirmation de rendez-vous)");
        // Typed as people do: lower case, spaces for hyphens, without the prefix.
        String sloppy = code.substring(4).toLowerCase().replace('-', ' ');
        assertThat(page.post("/verifier", Map.of("code", sloppy)).body()).contains("Oui : Carnet a envoyé");
    }

    @Test
    void aCodeCarnetNeverSentIsRefused() {
        PageClient page = new PageClient(port);
        page.get("/verifier");
        for (String fake : new String[] {"CRN-7Q4K-2M9X", "CRN-0000-0000", "not a code", ""}) {
            assertThat(page.post("/verifier", Map.of("code", fake)).body())
                    .as(fake)
                    .contains("Carnet n’a envoyé aucun message avec ce code")
                    .doesNotContain("Oui : Carnet a envoyé");
        }
    }

    @Test
    void aCodeOlderThanNinetyDaysHasExpired() {
        String code = transactions.execute(
                status -> codes.issue("appointment-cancelled", Instant.now().minus(Duration.ofDays(91))));
        PageClient page = new PageClient(port);
        page.get("/verifier");
        assertThat(page.post("/verifier", Map.of("code", code)).body())
                .contains("il a expiré")
                .doesNotContain("Oui : Carnet a envoyé");
        String recent = transactions.execute(
                status -> codes.issue("appointment-cancelled", Instant.now().minus(Duration.ofDays(89))));
        assertThat(page.post("/verifier", Map.of("code", recent)).body()).contains("Oui : Carnet a envoyé");
    }

    @Test
    void theCodeIsNeverReadFromTheAddress() {
        String code = transactions.execute(status -> codes.issue("appointment-booked"));
        PageClient page = new PageClient(port);
        assertThat(page.get("/verifier?code=" + code).body()).doesNotContain("Oui : Carnet a envoyé");
    }
}
