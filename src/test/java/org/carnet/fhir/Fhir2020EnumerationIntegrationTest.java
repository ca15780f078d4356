package org.carnet.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.carnet.directory.Directory;
import org.carnet.identity.Logins;
import org.carnet.notifications.Inbox;
import org.carnet.notifications.InboxMessage;
import org.carnet.notifications.Recipient;
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
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Issue 13 item 5 and issue 17's 2020 replay, second half: a connected program holding {@code
 * system/Patient.r} takes the pseudonyms from its establishment's appointments and reads the patients
 * one by one. Breach detection suspends it within 200 distinct patients, with the default thresholds:
 * its next call is refused, its administrator is told, and the incident lists what it read.
 */
@CarnetIntegrationTest
// The night rule would fire first (40 distinct patients) when this runs between 22:00 and 06:00 in Paris;
// raised here so that the test proves the distinct-patients rule whatever the hour it runs.
@TestPropertySource(properties = {"carnet.breach.enabled=true", "carnet.breach.night-floor=1000000"})
class Fhir2020EnumerationIntegrationTest {

    static final int PATIENTS = 230;

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
    Inbox inbox;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    @Test
    void aProgramEnumeratingPatientsIsSuspendedWithin200AndItsAdministratorIsTold() {
        Api api = new Api(port);
        Professionals professionals = new Professionals(logins, transactions);
        PracticeAgenda practice = new PracticeAgenda(
                new Fixtures(directory, agendas).aPractitionerWithSlots(),
                professionals,
                logins,
                phoneBookings,
                availability,
                jdbc);
        practice.bookNewPatients(PATIENTS);
        UUID establishment = practice.agenda().establishment().id();
        Professionals.Login admin = professionals.staff(Role.ESTABLISHMENT_ADMIN, establishment);
        String officer = api.token(professionals.staff(Role.SECURITY_OFFICER, null));
        ConnectedPrograms programs = new ConnectedPrograms(api, "http://127.0.0.1:" + port, api.token(admin), officer);
        ConnectedPrograms.Program program = programs.connect("system/Appointment.rs system/Patient.r");

        // Its appointments give it a pseudonym per patient (times and pseudonyms: not counted as bulk reading).
        Set<String> pseudonyms = new LinkedHashSet<>();
        LocalDate from = LocalDate.now(Fhir2020ReplayIntegrationTest.PARIS);
        Bundle page = program.fhir()
                .search()
                .forResource(Appointment.class)
                .where(Appointment.DATE.afterOrEquals().day(from.toString()))
                .and(Appointment.DATE.before().day(from.plusMonths(3).toString()))
                .count(100)
                .returnBundle(Bundle.class)
                .execute();
        while (true) {
            page.getEntry()
                    .forEach(entry ->
                            pseudonyms.add(FhirProgramAccessIntegrationTest.patientOf((Appointment) entry.getResource())
                                    .substring("Patient/".length())));
            if (page.getLink(Bundle.LINK_NEXT) == null) {
                break;
            }
            page = program.fhir().loadPage().next(page).execute();
        }
        assertThat(pseudonyms).hasSize(PATIENTS);

        // The enumeration: one patient after another, until Carnet stops it.
        List<String> read = new ArrayList<>();
        boolean stopped = false;
        for (String pseudonym : pseudonyms) {
            try {
                program.fhir().read().resource(Patient.class).withId(pseudonym).execute();
                read.add(pseudonym);
            } catch (AuthenticationException refused) {
                stopped = true;
                break;
            }
        }
        assertThat(stopped).as("the program was stopped").isTrue();
        assertThat(read.size()).as("distinct patients read before the stop").isLessThanOrEqualTo(200);

        // Its next call is refused; it is SUSPENDED, recorded as done by breach detection.
        String next = pseudonyms.stream().skip(read.size()).findFirst().orElseThrow();
        assertThatThrownBy(() -> program.fhir()
                        .read()
                        .resource(Patient.class)
                        .withId(next)
                        .execute())
                .isInstanceOf(AuthenticationException.class);
        JsonNode client = api.get("/api/v1/security/clients", officer)
                .body()
                .valueStream()
                .filter(c -> c.get("clientId").asString().equals(program.clientId()))
                .findFirst()
                .orElseThrow();
        assertThat(client.get("status").asString()).isEqualTo("SUSPENDED");

        // The incident: the rule, the program, the establishment, the clock, what it read.
        JsonNode incident = api.get("/api/v1/security/incidents", officer)
                .body()
                .valueStream()
                .filter(i -> program.clientId().equals(i.path("clientId").asString(null)))
                .findFirst()
                .orElseThrow();
        assertThat(incident.get("rules").valueStream().map(JsonNode::asString)).contains("distinct-patients");
        assertThat(incident.get("severity").asString()).isEqualTo("HIGH");
        assertThat(incident.get("establishments").valueStream().map(JsonNode::asString))
                .containsExactly(establishment.toString());
        assertThat(java.time.Instant.parse(incident.get("notifyBy").asString()))
                .isEqualTo(java.time.Instant.parse(incident.get("awareAt").asString())
                        .plus(Duration.ofHours(72)));
        List<JsonNode> timeline = incident.get("timeline").valueStream().toList();
        assertThat(timeline)
                .anySatisfy(t -> {
                    assertThat(t.get("kind").asString()).isEqualTo("CONTAINMENT");
                    assertThat(t.get("code").asString()).isEqualTo("suspend-program");
                    assertThat(t.get("by").isNull()).isTrue();
                })
                .anySatisfy(t -> assertThat(t.get("kind").asString()).isEqualTo("SCOPE"));
        String scope = timeline.stream()
                .filter(t -> t.get("kind").asString().equals("SCOPE"))
                .findFirst()
                .orElseThrow()
                .get("details")
                .asString();
        // Every patient it touched (the appointments' times of all 230, the identity of those it enumerated),
        // as the access log has them, each with the fields it got.
        List<java.util.Map<String, Object>> entries = jdbc.sql(
                        "SELECT DISTINCT patient_id, resource, fields FROM audit_log WHERE actor_id = ? AND outcome = 'ALLOWED'")
                .param(UUID.fromString(program.clientId()))
                .query()
                .listOfRows();
        Set<Object> touched = new java.util.HashSet<>();
        entries.forEach(row -> touched.add(row.get("patient_id")));
        assertThat(incident.get("patientsRead").asInt())
                .isEqualTo(touched.size())
                .isEqualTo(PATIENTS);
        assertThat(entries)
                .allSatisfy(
                        row -> assertThat(scope).contains(row.get("patient_id").toString()));
        // Each identity read is listed with its fields; one read already past the token check when the
        // program was suspended may commit after the listing (docs/breach-response.md).
        List<java.util.Map<String, Object>> identityReads = entries.stream()
                .filter(row -> row.get("resource").equals("patient-file"))
                .toList();
        long identities = identityReads.size();
        long listed = identityReads.stream()
                .filter(row ->
                        scope.contains(row.get("patient_id") + ": birth_date,first_name,last_name,sex,slot,status"))
                .count();
        assertThat(listed).isBetween(identities - 1, identities);
        assertThat(identities).isBetween((long) read.size(), read.size() + 1L);

        // The administrator who connected it is told, in words that say it was automatic.
        var adminActor = logins.byId(admin.userId()).orElseThrow();
        await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> inbox.list(Recipient.professional(admin.userId()), adminActor).stream()
                                .map(InboxMessage::kind)
                                .toList(),
                        kinds -> kinds.contains("client-suspended-automatically"));

        // The Article 33 draft counts every patient it touched; only those whose identity it read are to
        // be told (Article 34): the others gave it appointment times under a pseudonym, nothing intelligible.
        long named = identityReads.stream()
                .map(row -> row.get("patient_id"))
                .distinct()
                .count();
        String id = incident.get("id").asString();
        Api.Response draft =
                api.get("/api/v1/security/incidents/" + id + "/article-33?establishment=" + establishment, officer);
        assertThat(draft.status()).isEqualTo(200);
        assertThat(draft.body().get("approximatePeople").asInt()).isEqualTo(PATIENTS);
        assertThat(draft.body().get("peopleToTell").asLong()).isEqualTo(named);
        assertThat(draft.body().get("measuresTaken").toString())
                .contains("suspension du logiciel tiers et révocation de ses jetons d'accès");
        Api.Response told = api.post(
                "/api/v1/security/incidents/" + id + "/article-34?establishment=" + establishment,
                java.util.Map.of(),
                officer);
        assertThat(told.status()).isEqualTo(202);
        assertThat(told.body().get("patients").asLong()).isEqualTo(named);
        assertThat(told.body().get("exempt").asLong()).isEqualTo(PATIENTS - named);
    }
}
