package org.carnet.exports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.carnet.directory.Directory;
import org.carnet.identity.Logins;
import org.carnet.patients.PatientFiles;
import org.carnet.scheduling.Agendas;
import org.carnet.shared.Role;
import org.carnet.support.Api;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.carnet.support.Gpg;
import org.carnet.support.Professionals;
import org.carnet.support.RequiresGpg;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * An export from request to the recipient's {@code gpg}: the administrator asks, a security officer
 * approves, the recipient downloads once and opens the file with their own key; nobody else can.
 */
@CarnetIntegrationTest
@RequiresGpg
@DirtiesContext // its administrator and officer logins must not reach tests that count the demo ones
class ExportApiIntegrationTest {

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

    Api api;
    Fixtures.Agenda agenda;
    Professionals.Login admin;
    String adminToken;
    String officerToken;
    Fixtures.Patient patient;
    UUID appointment;
    List<SyntheticPatients.Person> people;
    Gpg recipient;

    @BeforeEach
    void anEstablishmentWithPatientsAndARecipientWithAKey() {
        api = new Api(port);
        Professionals professionals = new Professionals(logins, transactions);
        agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        admin = professionals.staff(
                Role.ESTABLISHMENT_ADMIN, agenda.establishment().id());
        adminToken = api.token(admin);
        officerToken = api.token(professionals.staff(Role.SECURITY_OFFICER, null));
        patient = Fixtures.aPatient(api);
        appointment = Fixtures.book(
                api,
                patient,
                agenda,
                Fixtures.freeSlotIdsFromTomorrow(api, agenda).get(0));
        people = SyntheticPatients.people(40, 42);
        SyntheticPatients.file(
                patientFiles, transactions, agenda.establishment().id(), admin.userId(), people);
        recipient = Gpg.fresh();
    }

    @AfterEach
    void forgetTheRecipient() {
        recipient.close();
    }

    @Test
    void theRecipientsGpgOpensTheSignedFileOnceAndEveryStepIsRecorded() throws IOException {
        String key = recipient.generate("New Vendor <vendor@example.test>", "default", "default");

        Api.Response requested = api.post("/api/v1/establishment/exports", exportOf(key), adminToken);
        assertThat(requested.status()).isEqualTo(201);
        String id = requested.body().get("id").asString();
        assertThat(requested.body().get("status").asString()).isEqualTo("REQUESTED");
        assertThat(api.get("/api/v1/establishment/exports", adminToken).body().valueStream())
                .anyMatch(e -> e.get("id").asString().equals(id));
        // The administrator cannot approve their own request, nor can anyone but a security officer.
        assertThat(api.post("/api/v1/security/exports/" + id + "/approve", Map.of(), adminToken)
                        .status())
                .isEqualTo(403);

        Api.Response approved = api.post("/api/v1/security/exports/" + id + "/approve", Map.of(), officerToken);
        assertThat(approved.status()).isEqualTo(200);
        assertThat(approved.body().get("export").get("status").asString()).isEqualTo("APPROVED");
        assertThat(api.post("/api/v1/security/exports/" + id + "/approve", Map.of(), officerToken)
                        .status())
                .isEqualTo(409);
        String link = approved.body().get("downloadUrl").asString();

        HttpResponse<byte[]> download = download(link);
        assertThat(download.statusCode()).isEqualTo(200);
        byte[] file = download.body();
        assertThat(new String(file, StandardCharsets.ISO_8859_1))
                .as("nothing readable in transit")
                .doesNotContain("Patient")
                .doesNotContain(people.get(0).email());
        assertThat(replayIncidents())
                .as("no incident for the recipient's own download")
                .isZero();
        assertThat(download(link).statusCode()).as("the link works once").isEqualTo(404);
        assertThat(replayIncidents())
                .as("someone else may hold the link: an incident naming the establishment")
                .isEqualTo(1);

        recipient.run(
                api.get("/api/v1/exports/signing-key", null).raw().getBytes(StandardCharsets.US_ASCII), "--import");
        Gpg.Result opened = recipient.run(file, "--status-fd", "2", "--decrypt");
        assertThat(opened.exitCode()).as(opened.stderr()).isZero();
        assertThat(opened.stderr())
                .contains("GOODSIG")
                .contains("Carnet exports")
                .contains("DECRYPTION_OKAY");

        Map<String, String> entries = unzip(opened.stdout());
        assertThat(entries.keySet())
                .contains("Organization.ndjson", "Practitioner.ndjson", "Patient.ndjson", "Appointment.ndjson")
                .contains("patients.csv", "practitioners.csv", "appointments.csv", "manifest.json");
        List<String> patients = entries.get("Patient.ndjson").lines().toList();
        assertThat(patients).hasSize(people.size() + 1 + 3); // the booked patient's file, and 3 canaries
        assertThat(patients).allMatch(l -> l.startsWith("{\"resourceType\":\"Patient\""));
        for (SyntheticPatients.Person person : people) {
            assertThat(entries.get("Patient.ndjson")).contains(person.email());
            assertThat(entries.get("patients.csv")).contains(person.email());
        }
        assertThat(entries.get("patients.csv").lines()).hasSize(people.size() + 1 + 3 + 1);
        assertThat(entries.get("Appointment.ndjson")).contains(appointment.toString());
        assertThat(entries.get("Organization.ndjson"))
                .contains(agenda.establishment().finess().value());
        assertThat(entries.get("Practitioner.ndjson"))
                .contains(agenda.practitioner().id().toString());
        assertThat(entries.get("Patient.ndjson")).doesNotContain("motive");

        JsonNode done =
                api.get("/api/v1/establishment/exports/" + id, adminToken).body();
        assertThat(done.get("status").asString()).isEqualTo("DOWNLOADED");
        assertThat(done.get("rowsExported").asInt()).isEqualTo(people.size() + 1 + 1);

        // Recorded: the request, the approval, the download, and one read of each file that left.
        Map<String, Long> recorded = new LinkedHashMap<>();
        jdbc.sql("SELECT resource, action, COUNT(*) FROM audit_log WHERE purpose = 'export' AND establishment_id = ?"
                        + " GROUP BY resource, action")
                .param(agenda.establishment().id())
                .query(rs -> {
                    recorded.put(rs.getString(1) + " " + rs.getString(2), rs.getLong(3));
                });
        assertThat(recorded.get("export CREATE")).isEqualTo(1L);
        assertThat(recorded.get("export UPDATE")).isEqualTo(1L);
        assertThat(recorded.get("export EXECUTE")).isEqualTo(1L);
        // Each file is read twice: once for the NDJSON, once for the CSV.
        assertThat(recorded.get("patient-file READ")).isEqualTo(2L * (people.size() + 1));
        assertThat(recorded.get("appointment READ")).isEqualTo(2L);
    }

