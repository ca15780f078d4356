package org.carnet.breach;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.carnet.breach.internal.IncidentRecorder;
import org.carnet.breach.internal.RuleHit;
import org.carnet.crypto.DataKeyRotation;
import org.carnet.crypto.KeyOwner;
import org.carnet.directory.Directory;
import org.carnet.identity.Logins;
import org.carnet.scheduling.Agendas;
import org.carnet.scheduling.WeeklyHours;
import org.carnet.shared.Role;
import org.carnet.support.Api;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.carnet.support.PageClient;
import org.carnet.support.Professionals;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Issue 17 item 3, an establishment's containment: ending the sessions and tokens of every member of an
 * establishment (and none of its patients'), and its read-only mode, which refuses every change to its
 * patients' appointments and agenda through the API and the pages, lets reads go on, and ends when lifted.
 * Only a security officer may do either.
 */
@CarnetIntegrationTest
class EstablishmentContainmentIntegrationTest {

    @Value("${local.server.port}")
    int port;

    @Autowired
    Logins logins;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    IncidentRecorder recorder;

    @Autowired
    Directory directory;

    @Autowired
    Agendas agendas;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataKeyRotation rotation;

    Api api() {
        return new Api(port);
    }

    Professionals professionals() {
        return new Professionals(logins, transactions);
    }

    String officer() {
        return api().token(professionals().staff(Role.SECURITY_OFFICER, null));
    }

    UUID anIncidentAbout(UUID establishment, UUID suspect) {
        return recorder.record(new RuleHit(
                Rule.DENIED_ACCESSES,
                "user:" + suspect,
                null,
                suspect,
                Set.of(establishment),
                Instant.now(),
                "20 accesses refused within PT10M"));
    }

    Api.Response contain(UUID incident, String action, UUID target, String token) {
        return api().post(
                        "/api/v1/security/incidents/" + incident + "/containment",
                        target == null ? Map.of("action", action) : Map.of("action", action, "target", target),
                        token);
    }

    List<String> containmentOnTimeline(UUID incident, String officer) {
        return api().get("/api/v1/security/incidents/" + incident, officer)
                .body()
                .get("timeline")
                .valueStream()
                .filter(t -> t.get("kind").asString().equals("CONTAINMENT"))
                .map(t -> t.get("code").asString())
                .toList();
    }

    int appointmentsOn(String slotId) {
        return jdbc.sql("SELECT COUNT(*) FROM appointments WHERE slot_id = ?")
                .param(UUID.fromString(slotId))
                .query(Integer.class)
                .single();
    }

    @Test
    void endingAnEstablishmentsSessionsEndsEveryMembersTokensAndPageSessionsButNoPatients() {
        Fixtures.Agenda agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        UUID establishment = agenda.establishment().id();
        Professionals.Login practitioner =
                professionals().practitioner(agenda.practitioner().id(), establishment);
        Professionals.Login staff = professionals().staff(Role.STAFF, establishment);
        Professionals.Login admin = professionals().staff(Role.ESTABLISHMENT_ADMIN, establishment);
        Professionals.Login elsewhere = professionals().staff(Role.ESTABLISHMENT_ADMIN, UUID.randomUUID());
        List<String> members = List.of(api().token(practitioner), api().token(staff), api().token(admin));
        String otherAdmin = api().token(elsewhere);
        // A patient of the establishment, with an appointment there: not a member.
        Fixtures.Patient patient = Fixtures.aPatient(api());
        Fixtures.book(
                api(),
                patient,
                agenda,
                Fixtures.freeSlotIdsFromTomorrow(api(), agenda).get(0));
        PageClient staffPages = new PageClient(port);
        staffPages.signIn(staff.email(), staff.password(), staff.totpSecret());
        assertThat(staffPages.get("/account/security").status()).isEqualTo(200);
        assertThat(members)
                .allSatisfy(token ->
                        assertThat(api().get("/api/v1/me", token).status()).isNotEqualTo(401));
        UUID incident = anIncidentAbout(establishment, staff.userId());
        String officer = officer();

        // The incident concerns only this establishment: no target needed.
        Api.Response ended = contain(incident, "end-establishment-sessions", null, officer);

        assertThat(ended.status()).as(ended.raw()).isEqualTo(200);
        assertThat(members)
                .allSatisfy(token ->
                        assertThat(api().get("/api/v1/me", token).status()).isEqualTo(401));
        assertThat(staffPages.get("/account/security").status())
                .as("the page session is over: back to sign-in")
                .isEqualTo(302);
        assertThat(api().get("/api/v1/establishment/clients", otherAdmin).status())
                .as("another establishment's administrator")
                .isEqualTo(200);
        assertThat(api().get("/api/v1/me/appointments", patient.token()).status())
                .as("a patient of the establishment")
                .isEqualTo(200);
        // Everyone may sign in again.
        assertThat(api().get("/api/v1/establishment/clients", api().token(admin))
                        .status())
                .isEqualTo(200);
        assertThat(containmentOnTimeline(incident, officer)).containsExactly("end-establishment-sessions");
    }

    @Test
    void rotatingAnEstablishmentsKeysReSealsEveryValueUnderANewVersionAndSaysSoOnTheTimeline() {
        Fixtures.Agenda agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        UUID establishment = agenda.establishment().id();
        Fixtures.Patient patient = Fixtures.aPatient(api());
        UUID booked = Fixtures.book(
                api(),
                patient,
                agenda,
                Fixtures.freeSlotIdsFromTomorrow(api(), agenda).get(0));
        KeyOwner owner = KeyOwner.establishment(establishment);
        assertThat(rotation.versions(owner).get("appointments")).containsOnlyKeys(1);
        UUID incident = anIncidentAbout(establishment, UUID.randomUUID());
        String officer = officer();

        Api.Response started = contain(incident, "rotate-establishment-keys", null, officer);

        assertThat(started.status()).as(started.raw()).isEqualTo(200);
        Awaitility.await("the rotation's end on the timeline")
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> containmentOnTimeline(incident, officer).contains("establishment-keys-rotated"));
        assertThat(containmentOnTimeline(incident, officer))
                .containsExactly("rotate-establishment-keys", "establishment-keys-rotated");
        rotation.versions(owner)
                .forEach((table, versions) ->
                        assertThat(versions.keySet()).as(table).allMatch(version -> version == 2));
        assertThat(rotation.versions(owner).get("appointments")).containsKey(2);
        Api.Response read = api().get("/api/v1/appointments/" + booked, patient.token());
        assertThat(read.status()).as("still opens, under the new version").isEqualTo(200);
    }

    @Test
    void readOnlyRefusesEveryChangeThroughTheApiAndPagesLetsReadsGoOnAndLiftingRestoresThem() {
        Fixtures fixtures = new Fixtures(directory, agendas);
        Fixtures.Agenda agenda = fixtures.aPractitionerWithSlots();
        Fixtures.Agenda other = fixtures.aPractitionerWithSlots();
        UUID establishment = agenda.establishment().id();
        Fixtures.Patient patient = Fixtures.aPatient(api());
        List<String> free = Fixtures.freeSlotIdsFromTomorrow(api(), agenda);
        UUID booked = Fixtures.book(api(), patient, agenda, free.get(0));
        UUID incident = anIncidentAbout(other.establishment().id(), UUID.randomUUID());
        String officer = officer();

        // Named explicitly: the incident concerns another establishment.
        Api.Response readOnly = contain(incident, "read-only-establishment", establishment, officer);
        assertThat(readOnly.status()).as(readOnly.raw()).isEqualTo(200);

        // Booking, cancelling and moving through the API: 423, a problem that says why, nothing changed.
        Api.Response booking = api().post(
                        "/api/v1/appointments",
                        Map.of(
                                "slotId",
                                free.get(1),
                                "motiveId",
                                agenda.motive().id().toString()),
                        patient.token());
        assertThat(booking.status()).as(booking.raw()).isEqualTo(423);
        assertThat(booking.body().get("type").asString())
                .isEqualTo("https://carnet.example/problems/establishment-read-only");
        assertThat(booking.body().get("detail").asString()).contains("read-only");
        assertThat(appointmentsOn(free.get(1))).isZero();
        assertThat(api().delete("/api/v1/appointments/" + booked, patient.token())
                        .status())
                .isEqualTo(423);
        assertThat(api().post(
                                "/api/v1/appointments/" + booked + "/reschedule",
                                Map.of("slotId", free.get(2)),
                                patient.token())
                        .status())
                .isEqualTo(423);
        // The booking page's form: a page that says so.
        PageClient pages = new PageClient(port);
        pages.signIn(patient.email(), "correct horse battery staple", null);
        pages.get("/book/" + free.get(3));
        PageClient.Page refused = pages.post(
                "/book/" + free.get(3),
                Map.of(
                        "motiveId",
                        agenda.motive().id().toString(),
                        "requestKey",
                        UUID.randomUUID().toString()));
        assertThat(refused.status()).isEqualTo(423);
        assertThat(refused.body()).contains("lecture seule");
        assertThat(appointmentsOn(free.get(3))).isZero();
        // The agenda keeps its hours.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> agendas.defineOpeningHours(
                        agenda.practitioner().id(),
                        15,
                        List.of(new WeeklyHours(
                                java.time.DayOfWeek.MONDAY,
                                java.time.LocalTime.of(9, 0),
                                java.time.LocalTime.of(10, 0)))))
                .isInstanceOf(org.carnet.shared.EstablishmentReadOnlyException.class);

        // Reads go on; another establishment is not held back.
        JsonNode mine = api().get("/api/v1/me/appointments", patient.token()).body();
        assertThat(mine.valueStream().map(a -> a.get("id").asString())).contains(booked.toString());
        assertThat(api().get("/api/v1/appointments/" + booked, patient.token()).status())
                .isEqualTo(200);
        Fixtures.book(
                api(),
                patient,
                other,
                Fixtures.freeSlotIdsFromTomorrow(api(), other).get(0));
        // Twice is a conflict.
        assertThat(contain(incident, "read-only-establishment", establishment, officer)
                        .status())
                .isEqualTo(409);

        Api.Response lifted = contain(incident, "lift-read-only", establishment, officer);
        assertThat(lifted.status()).as(lifted.raw()).isEqualTo(200);
        Fixtures.book(api(), patient, agenda, free.get(1));
        assertThat(api().delete("/api/v1/appointments/" + booked, patient.token())
                        .status())
                .isEqualTo(204);
        assertThat(contain(incident, "lift-read-only", establishment, officer).status())
                .isEqualTo(409);
        assertThat(containmentOnTimeline(incident, officer))
                .containsExactly("read-only-establishment", "lift-read-only");
        // The Article 33 draft of the establishment the incident concerns names the measures in words.
        assertThat(api().get(
                                "/api/v1/security/incidents/" + incident + "/article-33?establishment="
                                        + other.establishment().id(),
                                officer)
                        .raw())
                .contains("passage de l'établissement en lecture seule")
                .contains("levée de la lecture seule");
    }

    @Test
    void anEstablishmentUnknownOrNotNamedIsRefused() {
        Fixtures.Agenda agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        String officer = officer();
        UUID aboutNoEstablishment = recorder.record(new RuleHit(
                Rule.SIGN_IN_FAILURES_SOURCE,
                "source:x" + UUID.randomUUID(),
                null,
                null,
                Set.of(),
                Instant.now(),
                "30"));
        assertThat(contain(aboutNoEstablishment, "read-only-establishment", null, officer)
                        .status())
                .isEqualTo(409);
        assertThat(contain(aboutNoEstablishment, "end-establishment-sessions", UUID.randomUUID(), officer)
                        .status())
                .isEqualTo(404);
        assertThat(contain(
                                aboutNoEstablishment,
                                "end-establishment-sessions",
                                agenda.establishment().id(),
                                officer)
                        .status())
                .isEqualTo(200);
    }

    @Test
    void onlyASecurityOfficerContainsAnEstablishmentAndNothingChangesForOthers() {
        Fixtures.Agenda agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        UUID establishment = agenda.establishment().id();
        Professionals.Login admin = professionals().staff(Role.ESTABLISHMENT_ADMIN, establishment);
        Professionals.Login practitioner =
                professionals().practitioner(agenda.practitioner().id(), establishment);
        Fixtures.Patient patient = Fixtures.aPatient(api());
        String adminToken = api().token(admin);
        String practitionerToken = api().token(practitioner);
        UUID incident = anIncidentAbout(establishment, admin.userId());

        for (String caller : List.of(adminToken, practitionerToken, patient.token())) {
            for (String action : List.of("end-establishment-sessions", "read-only-establishment", "lift-read-only")) {
                assertThat(contain(incident, action, establishment, caller).status())
                        .as(action)
                        .isEqualTo(403);
            }
        }
        assertThat(contain(incident, "read-only-establishment", establishment, null)
                        .status())
                .isEqualTo(401);

        // Nobody's sessions ended, the establishment still takes bookings, nothing on the timeline.
        assertThat(api().get("/api/v1/establishment/clients", adminToken).status())
                .isEqualTo(200);
        assertThat(api().get("/api/v1/me", practitionerToken).status()).isNotEqualTo(401);
        Fixtures.book(
                api(),
                patient,
                agenda,
                Fixtures.freeSlotIdsFromTomorrow(api(), agenda).get(0));
        assertThat(containmentOnTimeline(incident, officer())).isEmpty();
    }
}
