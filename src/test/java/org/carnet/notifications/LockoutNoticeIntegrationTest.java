package org.carnet.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.carnet.shared.Actor;
import org.carnet.shared.Role;
import org.carnet.support.Api;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.carnet.support.TestMailServer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Identity publishes AccountLocked; the account's owner finds the notice in their inbox a moment later. */
@CarnetIntegrationTest
class LockoutNoticeIntegrationTest {

    @Value("${local.server.port}")
    int port;

    @Autowired
    Inbox inbox;

    @Autowired
    JdbcClient jdbc;

    @Test
    void aThrottledPatientIsToldUntilWhen() throws Exception {
        Api api = new Api(port);
        Map<String, Object> registration = Fixtures.aRegistration();
        UUID account = Fixtures.registered(api, registration).account();
        for (int i = 0; i < 10; i++) {
            assertThat(api.post(
                                    "/api/v1/auth/token",
                                    Map.of("email", registration.get("email"), "password", "wrong password " + i),
                                    null)
                            .status())
                    .isEqualTo(401);
        }
        Instant until = jdbc.sql("SELECT blocked_until FROM user_accounts WHERE role = 'PATIENT' AND subject_id = ?")
                .param(account)
                .query(OffsetDateTime.class)
                .single()
                .toInstant();

        Actor.Person owner = new Actor.Person(UUID.randomUUID(), Role.PATIENT, account, null);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> throttled(account, owner).size() == 1);
        assertThat(throttled(account, owner)).singleElement().satisfies(m -> {
            assertThat(m.kind()).isEqualTo("account-throttled");
            assertThat(m.params()).singleElement().isInstanceOf(Instant.class);
            // The database keeps microseconds; the event the instant itself.
            assertThat((Instant) m.params().get(0)).isCloseTo(until, within(1, ChronoUnit.MILLIS));
        });
        // And by e-mail, with the inbox message's verification code.
        String code = throttled(account, owner).get(0).verificationCode();
        // The first e-mail was registration's address confirmation.
        jakarta.mail.internet.MimeMessage mail =
                TestMailServer.awaitTo((String) registration.get("email"), 2).get(1);
        assertThat(mail.getSubject()).startsWith("Carnet : Connexions à votre compte ralenties jusqu’au");
        assertThat(TestMailServer.text(mail, "text/plain"))
                .contains("Trop de tentatives de connexion ont échoué")
                .contains(code)
                .doesNotContain("http");
    }

    private java.util.List<org.carnet.notifications.InboxMessage> throttled(UUID account, Actor.Person owner) {
        return inbox.list(Recipient.patient(account), owner).stream()
                .filter(m -> m.kind().equals("account-throttled"))
                .toList();
    }
}