    @Test
    void aWrongRecipientCannotOpenIt() {
        String key = recipient.generate("New Vendor <vendor@example.test>", "rsa3072", "default");
        String id = api.post("/api/v1/establishment/exports", exportOf(key), adminToken)
                .body()
                .get("id")
                .asString();
        String link = api.post("/api/v1/security/exports/" + id + "/approve", Map.of(), officerToken)
                .body()
                .get("downloadUrl")
                .asString();
        byte[] file = download(link).body();

        try (Gpg someoneElse = Gpg.fresh()) {
            someoneElse.generate("Someone Else <else@example.test>", "default", "default");
            Gpg.Result attempt = someoneElse.run(file, "--decrypt");
            assertThat(attempt.exitCode()).isNotZero();
            assertThat(attempt.stdout()).isEmpty();
            assertThat(attempt.stderr()).contains("No secret key");
        }
        recipient.run(
                api.get("/api/v1/exports/signing-key", null).raw().getBytes(StandardCharsets.US_ASCII), "--import");
        Gpg.Result opened = recipient.run(file, "--decrypt");
        assertThat(opened.exitCode())
                .as("an RSA recipient opens it: " + opened.stderr())
                .isZero();
    }

    /** Open incidents of the export-link-replayed rule that concern this test's establishment. */
    long replayIncidents() {
        String establishment = agenda.establishment().id().toString();
        return api.get("/api/v1/security/incidents?open=true", officerToken)
                .body()
                .valueStream()
                .filter(i ->
                        i.get("rules").valueStream().anyMatch(r -> r.asString().equals("export-link-replayed")))
                .filter(i -> i.get("establishments")
                        .valueStream()
                        .anyMatch(e -> e.asString().equals(establishment)))
                .count();
    }

