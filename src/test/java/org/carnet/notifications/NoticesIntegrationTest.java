package org.carnet.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.carnet.shared.Actor;
import org.carnet.shared.Role;
import org.carnet.support.Api;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A notice is written once per event: a listener the event publication registry delivers again (after
 * a failure or a restart) adds no second inbox message, code or e-mail; and a notice whose transaction
 * rolls back leaves nothing behind, not even its event key.
 */
@CarnetIntegrationTest
class NoticesIntegrationTest {

    @Value("${local.server.port}")
    int port;

    @Autowired
    Notices notices;

    @Autowired
    Inbox inbox;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    @Test
    void theSameEventDeliveredTwiceIsOneNotice() {
        UUID account = register();
        Actor.Person owner = new Actor.Person(UUID.randomUUID(), Role.PATIENT, account, null);
        // Registration already sent one: the address confirmation.
        int inboxBefore = inbox.list(Recipient.patient(account), owner).size();
        int outboxBefore = outboxRows(account);
        String key = "appointment-absence:" + UUID.randomUUID() + ":1";
        List<Object> params = List.of(Instant.parse("2030-01-07T09:00:00Z"), "Dr Test");
        assertThat(notices.send(key, Recipient.patient(account), "appointment-absence", params))
                .isTrue();
        assertThat(notices.send(key, Recipient.patient(account), "appointment-absence", params))
                .isFalse();

        assertThat(inbox.list(Recipient.patient(account), owner)).hasSize(inboxBefore + 1);
        assertThat(outboxRows(account)).isEqualTo(outboxBefore + 1);
    }

    @Test
    void aNoticeWhoseTransactionRollsBackLeavesNothing() {
        UUID account = register();
        int before = outboxRows(account);
        String key = "appointment-absence:" + UUID.randomUUID() + ":1";
        List<Object> params = List.of(Instant.parse("2030-01-07T09:00:00Z"), "Dr Test");
        transactions.executeWithoutResult(status -> {
            notices.send(key, Recipient.patient(account), "appointment-absence", params);
            status.setRollbackOnly();
        });
        assertThat(outboxRows(account)).isEqualTo(before);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM notices WHERE event_key = ?")
                        .param(key)
                        .query(Integer.class)
                        .single())
                .isZero();
        // Delivered again, it is written then.
        assertThat(notices.send(key, Recipient.patient(account), "appointment-absence", params))
                .isTrue();
        assertThat(outboxRows(account)).isEqualTo(before + 1);
    }

    private UUID register() {
        Map<String, Object> registration = Fixtures.aRegistration();
        return Fixtures.registered(new Api(port), registration).account();
    }

    private int outboxRows(UUID account) {
        return jdbc.sql("SELECT COUNT(*) FROM outbox_messages WHERE owner_id = ?")
                .param(account)
                .query(Integer.class)
                .single();
    }
}
