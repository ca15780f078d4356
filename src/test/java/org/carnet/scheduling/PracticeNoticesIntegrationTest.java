package org.carnet.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.carnet.directory.Directory;
import org.carnet.notifications.Inbox;
import org.carnet.notifications.InboxMessage;
import org.carnet.notifications.Recipient;
import org.carnet.shared.Actor;
import org.carnet.shared.EstablishmentId;
import org.carnet.shared.Role;
import org.carnet.support.Api;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The practice cancels, moves and makes absent a patient's appointments: scheduling publishes the
 * events and the patient finds one message for each in their inbox, posted a moment later by
 * notifications. What the patient does themselves (booking, cancelling) is confirmed to them.
 */
@CarnetIntegrationTest
class PracticeNoticesIntegrationTest {

    @Value("${local.server.port}")
    int port;

    @Autowired
    Directory directory;

    @Autowired
    Agendas agendas;

    @Autowired
    Availability availability;

    @Autowired
    PracticeAppointments practice;

    @Autowired
    Inbox inbox;

    @Autowired
    JdbcClient jdbc;

    @Test
    void thePatientIsToldOfWhatThePracticeDidToTheirAppointments() {
        Api api = new Api(port);
        Fixtures.Agenda agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        Map<String, Object> registration = Fixtures.aRegistration();
        UUID account = Fixtures.registered(api, registration).account();
        String token = api.token((String) registration.get("email"), (String) registration.get("password"));
        List<String> free = Fixtures.freeSlotIdsFromTomorrow(api, agenda);
        UUID cancelled = book(api, token, agenda, free.get(0));
        UUID moved = book(api, token, agenda, free.get(1));
        UUID absent = book(api, token, agenda, free.get(2));
        UUID ownCancel = book(api, token, agenda, free.get(3));
        assertThat(api.delete("/api/v1/appointments/" + ownCancel, token).status())
                .isEqualTo(204);

        Actor.Person practitioner = new Actor.Person(
                UUID.randomUUID(),
                Role.PRACTITIONER,
                agenda.practitioner().id(),
                EstablishmentId.of(agenda.establishment().id()));
        String name = agenda.practitioner().displayName();
        Slot first = slot(free.get(0));
        Slot second = slot(free.get(1));
        Slot third = slot(free.get(2));
        Slot target = slot(free.get(4));
        practice.cancel(practitioner, cancelled, name);
        practice.move(practitioner, moved, target.id(), name);
        List<Appointment> affected =
                practice.addAbsence(practitioner, agenda.practitioner(), third.start(), third.end());
        assertThat(affected).extracting(Appointment::id).containsExactly(absent);

        Actor.Person reader = new Actor.Person(UUID.randomUUID(), Role.PATIENT, account, null);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> outstandingPublications() == 0
                        && inbox.list(Recipient.patient(account), reader).size() >= 9);
        assertThat(inbox.list(Recipient.patient(account), reader))
                .extracting(InboxMessage::kind, InboxMessage::params)
                .filteredOn(message -> !List.of("appointment-booked", "address-confirmation-sent")
                        .contains(message.toList().get(0)))
                .containsExactlyInAnyOrder(
                        tuple("appointment-cancelled-by-practice", List.of(first.start(), name)),
                        tuple("appointment-moved-by-practice", List.of(second.start(), target.start(), name)),
                        tuple("appointment-absence", List.of(third.start(), name)),
                        tuple("appointment-cancelled", List.of(slot(free.get(3)).start(), name)));
        assertThat(inbox.list(Recipient.patient(account), reader))
                .extracting(InboxMessage::kind)
                .filteredOn("appointment-booked"::equals)
                .hasSize(4);
        // Posted by the platform's notification job, not by the practitioner: one per event (and one at
        // registration, for the address confirmation).
        assertThat(jdbc.sql("SELECT actor_type, actor_role FROM audit_log"
                                + " WHERE patient_id = ? AND resource = 'inbox-message' AND action = 'CREATE'")
                        .param(account)
                        .query((rs, n) -> rs.getString(1) + ":" + rs.getString(2))
                        .list())
                .hasSize(9)
                .containsOnly("SYSTEM:notification");
    }

    private UUID book(Api api, String token, Fixtures.Agenda agenda, String slotId) {
        Api.Response booked = api.post(
                "/api/v1/appointments",
                Map.of("slotId", slotId, "motiveId", agenda.motive().id().toString()),
                token);
        assertThat(booked.status()).isEqualTo(201);
        return UUID.fromString(booked.body().get("id").asString());
    }

    private Slot slot(String id) {
        return availability.slot(UUID.fromString(id)).orElseThrow();
    }

    private int outstandingPublications() {
        return jdbc.sql("SELECT COUNT(*) FROM event_publication")
                .query(Integer.class)
                .single();
    }
}