    @Test
    void theLinkExpires() {
        String key = recipient.generate("New Vendor <vendor@example.test>", "default", "default");
        String id = api.post("/api/v1/establishment/exports", exportOf(key), adminToken)
                .body()
                .get("id")
                .asString();
        JsonNode approved = api.post("/api/v1/security/exports/" + id + "/approve", Map.of(), officerToken)
                .body();
        assertThat(java.time.Duration.between(
                        java.time.Instant.parse(
                                approved.get("export").get("approvedAt").asString()),
                        java.time.Instant.parse(
                                approved.get("export").get("linkExpiresAt").asString())))
                .isEqualTo(java.time.Duration.ofDays(7));
        // Seven days pass.
        jdbc.sql("UPDATE exports SET link_expires_at = link_expires_at - INTERVAL '7' DAY WHERE id = ?")
                .param(UUID.fromString(id))
                .update();

        assertThat(download(approved.get("downloadUrl").asString()).statusCode())
                .isEqualTo(404);
        assertThat(replayIncidents()).as("an expired link presented").isEqualTo(1);
        assertThat(api.get("/api/v1/establishment/exports/" + id, adminToken)
                        .body()
                        .get("status")
                        .asString())
                .isEqualTo("EXPIRED");
        assertThat(download("/api/v1/exports/download/" + "A".repeat(43)).statusCode())
                .isEqualTo(404);
        assertThat(replayIncidents())
                .as("a made-up link names no export: nothing to open")
                .isEqualTo(1);
    }

    @Test
    void aMalformedOrUnusableKeyIsRefusedWithAProblem() {
        String signingOnly = recipient.generate("Signer <signer@example.test>", "ed25519", "sign");
        String secretKey =
                recipient.run(null, "--armor", "--export-secret-keys", "Signer").out();
        for (String bad : List.of(
                "not a key",
                "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nbm90IGEga2V5\n=abcd\n-----END PGP PUBLIC KEY BLOCK-----\n",
                secretKey,
                signingOnly)) {
            Api.Response refused = api.post("/api/v1/establishment/exports", exportOf(bad), adminToken);
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
            assertThat(refused.body().get("errors").get(0).get("field").asString())
                    .isEqualTo("recipientKey");
        }
        assertThat(api.post("/api/v1/establishment/exports", exportOf(signingOnly), adminToken)
                        .body()
                        .get("errors")
                        .get(0)
                        .get("message")
                        .asString())
                .contains("no key that can encrypt");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM exports WHERE requested_by = ?")
                        .param(admin.userId())
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void noOneElseReachesTheExport() {
        String key = recipient.generate("New Vendor <vendor@example.test>", "default", "default");
        String id = api.post("/api/v1/establishment/exports", exportOf(key), adminToken)
                .body()
                .get("id")
                .asString();
        Professionals professionals = new Professionals(logins, transactions);
        Fixtures.Agenda elsewhere = new Fixtures(directory, agendas).aPractitionerWithSlots();
        String otherAdmin = api.token(professionals.staff(
                Role.ESTABLISHMENT_ADMIN, elsewhere.establishment().id()));
        String staff =
                api.token(professionals.staff(Role.STAFF, agenda.establishment().id()));

        assertThat(api.get("/api/v1/establishment/exports/" + id, otherAdmin).status())
                .isEqualTo(404);
        assertThat(api.get("/api/v1/establishment/exports", otherAdmin).body().valueStream())
                .noneMatch(e -> e.get("id").asString().equals(id));
        assertThat(api.post("/api/v1/establishment/exports", exportOf(key), staff)
                        .status())
                .isEqualTo(403);
        assertThat(api.get("/api/v1/establishment/exports/" + id, patient.token())
                        .status())
                .isEqualTo(403);
        assertThat(api.post("/api/v1/security/exports/" + id + "/approve", Map.of(), otherAdmin)
                        .status())
                .isEqualTo(403);
        assertThat(api.post("/api/v1/security/exports/" + UUID.randomUUID() + "/approve", Map.of(), officerToken)
                        .status())
                .isEqualTo(404);
        assertThat(api.get("/api/v1/establishment/exports/" + id, null).status())
                .isEqualTo(401);
    }

    @Test
    void theDatabaseRefusesAnApprovalByTheRequester() {
        String key = recipient.generate("New Vendor <vendor@example.test>", "default", "default");
        UUID id = UUID.fromString(api.post("/api/v1/establishment/exports", exportOf(key), adminToken)
                .body()
                .get("id")
                .asString());

        assertThatThrownBy(() -> jdbc.sql("UPDATE exports SET approved_by = requested_by, approved_at = requested_at"
                                + " WHERE id = ?")
                        .param(id)
                        .update())
                .isInstanceOf(org.springframework.dao.DataIntegrityViolationException.class);
    }

    private Map<String, Object> exportOf(String key) {
        return Map.of(
                "recipient", "Nouveau Logiciel SAS",
                "recipientKey", key,
                "scope", List.of("DIRECTORY", "PATIENTS", "APPOINTMENTS"),
                "from", LocalDate.now().minusYears(1).toString(),
                "to", LocalDate.now().plusYears(1).toString());
    }

    private HttpResponse<byte[]> download(String link) {
        try {
            return HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + link))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> unzip(byte[] zip) throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip), StandardCharsets.UTF_8)) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                entries.put(entry.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return entries;
    }
}
