package org.carnet.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.carnet.fhir.FhirPublicDirectoryIntegrationTest.valid;

import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import org.carnet.clients.Programs;
import org.carnet.directory.Directory;
import org.carnet.identity.Logins;
import org.carnet.scheduling.Agendas;
import org.carnet.scheduling.Availability;
import org.carnet.scheduling.PhoneBookings;
import org.carnet.shared.Role;
import org.carnet.support.Api;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.carnet.support.Professionals;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Issue 13, items 3 and 4: a program's SMART scopes are checked before anything is looked up (403
 * whether or not the thing exists; 403 and 404 say nothing about other establishments), and what it
 * receives is cut to its scopes: an agenda program sees times and a pseudonym of its own, identity
 * needs {@code system/Patient.r}, contact and motive each their own Carnet scope. Every read is in the
 * audit log with the fields served.
 */
@CarnetIntegrationTest
@DirtiesContext // its administrator and officer logins must not reach tests that count the demo ones
class FhirProgramAccessIntegrationTest {

    static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    @Value("${local.server.port}")
    int port;

    @Autowired
    Directory directory;

    @Autowired
    Agendas agendas;

    @Autowired
    Logins logins;

    @Autowired
    PhoneBookings phoneBookings;

    @Autowired
    Availability availability;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    String base;
    ConnectedPrograms programs;
    PracticeAgenda practice;
    PracticeAgenda elsewhere;

    @BeforeEach
    void twoPracticesWithAppointments() {
        Api api = new Api(port);
        base = "http://127.0.0.1:" + port;
        Professionals professionals = new Professionals(logins, transactions);
        Fixtures fixtures = new Fixtures(directory, agendas);
        practice = new PracticeAgenda(
                fixtures.aPractitionerWithSlots(), professionals, logins, phoneBookings, availability, jdbc);
        elsewhere = new PracticeAgenda(
                fixtures.aPractitionerWithSlots(), professionals, logins, phoneBookings, availability, jdbc);
        String admin = api.token(professionals.staff(
                Role.ESTABLISHMENT_ADMIN, practice.agenda().establishment().id()));
        String officer = api.token(professionals.staff(Role.SECURITY_OFFICER, null));
        programs = new ConnectedPrograms(api, base, admin, officer);
    }

    @Test
    void outsideItsScopesAProgramGets403WhetherOrNotTheThingExists() {
        PracticeAgenda.Booked mine =
                practice.bookNewPatient(practice.freeSlots(20).get(3).id());
        PracticeAgenda.Booked theirs =
                elsewhere.bookNewPatient(elsewhere.freeSlots(20).get(3).id());
        ConnectedPrograms.Program slotsOnly = programs.connect("system/Slot.rs");

        List<String> paths = List.of(
                "/fhir/Appointment/" + mine.appointmentId(),
                "/fhir/Appointment/" + theirs.appointmentId(),
                "/fhir/Appointment/" + UUID.randomUUID(),
                "/fhir/Appointment/not-an-id",
                "/fhir/Appointment?date=ge2026-01-01&date=lt2026-02-01",
                "/fhir/Patient/p1" + "0".repeat(32),
                "/fhir/Patient/" + UUID.randomUUID());
        String first = null;
        for (String path : paths) {
            Programs.Answer answer = Programs.get(base + path, slotsOnly.token());
            assertThat(answer.status()).as(path).isEqualTo(403);
            assertThat(answer.body().get("resourceType").asString()).isEqualTo("OperationOutcome");
            if (first == null) {
                first = answer.raw();
            }
            assertThat(answer.raw()).as("every 403 reads the same").isEqualTo(first);
        }
        // Read without search, and search without read: each is its own permission.
        ConnectedPrograms.Program readOnly = programs.connect("system/Appointment.r");
        assertThat(readOnly.fhir()
                        .read()
                        .resource(Appointment.class)
                        .withId(mine.appointmentId().toString())
                        .execute())
                .isNotNull();
        assertThatThrownBy(() -> readOnly.fhir()
                        .search()
                        .forResource(Appointment.class)
                        .where(Appointment.DATE.afterOrEquals().day("2026-01-01"))
                        .and(Appointment.DATE.before().day("2026-02-01"))
                        .returnBundle(Bundle.class)
                        .execute())
                .isInstanceOf(ForbiddenOperationException.class);
        ConnectedPrograms.Program searchOnly = programs.connect("system/Appointment.s");
        assertThatThrownBy(() -> searchOnly
                        .fhir()
                        .read()
                        .resource(Appointment.class)
                        .withId(mine.appointmentId().toString())
                        .execute())
                .isInstanceOf(ForbiddenOperationException.class);
        // Refused before any query: nothing about any patient was even decided for the slots-only program.
        assertThat(auditedPatients(slotsOnly.clientId())).isEmpty();
    }

