package org.carnet.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.carnet.fhir.FhirPublicDirectoryIntegrationTest.valid;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
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
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Issue 13, item 7, the July 2020 replay: an agenda-synchronisation program with valid credentials
 * pulls every appointment of its establishment for a quarter, page by page, with HAPI's generic client.
 * It gets times, practitioners and its own pseudonyms, never a name, phone, e-mail, birth date or
 * motive; the audit log lists exactly which patients it read and which fields; and a patient's own
 * access history names the program and the establishment that connected it.
 */
@CarnetIntegrationTest
@DirtiesContext // its administrator and officer logins must not reach tests that count the demo ones
class Fhir2020ReplayIntegrationTest {

    static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    static final int PHONE_PATIENTS = 12;

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

    @Test
    void anAgendaProgramPullingAQuarterGetsTimesAndPseudonymsOnlyAndEveryReadIsListed() {
        Api api = new Api(port);
        Professionals professionals = new Professionals(logins, transactions);
        Fixtures fixtures = new Fixtures(directory, agendas);
        PracticeAgenda practice = new PracticeAgenda(
                fixtures.aPractitionerWithSlots(), professionals, logins, phoneBookings, availability, jdbc);
        PracticeAgenda elsewhere = new PracticeAgenda(
                fixtures.aPractitionerWithSlots(), professionals, logins, phoneBookings, availability, jdbc);
        List<PracticeAgenda.Booked> booked = practice.bookNewPatients(PHONE_PATIENTS);
        List<PracticeAgenda.Booked> notOurs = elsewhere.bookNewPatients(3);
        // One patient with a Carnet account, booked online: they will read their own access history.
        Fixtures.Patient online = Fixtures.aPatient(api);
        UUID onlineAppointment = Fixtures.book(
                api,
                online,
                practice.agenda(),
                practice.freeSlots(20).get(1).id().toString());
        ConnectedPrograms programs = new ConnectedPrograms(
                api,
                "http://127.0.0.1:" + port,
                api.token(professionals.staff(
                        Role.ESTABLISHMENT_ADMIN,
                        practice.agenda().establishment().id())),
                api.token(professionals.staff(Role.SECURITY_OFFICER, null)));
        ConnectedPrograms.Program agenda = programs.connect("system/Slot.rs system/Appointment.rs");

        // The pull: a quarter from today, 5 a page, following the bundle's next links.
        LocalDate from = LocalDate.now(PARIS);
        List<Appointment> pulled = new ArrayList<>();
        List<String> raw = new ArrayList<>();
        Bundle page = agenda.fhir()
                .search()
                .forResource(Appointment.class)
                .where(Appointment.DATE.afterOrEquals().day(from.toString()))
                .and(Appointment.DATE.before().day(from.plusMonths(3).toString()))
                .count(5)
                .returnBundle(Bundle.class)
                .execute();
        int pages = 0;
        while (true) {
            pages++;
            raw.add(FhirValidation.R4.newJsonParser().encodeResourceToString(page));
            page.getEntry().forEach(entry -> pulled.add(valid((Appointment) entry.getResource())));
            if (page.getLink(Bundle.LINK_NEXT) == null) {
                break;
            }
            page = agenda.fhir().loadPage().next(page).execute();
        }
        assertThat(pages).isEqualTo((PHONE_PATIENTS + 1 + 4) / 5);
        Set<String> expected = new HashSet<>();
        booked.forEach(b -> expected.add(b.appointmentId().toString()));
        expected.add(onlineAppointment.toString());
        assertThat(pulled).extracting(a -> a.getIdElement().getIdPart()).containsExactlyInAnyOrderElementsOf(expected);

        // Times and pseudonyms only.
        for (Appointment appointment : pulled) {
            assertThat(appointment.getStart()).isNotNull();
            assertThat(appointment.getServiceType()).isEmpty();
            assertThat(FhirProgramAccessIntegrationTest.patientOf(appointment)).startsWith("Patient/p1");
        }
        String everything = String.join("\n", raw);
        for (PracticeAgenda.Booked b : booked) {
            assertThat(everything)
                    .doesNotContain(
                            b.lastName(), b.phone(), b.email(), b.fileId().toString());
        }
        assertThat(everything)
                .doesNotContain(
                        "1971-03-14",
                        "1990-02-03",
                        online.email(),
                        online.account().toString())
                .doesNotContain("Testlast", "+33 6 11 22 33 44")
                .doesNotContain(practice.agenda().motive().label());

        // The audit log: exactly these patients, each with exactly the slot and the status.
        Set<UUID> patients = new HashSet<>();
        booked.forEach(b -> patients.add(b.fileId()));
        patients.add(online.account());
        List<Map<String, Object>> entries = jdbc.sql(
                        "SELECT patient_id, fields, action, resource, outcome, establishment_id FROM audit_log"
                                + " WHERE actor_type = 'CLIENT' AND actor_id = ?")
                .param(UUID.fromString(agenda.clientId()))
                .query()
                .listOfRows();
        assertThat(entries).hasSize(patients.size());
        assertThat(entries)
                .extracting(row -> (UUID) row.get("patient_id"))
                .containsExactlyInAnyOrderElementsOf(patients);
        assertThat(entries).allSatisfy(row -> {
            assertThat(row.get("fields")).isEqualTo("slot,status");
            assertThat(row.get("action")).isEqualTo("READ");
            assertThat(row.get("resource")).isEqualTo("appointment");
            assertThat(row.get("outcome")).isEqualTo("ALLOWED");
            assertThat(row.get("establishment_id"))
                    .isEqualTo(practice.agenda().establishment().id());
        });
        assertThat(notOurs).allSatisfy(b -> assertThat(patients).doesNotContain(b.fileId()));

        // The patient's own access history names the program and the establishment that connected it.
        Api.Response history = api.get("/api/v1/me/access-log", online.token());
        assertThat(history.status()).isEqualTo(200);
        List<JsonNode> byProgram = history.body()
                .valueStream()
                .filter(entry -> "CLIENT".equals(entry.get("actorType").asString()))
                .toList();
        assertThat(byProgram).hasSize(1);
        JsonNode entry = byProgram.get(0);
        assertThat(entry.get("program").asString()).isEqualTo(agenda.name());
        assertThat(entry.get("establishment").asString())
                .isEqualTo(practice.agenda().establishment().name());
        assertThat(entry.get("fields").valueStream().map(JsonNode::asString)).containsExactly("slot", "status");
    }
}
