package org.carnet.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.Map;
import java.util.UUID;
import org.carnet.directory.Directory;
import org.carnet.identity.CarnetPrincipal;
import org.carnet.identity.Logins;
import org.carnet.patients.Relative;
import org.carnet.patients.Relatives;
import org.carnet.scheduling.Agendas;
import org.carnet.shared.Actor;
import org.carnet.shared.Role;
import org.carnet.support.Api;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.carnet.support.Professionals;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * A patient's own copy of their data: everything they see elsewhere in Carnet is in it, nothing of
 * another patient ever is, and each copy is recorded in their access log.
 */
@CarnetIntegrationTest
class DataCopyIntegrationTest {

    @Value("${local.server.port}")
    int port;

    @Autowired
    Directory directory;

    @Autowired
    Agendas agendas;

    @Autowired
    Logins logins;

    @Autowired
    org.carnet.scheduling.Bookings bookings;

    @Autowired
    Relatives relatives;

    @Autowired
    TransactionTemplate transactions;

    @Test
    void theCopyHoldsWhatThePatientSeesElsewhereAndIsRecorded() {
        Api api = new Api(port);
        Fixtures fixtures = new Fixtures(directory, agendas);
        Fixtures.Agenda first = fixtures.aPractitionerWithSlots();
        Fixtures.Agenda second = fixtures.aPractitionerWithSlots();
        Fixtures.Patient patient = Fixtures.aPatient(api);
        UUID relative = addRelative(patient, "Relfirst", "Rellast");
        UUID booked = bookWithComment(api, patient, first, "synthetic comment one");
        UUID elsewhere = Fixtures.book(
                api,
                patient,
                second,
                Fixtures.freeSlotIdsFromTomorrow(api, second).get(0));

        Api.Response copy = api.get("/api/v1/me/data-copy", patient.token());

        assertThat(copy.status()).isEqualTo(200);
        assertThat(copy.header("Content-Disposition")).contains("carnet-data-copy.json");
        JsonNode body = copy.body();
        assertThat(body.get("format").asString()).isEqualTo("carnet-data-copy/1");
        // The profile, as GET /me shows it.
        JsonNode me = api.get("/api/v1/me", patient.token()).body();
        JsonNode profile = body.get("profile");
        for (String field : new String[] {"email", "firstName", "lastName", "birthDate", "sex", "phone", "nirOnFile"}) {
            assertThat(profile.get(field)).as(field).isEqualTo(me.get(field));
        }
        assertThat(profile.get("accountId").asString())
                .isEqualTo(patient.account().toString());
        // The relatives, the appointments in both establishments (with motive and comment), as the patient's
        // own list shows them.
        assertThat(body.get("relatives").valueStream().map(r -> r.get("id").asString()))
                .containsExactly(relative.toString());
        assertThat(body.get("relatives").get(0).get("firstName").asString()).isEqualTo("Relfirst");
        JsonNode mine = api.get("/api/v1/me/appointments", patient.token()).body();
        assertThat(body.get("appointments").valueStream().map(a -> a.get("id").asString()))
                .containsExactlyInAnyOrder(booked.toString(), elsewhere.toString());
        for (JsonNode shown : mine) {
            JsonNode copied = body.get("appointments")
                    .valueStream()
                    .filter(a -> a.get("id").equals(shown.get("id")))
                    .findFirst()
                    .orElseThrow();
            for (String field :
                    new String[] {"start", "end", "status", "establishmentId", "practitionerId", "motive"}) {
                assertThat(copied.get(field)).as(field).isEqualTo(shown.get(field));
            }
        }
        assertThat(copy.raw()).contains("synthetic comment one");
        // One file per establishment, each the establishment's own copy of the identity.
        assertThat(body.get("patientFiles")
                        .valueStream()
                        .map(f -> f.get("establishmentId").asString()))
                .containsExactlyInAnyOrder(
                        first.establishment().id().toString(),
                        second.establishment().id().toString());
        assertThat(body.get("patientFiles").valueStream()).allSatisfy(f -> {
            assertThat(f.get("destroyed").asBoolean()).isFalse();
            assertThat(f.get("lastName")).isEqualTo(me.get("lastName"));
            assertThat(f.get("email")).isEqualTo(me.get("email"));
        });
        // The access history, and the note on end-to-end encrypted answers.
        assertThat(body.get("accessHistory").size()).isPositive();
        assertThat(body.get("notes").valueStream().map(JsonNode::asString))
                .anyMatch(note -> note.contains("end-to-end encrypted"));

        // The copy itself is in the patient's access log, as an export of their data by themselves.
        assertThat(api.get("/api/v1/me/access-log", patient.token()).body().valueStream())
                .anyMatch(e -> e.get("resource").asString().equals("data-copy")
                        && e.get("action").asString().equals("EXECUTE")
                        && e.get("purpose").asString().equals("data-copy")
                        && e.get("outcome").asString().equals("ALLOWED"));
    }