    @Test
    void withinItsScopesAnotherEstablishmentsAppointmentIsNotFoundLikeNoAppointmentAtAll() {
        PracticeAgenda.Booked theirs =
                elsewhere.bookNewPatient(elsewhere.freeSlots(20).get(4).id());
        ConnectedPrograms.Program agenda = programs.connect("system/Appointment.rs system/Patient.r");
        Programs.Answer other = Programs.get(base + "/fhir/Appointment/" + theirs.appointmentId(), agenda.token());
        Programs.Answer none = Programs.get(base + "/fhir/Appointment/" + UUID.randomUUID(), agenda.token());
        assertThat(other.status()).isEqualTo(404);
        assertThat(other.raw()).isEqualTo(none.raw());
        // Another program's pseudonym, or a file id, names no one.
        Programs.Answer fileId = Programs.get(base + "/fhir/Patient/" + theirs.fileId(), agenda.token());
        assertThat(fileId.status()).isEqualTo(404);
        assertThat(fileId.raw()).isEqualTo(none.raw());
        // The other establishment's appointments are not in a search either.
        LocalDate today = LocalDate.now(PARIS);
        Bundle found = agenda.fhir()
                .search()
                .forResource(Appointment.class)
                .where(Appointment.DATE.afterOrEquals().day(today.toString()))
                .and(Appointment.DATE.before().day(today.plusDays(60).toString()))
                .returnBundle(Bundle.class)
                .execute();
        assertThat(found.getEntry()).isEmpty();
    }

    @Test
    void anAgendaProgramSeesTimesAndItsOwnPseudonymOnly() {
        PracticeAgenda.Booked booked =
                practice.bookNewPatient(practice.freeSlots(20).get(5).id());
        ConnectedPrograms.Program agenda = programs.connect("system/Slot.rs system/Appointment.rs");
        ConnectedPrograms.Program other = programs.connect("system/Appointment.rs");

        String raw = Programs.get(base + "/fhir/Appointment/" + booked.appointmentId(), agenda.token())
                .raw();
        assertThat(raw)
                .doesNotContain(booked.lastName(), booked.phone(), booked.email(), "1971-03-14")
                .doesNotContain(practice.agenda().motive().label())
                .doesNotContain(booked.fileId().toString());
        Appointment appointment = valid(agenda.fhir()
                .read()
                .resource(Appointment.class)
                .withId(booked.appointmentId().toString())
                .execute());
        assertThat(appointment.getStatus()).isEqualTo(Appointment.AppointmentStatus.BOOKED);
        assertThat(appointment.getMinutesDuration()).isEqualTo(30);
        assertThat(appointment.getEnd().getTime() - appointment.getStart().getTime())
                .isEqualTo(30 * 60_000L);
        assertThat(appointment.getServiceType()).isEmpty();
        assertThat(appointment.getParticipant())
                .extracting(p -> p.getActor().getReference())
                .contains("Practitioner/" + practice.agenda().practitioner().id());
        String pseudonym = patientOf(appointment);
        assertThat(pseudonym).startsWith("Patient/p1").hasSize("Patient/p1".length() + 32);
        // Stable for the program, different for another.
        assertThat(patientOf(agenda.fhir()
                        .read()
                        .resource(Appointment.class)
                        .withId(booked.appointmentId().toString())
                        .execute()))
                .isEqualTo(pseudonym);
        String othersPseudonym = patientOf(other.fhir()
                .read()
                .resource(Appointment.class)
                .withId(booked.appointmentId().toString())
                .execute());
        assertThat(othersPseudonym).isNotEqualTo(pseudonym);
        // Without Patient.r its own pseudonym opens nothing.
        assertThatThrownBy(() -> agenda.fhir()
                        .read()
                        .resource(Patient.class)
                        .withUrl(pseudonym)
                        .execute())
                .isInstanceOf(ForbiddenOperationException.class);

        // The audit log: this patient, the slot and status, read by this program, and nothing else.
        assertThat(audited(agenda.clientId()))
                .containsOnly("READ appointment slot,status " + booked.fileId() + " ALLOWED");
    }

