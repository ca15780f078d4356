package org.carnet.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.carnet.fhir.FhirPublicDirectoryIntegrationTest.valid;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.gclient.ReferenceClientParam;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.time.LocalDate;
import java.util.ArrayList;
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
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Issue 13, item 6: the access log as FHIR AuditEvents. The security officer (their API token) finds
 * exactly what a program did, by agent, patient and date, page by page; a program with {@code
 * system/AuditEvent.rs} finds only what it did itself, its patients under its own pseudonyms, and
 * nothing of another program or establishment; without the scope, 403 whatever exists. Every reading is
 * itself in the log, and every AuditEvent passes HAPI's R4 instance validator.
 */
@CarnetIntegrationTest
@DirtiesContext // its administrator and officer logins must not reach tests that count the demo ones
class FhirAuditEventIntegrationTest {

    private static final ReferenceClientParam AGENT = new ReferenceClientParam(AuditEvent.SP_AGENT);

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
    Api api;
    Professionals professionals;
    ConnectedPrograms programs;
    ConnectedPrograms elsewherePrograms;
    PracticeAgenda practice;
    PracticeAgenda elsewhere;
    Professionals.Login officer;
    IGenericClient officerFhir;

    @BeforeEach
    void twoPracticesAndTheirPrograms() {
        api = new Api(port);
        base = "http://127.0.0.1:" + port;
        professionals = new Professionals(logins, transactions);
        Fixtures fixtures = new Fixtures(directory, agendas);
        practice = new PracticeAgenda(
                fixtures.aPractitionerWithSlots(), professionals, logins, phoneBookings, availability, jdbc);
        elsewhere = new PracticeAgenda(
                fixtures.aPractitionerWithSlots(), professionals, logins, phoneBookings, availability, jdbc);
        officer = professionals.staff(Role.SECURITY_OFFICER, null);
        String officerToken = api.token(officer);
        programs = new ConnectedPrograms(api, base, adminOf(practice), officerToken);
        elsewherePrograms = new ConnectedPrograms(api, base, adminOf(elsewhere), officerToken);
        officerFhir = programs.fhir(officerToken);
    }

