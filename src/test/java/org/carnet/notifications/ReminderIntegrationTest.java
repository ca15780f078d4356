package org.carnet.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.carnet.directory.Directory;
import org.carnet.scheduling.Agendas;
import org.carnet.shared.Actor;
import org.carnet.shared.Role;
import org.carnet.support.Api;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.carnet.support.TestMailServer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import tools.jackson.databind.JsonNode;

/**
 * Reminders go out when the establishment set them (24 h and 2 h before by default), once each, for the
 * appointment's current time; a cancelled appointment, a patient who opted out, and a reminder whose
 * time had passed at booking get none.
 */
@CarnetIntegrationTest
class ReminderIntegrationTest {

    @Value("${local.server.port}")
    int port;

    @Autowired
    Directory directory;

    @Autowired
    Agendas agendas;

    @Autowired
    Reminders reminders;

    @Autowired
    ReminderSettings settings;

    @Autowired
    NotificationPreferences preferences;

    @Autowired
    Inbox inbox;

    @Test
    void aBookedAppointmentIsRemindedADayAndTwoHoursBeforeOnceEach() throws Exception {
        Api api = new Api(port);
        Fixtures.Agenda agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        Fixtures.Patient patient = Fixtures.aPatient(api);
        List<JsonNode> free = slotsFromIn3Days(api, agenda);
        Instant start = Instant.parse(free.get(0).get("start").asString());
        Fixtures.book(api, patient, agenda, free.get(0).get("id").asString());

        reminders.sendDue(start.minus(Duration.ofHours(25)));
        assertThat(reminders(patient)).isEmpty();
        reminders.sendDue(start.minus(Duration.ofHours(24)));
        reminders.sendDue(start.minus(Duration.ofHours(23))); // the next rounds: nothing again
        reminders.sendDue(start.minus(Duration.ofHours(22)));
        assertThat(reminders(patient))
                .singleElement()
                .satisfies(m -> assertThat(m.params().get(0)).isEqualTo(start));
        reminders.sendDue(start.minus(Duration.ofMinutes(119)));
        reminders.sendDue(start.minus(Duration.ofMinutes(90)));
        assertThat(reminders(patient)).hasSize(2);

        // By e-mail too, in the patient's words and without a link.
        List<jakarta.mail.internet.MimeMessage> mails =
                TestMailServer.awaitTo(patient.email(), 4); // the address confirmation, the booking, two reminders
        assertThat(mails)
                .extracting(m -> TestMailServer.text(m, "text/plain"))
                .filteredOn(t -> t.contains("Rappel : vous avez rendez-vous avec "
                        + agenda.practitioner().displayName()))
                .hasSize(2)
                .allSatisfy(t -> assertThat(t)
                        .doesNotContain("http")
                        .contains(agenda.establishment().name()));
    }

    @Test
    void aMovedAppointmentIsRemindedOfItsNewTimeAndACancelledOneOfNothing() {
        Api api = new Api(port);
        Fixtures.Agenda agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        Fixtures.Patient patient = Fixtures.aPatient(api);
        List<JsonNode> free = slotsFromIn3Days(api, agenda);
        Instant oldStart = Instant.parse(free.get(0).get("start").asString());
        Instant newStart = Instant.parse(free.get(3).get("start").asString());
        Instant cancelledStart = Instant.parse(free.get(6).get("start").asString());
        UUID moved = Fixtures.book(api, patient, agenda, free.get(0).get("id").asString());
        UUID cancelled =
                Fixtures.book(api, patient, agenda, free.get(6).get("id").asString());
        assertThat(api.post(
                                "/api/v1/appointments/" + moved + "/reschedule",
                                Map.of("slotId", free.get(3).get("id").asString()),
                                patient.token())
                        .status())
                .isEqualTo(200);
        assertThat(api.delete("/api/v1/appointments/" + cancelled, patient.token())
                        .status())
                .isEqualTo(204);

        reminders.sendDue(oldStart.minus(Duration.ofHours(24)));
        reminders.sendDue(cancelledStart.minus(Duration.ofHours(24)));
        assertThat(reminders(patient)).isEmpty();
        reminders.sendDue(newStart.minus(Duration.ofHours(24)));
        assertThat(reminders(patient))
                .singleElement()
                .satisfies(m -> assertThat(m.params().get(0)).isEqualTo(newStart));
    }

    @Test
    void aPatientWhoOptedOutGetsNoReminder() {
        Api api = new Api(port);
        Fixtures.Agenda agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        Fixtures.Patient patient = Fixtures.aPatient(api);
        preferences.set(
                Recipient.patient(patient.account()),
                new NotificationPreferences.Preferences(Locale.FRENCH, Channel.EMAIL, false));
        List<JsonNode> free = slotsFromIn3Days(api, agenda);
        Instant start = Instant.parse(free.get(0).get("start").asString());
        Fixtures.book(api, patient, agenda, free.get(0).get("id").asString());

        reminders.sendDue(start.minus(Duration.ofHours(24)));
        reminders.sendDue(start.minus(Duration.ofHours(2)));
        assertThat(reminders(patient)).isEmpty();
    }

    @Test
    void theEstablishmentChoosesWhenAndAReminderWhoseTimeHadPassedAtBookingIsNotSent() {
        Api api = new Api(port);
        Fixtures.Agenda agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        Fixtures.Patient patient = Fixtures.aPatient(api);
        List<JsonNode> free = slotsFromIn3Days(api, agenda);
        Instant start = Instant.parse(free.get(0).get("start").asString());
        // A reminder whose time was half an hour before the booking: it is not sent, even within the hour.
        Duration passed =
                Duration.ofMinutes(Duration.between(Instant.now(), start).toMinutes() + 30);
        settings.set(agenda.establishment().id(), passed, null);
        Fixtures.book(api, patient, agenda, free.get(0).get("id").asString());
        reminders.sendDue(Instant.now());
        reminders.sendDue(start.minus(Duration.ofHours(24)));
        reminders.sendDue(start.minus(Duration.ofHours(2)));
        assertThat(reminders(patient)).isEmpty();

        settings.set(agenda.establishment().id(), Duration.ofHours(48), Duration.ofMinutes(30));
        assertThat(settings.of(agenda.establishment().id()))
                .containsExactly(Duration.ofHours(48), Duration.ofMinutes(30));
        reminders.sendDue(start.minus(Duration.ofHours(24)));
        assertThat(reminders(patient)).isEmpty();
        reminders.sendDue(start.minus(Duration.ofHours(48)));
        reminders.sendDue(start.minus(Duration.ofMinutes(30)));
        assertThat(reminders(patient)).hasSize(2);
    }

    private List<InboxMessage> reminders(Fixtures.Patient patient) {
        Actor.Person owner = new Actor.Person(UUID.randomUUID(), Role.PATIENT, patient.account(), null);
        return inbox.list(Recipient.patient(patient.account()), owner).stream()
                .filter(m -> m.kind().equals("appointment-reminder"))
                .toList();
    }

    private static List<JsonNode> slotsFromIn3Days(Api api, Fixtures.Agenda agenda) {
        return Fixtures.freeSlotsFrom(
                api, agenda, LocalDate.now(ZoneId.of("Europe/Paris")).plusDays(3));
    }
}