    @Test
    void identityNeedsPatientReadContactAndMotiveEachTheirOwnScope() {
        PracticeAgenda.Booked booked =
                practice.bookNewPatient(practice.freeSlots(20).get(6).id());
        ConnectedPrograms.Program identity = programs.connect("system/Appointment.r system/Patient.r");
        ConnectedPrograms.Program everything = programs.connect(
                "system/Appointment.r system/Patient.r carnet/Patient.contact carnet/Appointment.motive");

        String pseudonym = patientOf(identity.fhir()
                .read()
                .resource(Appointment.class)
                .withId(booked.appointmentId().toString())
                .execute());
        Patient patient = valid(identity.fhir()
                .read()
                .resource(Patient.class)
                .withUrl(pseudonym)
                .execute());
        assertThat(patient.getIdElement().getIdPart()).isEqualTo(pseudonym.substring("Patient/".length()));
        assertThat(patient.getNameFirstRep().getFamily()).isEqualTo(booked.lastName());
        assertThat(patient.getBirthDateElement().getValueAsString()).isEqualTo("1971-03-14");
        assertThat(patient.getGender()).isEqualTo(Enumerations.AdministrativeGender.FEMALE);
        assertThat(patient.getTelecom()).isEmpty();
        assertThat(patient.getIdentifier()).isEmpty();
        assertThat(audited(identity.clientId()))
                .containsExactlyInAnyOrder(
                        "READ appointment slot,status " + booked.fileId() + " ALLOWED",
                        "READ patient-file first_name,last_name,birth_date,sex " + booked.fileId() + " ALLOWED");

        Appointment withMotive = valid(everything
                .fhir()
                .read()
                .resource(Appointment.class)
                .withId(booked.appointmentId().toString())
                .execute());
        assertThat(withMotive.getServiceTypeFirstRep().getText())
                .isEqualTo(practice.agenda().motive().label());
        Patient contact = valid(everything
                .fhir()
                .read()
                .resource(Patient.class)
                .withUrl(patientOf(withMotive))
                .execute());
        assertThat(contact.getTelecom())
                .extracting(ContactPoint::getSystem, ContactPoint::getValue)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(ContactPoint.ContactPointSystem.PHONE, booked.phone()),
                        org.assertj.core.groups.Tuple.tuple(ContactPoint.ContactPointSystem.EMAIL, booked.email()));
        assertThat(audited(everything.clientId()))
                .containsExactlyInAnyOrder(
                        "READ appointment slot,status,motive " + booked.fileId() + " ALLOWED",
                        "READ patient-file first_name,last_name,birth_date,sex,phone,email " + booked.fileId()
                                + " ALLOWED");
        // One program's pseudonym is nobody for another.
        assertThatThrownBy(() -> everything
                        .fhir()
                        .read()
                        .resource(Patient.class)
                        .withUrl(pseudonym)
                        .execute())
                .isInstanceOf(ResourceNotFoundException.class);
    }

    static String patientOf(Appointment appointment) {
        return appointment.getParticipant().stream()
                .map(p -> p.getActor().getReference())
                .filter(reference -> reference.startsWith("Patient/"))
                .findFirst()
                .orElseThrow();
    }

    /** The program's audit entries: action, resource, fields, patient and outcome. */
    List<String> audited(String clientId) {
        return jdbc.sql("SELECT action, resource, fields, patient_id, outcome FROM audit_log WHERE actor_id = ?"
                        + " AND actor_type = 'CLIENT' ORDER BY id")
                .param(UUID.fromString(clientId))
                .query((rs, n) -> rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " "
                        + rs.getString(4) + " " + rs.getString(5))
                .list();
    }

    List<UUID> auditedPatients(String clientId) {
        return jdbc.sql("SELECT patient_id FROM audit_log WHERE actor_id = ?")
                .param(UUID.fromString(clientId))
                .query(UUID.class)
                .list();
    }
}