    @Test
    void theSecurityOfficerFindsExactlyWhatAProgramDidAndAProgramOnlyWhatItDidItself() {
        PracticeAgenda.Booked read =
                practice.bookNewPatient(practice.freeSlots(20).get(3).id());
        PracticeAgenda.Booked notRead =
                practice.bookNewPatient(practice.freeSlots(20).get(4).id());
        PracticeAgenda.Booked theirs =
                elsewhere.bookNewPatient(elsewhere.freeSlots(20).get(3).id());
        ConnectedPrograms.Program program =
                programs.connect("system/Appointment.r system/Patient.r system/AuditEvent.rs");
        ConnectedPrograms.Program neighbour = programs.connect("system/Appointment.r system/AuditEvent.rs");
        ConnectedPrograms.Program other = elsewherePrograms.connect("system/Appointment.r system/AuditEvent.rs");

        String pseudonym = FhirProgramAccessIntegrationTest.patientOf(program.fhir()
                .read()
                .resource(Appointment.class)
                .withId(read.appointmentId().toString())
                .execute());
        program.fhir().read().resource(Patient.class).withUrl(pseudonym).execute();
        neighbour
                .fhir()
                .read()
                .resource(Appointment.class)
                .withId(notRead.appointmentId().toString())
                .execute();
        other.fhir()
                .read()
                .resource(Appointment.class)
                .withId(theirs.appointmentId().toString())
                .execute();

        // The officer, by agent: exactly the program's two reads, of its own establishment.
        List<AuditEvent> byAgent = events(officerFhir
                .search()
                .forResource(AuditEvent.class)
                .where(AGENT.hasId(program.clientId()))
                .returnBundle(Bundle.class)
                .execute());
        assertThat(byAgent)
                .extracting(FhirAuditEventIntegrationTest::describe)
                .containsExactlyInAnyOrder(
                        "R appointment slot,status Patient/" + read.fileId(),
                        "R patient-file first_name,last_name,birth_date,sex Patient/" + read.fileId());
        assertThat(byAgent).allSatisfy(event -> {
            assertThat(event.getAgentFirstRep().getWho().getIdentifier().getValue())
                    .isEqualTo(program.clientId());
            assertThat(event.getSource().getObserver().getReference())
                    .isEqualTo(
                            "Organization/" + practice.agenda().establishment().id());
            assertThat(event.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._0);
            // Where it came from: the officer's to see, for an investigation.
            assertThat(event.getAgentFirstRep().getNetwork().getAddress()).isNotBlank();
        });
        assertThat(ids(byAgent)).containsExactlyInAnyOrderElementsOf(loggedIds(program.clientId()));

        // The program itself: what it did (those two reads), patients under its own pseudonym, nothing of
        // its neighbour or of another establishment, no Carnet patient id.
        List<Long> before = loggedIds(program.clientId());
        Bundle own = program.fhir()
                .search()
                .forResource(AuditEvent.class)
                .returnBundle(Bundle.class)
                .execute();
        List<AuditEvent> mine = events(own);
        assertThat(mine)
                .extracting(FhirAuditEventIntegrationTest::describe)
                .containsExactlyInAnyOrder(
                        "R appointment slot,status " + pseudonym,
                        "R patient-file first_name,last_name,birth_date,sex " + pseudonym);
        assertThat(ids(mine)).containsExactlyInAnyOrderElementsOf(before);
        // Its reading of the log is on the log, and in what it finds next.
        String raw = Programs.get(base + "/fhir/AuditEvent", program.token()).raw();
        assertThat(raw).contains("access-log");
        assertThat(raw)
                .doesNotContain(read.fileId().toString())
                .doesNotContain(notRead.fileId().toString())
                .doesNotContain(neighbour.clientId())
                .doesNotContain(elsewhere.agenda().establishment().id().toString())
                .doesNotContain("\"network\"");
        // Another agent's entries: none, whether a neighbour's or the other establishment's program's.
        for (String agent : List.of(neighbour.clientId(), other.clientId())) {
            assertThat(program.fhir()
                            .search()
                            .forResource(AuditEvent.class)
                            .where(AGENT.hasId(agent))
                            .returnBundle(Bundle.class)
                            .execute()
                            .getEntry())
                    .isEmpty();
        }
        // Reading another program's entry by id is 404, the same bytes as an entry that does not exist.
        long neighbours = loggedIds(neighbour.clientId()).get(0);
        Programs.Answer notMine = Programs.get(base + "/fhir/AuditEvent/" + neighbours, program.token());
        Programs.Answer none = Programs.get(base + "/fhir/AuditEvent/999999999999", program.token());
        assertThat(notMine.status()).isEqualTo(404);
        assertThat(notMine.raw()).isEqualTo(none.raw());
        List<Long> others = loggedIds(other.clientId());
        List<AuditEvent> theirEvents = events(other.fhir()
                .search()
                .forResource(AuditEvent.class)
                .returnBundle(Bundle.class)
                .execute());
        assertThat(ids(theirEvents)).containsExactlyInAnyOrderElementsOf(others).hasSize(1);
        assertThat(theirEvents)
                .allSatisfy(event -> assertThat(event.getSource().getObserver().getReference())
                        .isEqualTo("Organization/"
                                + elsewhere.agenda().establishment().id()));
        // The program reads one of its own entries by id.
        AuditEvent one = valid(program.fhir()
                .read()
                .resource(AuditEvent.class)
                .withId(Long.toString(loggedIds(program.clientId()).get(0)))
                .execute());
        assertThat(describe(one)).isEqualTo("R appointment slot,status " + pseudonym);
    }