    @Test
    void anotherPatientsDataNeverAppearsAndNoOneElseGetsACopy() {
        Api api = new Api(port);
        Fixtures fixtures = new Fixtures(directory, agendas);
        Fixtures.Agenda shared = fixtures.aPractitionerWithSlots();
        Fixtures.Patient patient = Fixtures.aPatient(api);
        Map<String, Object> otherRegistration = Fixtures.aRegistration();
        otherRegistration.put("firstName", "Otherfirst");
        otherRegistration.put("lastName", "Otherlast");
        otherRegistration.put("phone", "+33 6 99 88 77 66");
        Fixtures.Patient other = Fixtures.registered(api, otherRegistration);
        addRelative(other, "Otherrelfirst", "Otherrellast");
        // Both are patients of the same practitioner: the same establishment holds a file of each.
        Fixtures.book(
                api,
                patient,
                shared,
                Fixtures.freeSlotIdsFromTomorrow(api, shared).get(0));
        UUID othersAppointment = bookWithComment(api, other, shared, "the other patient's words");

        // Whatever the caller adds to the address, a patient's copy is their own.
        for (String path : new String[] {
            "/api/v1/me/data-copy",
            "/api/v1/me/data-copy?patient=" + other.account(),
            "/api/v1/me/data-copy?accountId=" + other.account()
        }) {
            Api.Response copy = api.get(path, patient.token());
            assertThat(copy.status()).isEqualTo(200);
            assertThat(copy.raw())
                    .contains(patient.account().toString())
                    .doesNotContain(other.account().toString())
                    .doesNotContain(other.email())
                    .doesNotContain("Otherfirst")
                    .doesNotContain("Otherlast")
                    .doesNotContain("Otherrelfirst")
                    .doesNotContain("99 88 77 66")
                    .doesNotContain(othersAppointment.toString())
                    .doesNotContain("the other patient's words");
        }
        // Professionals of the establishment that holds both files get no copy, nor does anyone signed out.
        Professionals professionals = new Professionals(logins, transactions);
        String practitioner = api.token(professionals.practitioner(
                shared.practitioner().id(), shared.establishment().id()));
        String staff =
                api.token(professionals.staff(Role.STAFF, shared.establishment().id()));
        assertThat(api.get("/api/v1/me/data-copy", practitioner).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/me/data-copy", staff).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/me/data-copy", null).status()).isEqualTo(401);
    }

    private UUID addRelative(Fixtures.Patient patient, String firstName, String lastName) {
        CarnetPrincipal login = logins.withEmail(patient.email()).orElseThrow();
        Actor.Person actor = new Actor.Person(login.userId(), Role.PATIENT, patient.account(), null);
        return relatives.add(
                patient.account(), firstName, lastName, LocalDate.of(2015, 5, 6), Relative.Relationship.CHILD, actor);
    }

    /** A comment stored as before it moved into the encrypted exchange (the API refuses one now). */
    private UUID bookWithComment(Api api, Fixtures.Patient patient, Fixtures.Agenda agenda, String comment) {
        return new org.carnet.support.StoredComments(bookings, logins)
                .book(
                        patient,
                        agenda,
                        Fixtures.freeSlotIdsFromTomorrow(api, agenda).get(0),
                        comment);
    }
}
