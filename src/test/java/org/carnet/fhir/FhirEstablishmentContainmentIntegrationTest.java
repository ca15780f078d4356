package org.carnet.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.carnet.breach.Rule;
import org.carnet.breach.internal.IncidentRecorder;
import org.carnet.breach.internal.RuleHit;
import org.carnet.directory.Directory;
import org.carnet.identity.Logins;
import org.carnet.scheduling.Agendas;
import org.carnet.scheduling.Availability;
import org.carnet.scheduling.PhoneBookings;
import org.carnet.scheduling.Slot;
import org.carnet.shared.Role;
import org.carnet.support.Api;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.carnet.support.Professionals;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Issue 17 item 3 through FHIR: an establishment in read-only mode refuses a program's Appointment create
 * with 423 and an OperationOutcome while its reads go on, and takes it again once lifted; ending the
 * establishment's sessions revokes its programs' tokens, which every call refuses at once.
 */
@CarnetIntegrationTest
class FhirEstablishmentContainmentIntegrationTest {

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

    @Autowired
    IncidentRecorder recorder;

    Api api;
    String officer;
    PracticeAgenda practice;
    ConnectedPrograms.Program booking;
    PracticeAgenda.Booked known;
    String pseudonym;
    UUID incident;

    @BeforeEach
    void aPracticeWithABookingProgramAndAnIncident() {
        api = new Api(port);
        Professionals professionals = new Professionals(logins, transactions);
        practice = new PracticeAgenda(
                new Fixtures(directory, agendas).aPractitionerWithSlots(),
                professionals,
                logins,
                phoneBookings,
                availability,
                jdbc);
        UUID establishment = practice.agenda().establishment().id();
        officer = api.token(professionals.staff(Role.SECURITY_OFFICER, null));
        ConnectedPrograms programs = new ConnectedPrograms(
                api,
                "http://127.0.0.1:" + port,
                api.token(professionals.staff(Role.ESTABLISHMENT_ADMIN, establishment)),
                officer);
        booking = programs.connect("system/Slot.rs system/Appointment.crus");
        known = practice.bookNewPatient(practice.freeSlots(20).get(2).id());
        pseudonym = FhirProgramAccessIntegrationTest.patientOf(read(known.appointmentId()));
        // About an account: a hit about the program would suspend it on its own.
        UUID suspect = UUID.randomUUID();
        incident = recorder.record(new RuleHit(
                Rule.DENIED_ACCESSES,
                "user:" + suspect,
                null,
                suspect,
                Set.of(establishment),
                Instant.now(),
                "20 accesses refused within PT10M"));
    }

    Appointment read(UUID appointment) {
        return booking.fhir()
                .read()
                .resource(Appointment.class)
                .withId(appointment.toString())
                .execute();
    }

    void contain(String action) {
        Api.Response done =
                api.post("/api/v1/security/incidents/" + incident + "/containment", Map.of("action", action), officer);
        assertThat(done.status()).as(done.raw()).isEqualTo(200);
    }

    int appointmentsOn(UUID slotId) {
        return jdbc.sql("SELECT COUNT(*) FROM appointments WHERE slot_id = ? AND status = 'BOOKED'")
                .param(slotId)
                .query(Integer.class)
                .single();
    }

    @Test
    void readOnlyRefusesAProgramsAppointmentCreateWith423AndLetsItReadUntilLifted() {
        Slot slot = practice.freeSlots(20).get(10);
        contain("read-only-establishment");

        BaseServerResponseException refused = catchThrowableOfType(
                BaseServerResponseException.class,
                () -> booking.fhir()
                        .create()
                        .resource(FhirAppointmentBookingIntegrationTest.appointment(slot.id(), pseudonym))
                        .execute());
        assertThat(refused.getStatusCode()).isEqualTo(423);
        assertThat(((OperationOutcome) refused.getOperationOutcome())
                        .getIssueFirstRep()
                        .getDiagnostics())
                .contains("read-only");
        assertThat(appointmentsOn(slot.id())).isZero();
        assertThat(read(known.appointmentId()).getStatus()).isEqualTo(Appointment.AppointmentStatus.BOOKED);

        contain("lift-read-only");
        assertThat(booking.fhir()
                        .create()
                        .resource(FhirAppointmentBookingIntegrationTest.appointment(slot.id(), pseudonym))
                        .execute()
                        .getCreated())
                .isTrue();
        assertThat(appointmentsOn(slot.id())).isEqualTo(1);
    }

    @Test
    void endingTheEstablishmentsSessionsRevokesItsProgramsTokens() {
        assertThat(read(known.appointmentId())).isNotNull();

        contain("end-establishment-sessions");

        BaseServerResponseException refused =
                catchThrowableOfType(BaseServerResponseException.class, () -> read(known.appointmentId()));
        assertThat(refused.getStatusCode()).isEqualTo(401);
        // The program itself stays active: it may get a new token (suspend-program stops it for good).
        assertThat(api.get("/api/v1/security/clients", officer)
                        .body()
                        .valueStream()
                        .filter(c -> c.get("clientId").asString().equals(booking.clientId()))
                        .map(c -> c.get("status").asString()))
                .containsExactly("ACTIVE");
    }
}