    @Test
    void searchesByPatientAndDateAndPagesAndEveryReadingIsRecorded() {
        PracticeAgenda.Booked first =
                practice.bookNewPatient(practice.freeSlots(20).get(5).id());
        PracticeAgenda.Booked second =
                practice.bookNewPatient(practice.freeSlots(20).get(6).id());
        ConnectedPrograms.Program program = programs.connect("system/Appointment.r system/AuditEvent.s");
        String pseudonym = FhirProgramAccessIntegrationTest.patientOf(program.fhir()
                .read()
                .resource(Appointment.class)
                .withId(first.appointmentId().toString())
                .execute());
        program.fhir()
                .read()
                .resource(Appointment.class)
                .withId(second.appointmentId().toString())
                .execute();

        // A program names a patient by its pseudonym; the officer by the id the log names.
        assertThat(events(program.fhir()
                        .search()
                        .forResource(AuditEvent.class)
                        .where(new ReferenceClientParam(AuditEvent.SP_PATIENT).hasId(pseudonym))
                        .returnBundle(Bundle.class)
                        .execute()))
                .extracting(FhirAuditEventIntegrationTest::describe)
                .containsExactly("R appointment slot,status " + pseudonym);
        List<AuditEvent> aboutFirst = events(officerFhir
                .search()
                .forResource(AuditEvent.class)
                .where(AGENT.hasId(program.clientId()))
                .and(new ReferenceClientParam(AuditEvent.SP_PATIENT).hasId("Patient/" + first.fileId()))
                .returnBundle(Bundle.class)
                .execute());
        assertThat(aboutFirst)
                .extracting(FhirAuditEventIntegrationTest::describe)
                .containsExactlyInAnyOrder(
                        "R appointment slot,status Patient/" + first.fileId(),
                        "R access-log occurred_at,actor,patient_id,action,resource,fields,purpose,outcome Patient/"
                                + first.fileId());
        // A file id is nobody for a program; another program's pseudonym neither.
        assertThat(program.fhir()
                        .search()
                        .forResource(AuditEvent.class)
                        .where(new ReferenceClientParam(AuditEvent.SP_PATIENT).hasId("Patient/" + first.fileId()))
                        .returnBundle(Bundle.class)
                        .execute()
                        .getEntry())
                .isEmpty();

        // By date: today's are there, none before yesterday.
        LocalDate today = LocalDate.now(FhirProgramAccessIntegrationTest.PARIS);
        assertThat(events(officerFhir
                        .search()
                        .forResource(AuditEvent.class)
                        .where(AGENT.hasId(program.clientId()))
                        .and(AuditEvent.DATE
                                .afterOrEquals()
                                .day(today.minusDays(1).toString()))
                        .and(AuditEvent.DATE
                                .beforeOrEquals()
                                .day(today.plusDays(1).toString()))
                        .returnBundle(Bundle.class)
                        .execute()))
                .hasSize(loggedIds(program.clientId()).size());
        assertThat(officerFhir
                        .search()
                        .forResource(AuditEvent.class)
                        .where(AGENT.hasId(program.clientId()))
                        .and(AuditEvent.DATE.before().day(today.minusDays(1).toString()))
                        .returnBundle(Bundle.class)
                        .execute()
                        .getEntry())
                .isEmpty();

        // Page by page, newest first: every entry once.
        List<Long> logged = loggedIds(program.clientId());
        Bundle page = officerFhir
                .search()
                .forResource(AuditEvent.class)
                .where(AGENT.hasId(program.clientId()))
                .count(1)
                .returnBundle(Bundle.class)
                .execute();
        assertThat(page.getTotal()).isEqualTo(logged.size());
        List<Long> paged = new ArrayList<>();
        while (true) {
            paged.addAll(ids(events(page)));
            if (page.getLink(Bundle.LINK_NEXT) == null) {
                break;
            }
            page = officerFhir.loadPage().next(page).execute();
        }
        List<Long> newestFirst = new ArrayList<>(logged);
        java.util.Collections.reverse(newestFirst);
        assertThat(paged).containsExactlyElementsOf(newestFirst);

        // Each reading is in the log: the officer's (purpose investigation, naming the patient searched for)
        // and the program's own (access-review).
        assertThat(readings(officer.userId().toString()))
                .contains("READ access-log investigation " + first.fileId(), "READ access-log investigation null");
        assertThat(readings(program.clientId())).containsExactly("READ access-log access-review " + first.fileId());
    }

