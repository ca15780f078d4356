package org.carnet.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.carnet.shared.Actor;
import org.carnet.shared.Role;
import org.carnet.support.CarnetIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

@CarnetIntegrationTest
class InboxIntegrationTest {

    @Autowired
    Inbox inbox;

    @Autowired
    JdbcClient jdbc;

    @Test
    void aMessageIsSealedListedToItsRecipientOnlyAndMarkedRead() {
        Recipient patient = Recipient.patient(UUID.randomUUID());
        Instant when = Instant.parse("2026-12-01T09:00:00Z");
        UUID id = inbox.post(patient, "appointment-absence", List.of(when, "Sealedprobe Practitioner"));
        Actor.Person reader = new Actor.Person(UUID.randomUUID(), Role.PATIENT, patient.id(), null);

        byte[] body = jdbc.sql("SELECT body FROM inbox_messages WHERE id = ?")
                .param(id)
                .query(byte[].class)
                .single();
        assertThat(new String(body, StandardCharsets.ISO_8859_1)).doesNotContain("Sealedprobe", "absence");

        List<InboxMessage> messages = inbox.list(patient, reader);
        assertThat(messages).singleElement().satisfies(m -> {
            assertThat(m.kind()).isEqualTo("appointment-absence");
            assertThat(m.params()).containsExactly(when, "Sealedprobe Practitioner");
            assertThat(m.read()).isFalse();
        });
        assertThat(inbox.list(Recipient.professional(patient.id()), reader)).isEmpty();
        assertThat(inbox.unread(patient)).isEqualTo(1);

        assertThat(inbox.markRead(Recipient.patient(UUID.randomUUID()), id)).isFalse();
        assertThat(inbox.markRead(patient, id)).isTrue();
        assertThat(inbox.unread(patient)).isZero();

        Integer audited = jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE patient_id = ? AND resource = 'inbox-message'")
                .param(patient.id())
                .query(Integer.class)
                .single();
        assertThat(audited).isEqualTo(2);
    }
}
