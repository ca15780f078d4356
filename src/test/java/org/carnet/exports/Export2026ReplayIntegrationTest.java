package org.carnet.exports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.carnet.CarnetApplication;
import org.carnet.directory.Directory;
import org.carnet.identity.Logins;
import org.carnet.patients.PatientFiles;
import org.carnet.scheduling.Agendas;
import org.carnet.shared.Role;
import org.carnet.support.Api;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.carnet.support.Professionals;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The January 2026 incident replayed (issue 17, item 7): an establishment leaving Carnet asks for an export,
 * a security officer approves it, its recipient downloads and decrypts it, and the decrypted patient list
 * turns up elsewhere. The leak tracer (the officer's API, then the {@code leak-trace} command run in this
 * JVM on the same database) attributes it; breach detection opens one incident about that export, naming
 * its recipient and its approver, whose exact scope is what the export held: every patient file that left,
 * with the fields it carried, in clear.
 */
@CarnetIntegrationTest
@DirtiesContext // its administrator and officer logins must not reach tests that count the demo ones
class Export2026ReplayIntegrationTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    @Value("${local.server.port}")
    int port;

    @Autowired
    Directory directory;

    @Autowired
    Agendas agendas;

    @Autowired
    Logins logins;

    @Autowired
    PatientFiles patientFiles;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    Environment environment;

    @Test
    void aLeakedExportIsTracedAndTheIncidentNamesTheExportItsRecipientAndApproverWithItsContentAsScope()
            throws IOException {
        Api api = new Api(port);
        Professionals professionals = new Professionals(logins, transactions);
        Fixtures.Agenda agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        UUID establishment = agenda.establishment().id();
        Professionals.Login admin = professionals.staff(Role.ESTABLISHMENT_ADMIN, establishment);
        String adminToken = api.token(admin);
        Professionals.Login approver = professionals.staff(Role.SECURITY_OFFICER, null);
        String approverToken = api.token(approver);
        String investigatorToken = api.token(professionals.staff(Role.SECURITY_OFFICER, null));
        List<SyntheticPatients.Person> people = SyntheticPatients.people(60, 2026);
        SyntheticPatients.file(patientFiles, transactions, establishment, admin.userId(), people);
        TestRecipient recipient = new TestRecipient("Ancien Prestataire <vendor@example.test>");

        // The export is requested, approved, downloaded and decrypted by its recipient.
        String id = api.post(
                        "/api/v1/establishment/exports",
                        Map.of(
                                "recipient", "Ancien Prestataire SAS",
                                "recipientKey", recipient.publicKey(),
                                "scope", List.of("DIRECTORY", "PATIENTS"),
                                "from", LocalDate.now(PARIS).minusYears(1).toString(),
                                "to", LocalDate.now(PARIS).toString()),
                        adminToken)
                .body()
                .get("id")
                .asString();
        String link = api.post("/api/v1/security/exports/" + id + "/approve", Map.of(), approverToken)
                .body()
                .get("downloadUrl")
                .asString();
        Map<String, String> archive = ExportApiIntegrationTest.unzip(recipient.open(download(link)));
        String leaked = archive.get("patients.csv");
        assertThat(leaked.lines()).hasSize(people.size() + 3 + 1); // the canaries and the header

        // The practice goes on meanwhile: a new patient's file, which the export never held.
        SyntheticPatients.file(
                patientFiles, transactions, establishment, admin.userId(), SyntheticPatients.people(1, 7));

        // Nothing yet: a download by the recipient is no incident.
        assertThat(incidentsAbout(api, investigatorToken, id)).isEmpty();

        // The file turns up; the investigating officer traces it.
        HttpResponse<String> traced =
                LeakTraceIntegrationTest.postText(port, "/api/v1/security/leak-trace", leaked, investigatorToken);
        assertThat(traced.statusCode()).isEqualTo(200);
        JsonNode attribution =
                tools.jackson.databind.json.JsonMapper.builder().build().readTree(traced.body());
        assertThat(attribution.get("attributed").asBoolean()).isTrue();
        assertThat(attribution.get("best").get("exportId").asString()).isEqualTo(id);

        List<JsonNode> incidents = incidentsAbout(api, investigatorToken, id);
        assertThat(incidents).hasSize(1);
        String incidentId = incidents.get(0).get("id").asString();
        JsonNode incident = api.get("/api/v1/security/incidents/" + incidentId, investigatorToken)
                .body();
        assertThat(incident.get("rules").valueStream().map(JsonNode::asString))
                .containsExactly("export-leak-attributed");
        assertThat(incident.get("severity").asString()).isEqualTo("HIGH");
        assertThat(incident.get("exportId").asString()).isEqualTo(id);
        assertThat(incident.get("establishments").valueStream().map(JsonNode::asString))
                .containsExactly(establishment.toString());
        String rule = incident.get("timeline").get(0).get("details").asString();
        assertThat(rule)
                .as("the incident names the export, its recipient and its approver")
                .contains(id)
                .contains("Ancien Prestataire SAS")
                .contains(approver.userId().toString());

        // Its exact scope is what the export held: each patient file that left, its fields in clear.
        Set<UUID> inTheExport = new HashSet<>(jdbc.sql("SELECT DISTINCT patient_id FROM audit_log"
                        + " WHERE establishment_id = ? AND purpose = 'export' AND resource = 'patient-file'"
                        + " AND action = 'READ'")
                .param(establishment)
                .query(UUID.class)
                .list());
        assertThat(inTheExport).hasSize(people.size());
        JsonNode scope = api.get("/api/v1/security/incidents/" + incidentId + "/scope", investigatorToken)
                .body();
        assertThat(scope.get("verification").get("intact").asBoolean()).isTrue();
        JsonNode part = scope.get("establishments").get(0);
        assertThat(part.get("patients").asInt()).isEqualTo(people.size());
        assertThat(part.get("records").asInt())
                .as("each file read twice, for the NDJSON and the CSV")
                .isEqualTo(2 * people.size());
        assertThat(part.get("patientsWithIntelligibleData").asInt()).isEqualTo(people.size());
        assertThat(part.get("categories").valueStream().map(JsonNode::asString))
                .containsExactlyInAnyOrder("IDENTITY", "CONTACT");
        Set<UUID> scoped = new HashSet<>();
        for (JsonNode patient : scope.get("patients")) {
            scoped.add(UUID.fromString(patient.get("patientId").asString()));
            List<String> fields = new ArrayList<>();
            patient.get("fields").forEach(f -> fields.add(f.get("field").asString()));
            assertThat(fields)
                    .containsExactlyInAnyOrder("first_name", "last_name", "birth_date", "sex", "phone", "email");
            assertThat(patient.get("exposure").asString()).isEqualTo("INTELLIGIBLE");
        }
        assertThat(scoped).isEqualTo(inTheExport);

        // The Article 33 draft says so in words, with the same numbers.
        JsonNode draft = api.get(
                        "/api/v1/security/incidents/" + incidentId + "/article-33?establishment=" + establishment,
                        investigatorToken)
                .body();
        assertThat(draft.get("nature").asString())
                .contains("attribué par son marquage à un export")
                .contains("l'export de données " + id);
        assertThat(draft.get("approximatePeople").asInt()).isEqualTo(people.size());

        // The command attributes it too, and the same incident is extended rather than another opened.
        Path file = Files.createTempDirectory(Path.of("target"), "leak-2026-").resolve("patients.csv");
        Files.writeString(file, leaked, StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = LeakTraceCommand.run(
                CarnetApplication.class,
                commandArguments(file),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(LeakTraceCommand.ATTRIBUTED);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("ATTRIBUTED to export " + id);
        assertThat(incidentsAbout(api, investigatorToken, id)).hasSize(1);
        assertThat(api.get("/api/v1/security/incidents/" + incidentId, investigatorToken)
                        .body()
                        .get("timeline")
                        .valueStream()
                        .filter(t -> t.get("code").asString().equals("export-leak-attributed"))
                        .count())
                .isEqualTo(2);
    }

    private String[] commandArguments(Path file) {
        List<String> args = new ArrayList<>(List.of("leak-trace", file.toString()));
        for (String property : List.of(
                "spring.datasource.url",
                "spring.datasource.username",
                "spring.datasource.password",
                "spring.flyway.user",
                "spring.flyway.password",
                "carnet.data-dir")) {
            String value = environment.getProperty(property);
            if (value != null) {
                args.add("--" + property + "=" + value);
            }
        }
        // The command's own detector stays off, as the test profile's: only the tracer's event matters here.
        args.add("--carnet.breach.enabled=false");
        return args.toArray(String[]::new);
    }

    private static List<JsonNode> incidentsAbout(Api api, String officerToken, String exportId) {
        return api.get("/api/v1/security/incidents?open=true", officerToken)
                .body()
                .valueStream()
                .filter(i -> i.get("exportId") != null
                        && !i.get("exportId").isNull()
                        && i.get("exportId").asString().equals(exportId))
                .toList();
    }

    private byte[] download(String link) {
        try {
            HttpResponse<byte[]> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + link))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).isEqualTo(200);
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