    @Test
    void withoutTheScopeOrTheRoleTheLogIsRefusedWhetherOrNotTheEntryExists() {
        PracticeAgenda.Booked booked =
                practice.bookNewPatient(practice.freeSlots(20).get(7).id());
        ConnectedPrograms.Program agenda = programs.connect("system/Appointment.rs");
        agenda.fhir()
                .read()
                .resource(Appointment.class)
                .withId(booked.appointmentId().toString())
                .execute();
        long existing = loggedIds(agenda.clientId()).get(0);

        String admin = adminOf(practice);
        String first = null;
        for (String token : List.of(agenda.token(), admin)) {
            for (String path : List.of(
                    "/fhir/AuditEvent",
                    "/fhir/AuditEvent?agent=" + agenda.clientId(),
                    "/fhir/AuditEvent/" + existing,
                    "/fhir/AuditEvent/999999999999",
                    "/fhir/AuditEvent/not-an-id")) {
                Programs.Answer answer = Programs.get(base + path, token);
                assertThat(answer.status()).as(path).isEqualTo(403);
                if (first == null) {
                    first = answer.raw();
                }
                assertThat(answer.raw()).as("every 403 reads the same").isEqualTo(first);
            }
        }
        // Search without read and read without search: each its own permission.
        ConnectedPrograms.Program searchOnly = programs.connect("system/AuditEvent.s");
        assertThatThrownBy(() -> searchOnly
                        .fhir()
                        .read()
                        .resource(AuditEvent.class)
                        .withId(Long.toString(existing))
                        .execute())
                .isInstanceOf(ForbiddenOperationException.class);
        ConnectedPrograms.Program readOnly = programs.connect("system/AuditEvent.r");
        assertThatThrownBy(() -> readOnly.fhir()
                        .search()
                        .forResource(AuditEvent.class)
                        .returnBundle(Bundle.class)
                        .execute())
                .isInstanceOf(ForbiddenOperationException.class);
        assertThatThrownBy(() -> readOnly.fhir()
                        .read()
                        .resource(AuditEvent.class)
                        .withId(Long.toString(existing))
                        .execute())
                .isInstanceOf(ResourceNotFoundException.class);
        // Refused before the log was read: nothing recorded for them.
        assertThat(readings(agenda.clientId())).isEmpty();
        assertThat(readings(searchOnly.clientId())).isEmpty();
        // An invalid token is still 401.
        assertThat(Programs.get(base + "/fhir/AuditEvent", "ct1.nothing").status())
                .isEqualTo(401);
    }

    private String adminOf(PracticeAgenda agenda) {
        return api.token(professionals.staff(
                Role.ESTABLISHMENT_ADMIN, agenda.agenda().establishment().id()));
    }

    /** Every AuditEvent of the page, each checked by HAPI's R4 instance validator. */
    static List<AuditEvent> events(Bundle bundle) {
        valid(bundle);
        return bundle.getEntry().stream()
                .map(entry -> valid((AuditEvent) entry.getResource()))
                .toList();
    }

    /** Action, record kind, fields and the patient named ("-" for none). */
    static String describe(AuditEvent event) {
        String resource = null;
        String fields = "";
        for (var detail : event.getEntityFirstRep().getDetail()) {
            if (detail.getType().equals("resource")) {
                resource = detail.getValue().primitiveValue();
            } else if (detail.getType().equals("fields")) {
                fields = detail.getValue().primitiveValue();
            }
        }
        String patient = event.getEntityFirstRep().getWhat().getReference();
        return event.getAction().toCode() + " " + resource + " " + fields + " " + (patient == null ? "-" : patient);
    }

    static List<Long> ids(List<AuditEvent> events) {
        return events.stream()
                .map(e -> Long.parseLong(e.getIdElement().getIdPart()))
                .toList();
    }

    /** The log's entries of this actor, oldest first. */
    List<Long> loggedIds(String actorId) {
        return jdbc.sql("SELECT id FROM audit_log WHERE actor_id = ? ORDER BY occurred_at, id")
                .param(UUID.fromString(actorId))
                .query(Long.class)
                .list();
    }

    /** The actor's readings of the log: action, resource, purpose and patient. */
    List<String> readings(String actorId) {
        return jdbc.sql("SELECT action, resource, purpose, patient_id FROM audit_log WHERE actor_id = ?"
                        + " AND resource = 'access-log' ORDER BY id")
                .param(UUID.fromString(actorId))
                .query((rs, n) ->
                        rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4))
                .list();
    }
}
