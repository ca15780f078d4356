package org.carnet.exports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.carnet.directory.Directory;
import org.carnet.identity.Logins;
import org.carnet.patients.PatientFiles;
import org.carnet.scheduling.Agendas;
import org.carnet.shared.Role;
import org.carnet.support.Api;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.carnet.support.PageClient;
import org.carnet.support.Professionals;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Issue 17's "export downloaded from an unexpected place": an export that names its recipient's networks is
 * downloaded from them only. The test's requests all come from 127.0.0.1: an export declaring
 * 203.0.113.0/24 is downloaded from elsewhere (refused, link kept, incident naming the export), one declaring
 * 127.0.0.0/8 from inside (works).
 */
@CarnetIntegrationTest
@DirtiesContext // its administrator and officer logins must not reach tests that count the demo ones
class ExportUnexpectedPlaceIntegrationTest {

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

    static final java.time.ZoneId PARIS = java.time.ZoneId.of("Europe/Paris");

    Api api;
    Fixtures.Agenda agenda;
    Professionals.Login admin;
    Professionals.Login officer;
    String adminToken;
    String officerToken;
    TestRecipient recipient;

    @BeforeEach
    void anEstablishmentWithPatients() {
        api = new Api(port);
        Professionals professionals = new Professionals(logins, transactions);
        agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        admin = professionals.staff(
                Role.ESTABLISHMENT_ADMIN, agenda.establishment().id());
        adminToken = api.token(admin);
        officer = professionals.staff(Role.SECURITY_OFFICER, null);
        officerToken = api.token(officer);
        SyntheticPatients.file(
                patientFiles,
                transactions,
                agenda.establishment().id(),
                admin.userId(),
                SyntheticPatients.people(5, 17));
        recipient = new TestRecipient("Nouveau Logiciel <vendor@example.test>");
    }

    @Test
    void aDownloadFromOutsideTheDeclaredNetworksIsRefusedKeepsTheLinkAndOpensAnIncidentNamingTheExport() {
        Api.Response requested =
                api.post("/api/v1/establishment/exports", exportOf(List.of("203.0.113.0/24")), adminToken);
        assertThat(requested.status()).isEqualTo(201);
        String id = requested.body().get("id").asString();
        assertThat(requested.body().get("recipientNetworks").get(0).asString()).isEqualTo("203.0.113.0/24");
        String link = approve(id);

        HttpResponse<String> refused = download(link);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("download-outside-recipient-networks");
        assertThat(export(id).get("status").asString())
                .as("the link is not used: the recipient may still download from their network")
                .isEqualTo("APPROVED");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE establishment_id = ? AND purpose = 'export'"
                                + " AND (action = 'EXECUTE' OR resource <> 'export')")
                        .param(agenda.establishment().id())
                        .query(Long.class)
                        .single())
                .as("nothing left")
                .isZero();

        JsonNode incident = incidentAbout(id);
        assertThat(incident.get("severity").asString()).isEqualTo("HIGH");
        assertThat(incident.get("establishments").get(0).asString())
                .isEqualTo(agenda.establishment().id().toString());
        JsonNode rule = incident.get("timeline")
                .valueStream()
                .filter(t -> t.get("code").asString().equals("export-unexpected-place"))
                .findFirst()
                .orElseThrow();
        assertThat(rule.get("details").asString())
                .as("where the link turned up, for the officer")
                .contains(id)
                .contains("127.0.0.1");

        // Tried again: the same incident, extended, not another one.
        assertThat(download(link).statusCode()).isEqualTo(403);
        assertThat(incidentsAbout(id)).hasSize(1);
        assertThat(incidentAbout(id)
                        .get("timeline")
                        .valueStream()
                        .filter(t -> t.get("code").asString().equals("export-unexpected-place"))
                        .count())
                .isEqualTo(2);

        String draft = api.get(
                        "/api/v1/security/incidents/" + incident.get("id").asString() + "/article-33?establishment="
                                + agenda.establishment().id(),
                        officerToken)
                .raw();
        assertThat(draft)
                .contains("depuis un réseau autre que ceux déclarés pour son destinataire")
                .contains("l'export de données " + id);

        PageClient pages = new PageClient(port);
        pages.signIn(officer.email(), officer.password(), officer.totpSecret());
        assertThat(pages.get("/security/incidents?lang=fr").body())
                .contains("Téléchargement d’un export tenté depuis un réseau que son destinataire n’a pas déclaré")
                .contains(id);
        assertThat(pages.get("/security/incidents?lang=en").body())
                .contains("An export&#39;s download attempted from a network its recipient did not declare");
        assertThat(pages.get("/security/exports?lang=en").body()).contains("only from 203.0.113.0/24");
    }

    @Test
    void aDownloadFromInsideTheDeclaredNetworksWorksOnce() {
        String id = api.post("/api/v1/establishment/exports", exportOf(List.of("127.0.0.0/8")), adminToken)
                .body()
                .get("id")
                .asString();
        String link = approve(id);

        HttpResponse<String> downloaded = download(link);
        assertThat(downloaded.statusCode()).isEqualTo(200);
        assertThat(export(id).get("status").asString()).isEqualTo("DOWNLOADED");
        assertThat(incidentsAbout(id)).isEmpty();
    }

    @Test
    void aWrongNetworkIsRefusedAndNothingIsRequested() {
        for (List<String> wrong :
                List.of(List.of("0.0.0.0/0"), List.of("example.org"), List.of("10.0.0.5/8"), List.of("10.0.0.0/33"))) {
            Api.Response refused = api.post("/api/v1/establishment/exports", exportOf(wrong), adminToken);
            assertThat(refused.status()).as(wrong.toString()).isEqualTo(400);
            assertThat(refused.body().get("errors").get(0).get("field").asString())
                    .isEqualTo("recipientNetworks");
        }
        assertThat(jdbc.sql("SELECT COUNT(*) FROM exports WHERE requested_by = ?")
                        .param(admin.userId())
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void theAdministratorsFormTakesNetworksOneALine() {
        PageClient pages = new PageClient(port);
        pages.signIn(admin.email(), admin.password(), admin.totpSecret());
        pages.get("/establishment/exports");
        PageClient.Page wrong = pages.post("/establishment/exports", form("198.51.100.7/24"));
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.body()).contains("écrit depuis sa première adresse");

        PageClient.Page done = pages.post("/establishment/exports", form("198.51.100.0/24\n2001:db8:40::/48"));
        assertThat(done.status()).isEqualTo(302);
        JsonNode export =
                api.get("/api/v1/establishment/exports", adminToken).body().get(0);
        assertThat(export.get("recipientNetworks").valueStream().map(JsonNode::asString))
                .containsExactly("198.51.100.0/24", "2001:db8:40:0:0:0:0:0/48");
        assertThat(pages.get("/establishment/exports?lang=fr").body())
                .contains("uniquement depuis 198.51.100.0/24, 2001:db8:40:0:0:0:0:0/48");
    }

    private Map<String, String> form(String networks) {
        return Map.of(
                "recipient",
                "Nouveau Logiciel SAS",
                "recipientKey",
                recipient.publicKey(),
                "scope",
                "PATIENTS",
                "from",
                LocalDate.now(PARIS).minusYears(1).toString(),
                "to",
                LocalDate.now(PARIS).plusYears(1).toString(),
                "recipientNetworks",
                networks);
    }

    private String approve(String id) {
        Api.Response approved = api.post("/api/v1/security/exports/" + id + "/approve", Map.of(), officerToken);
        assertThat(approved.status()).isEqualTo(200);
        return approved.body().get("downloadUrl").asString();
    }

    private JsonNode export(String id) {
        return api.get("/api/v1/establishment/exports/" + id, adminToken).body();
    }

    private List<JsonNode> incidentsAbout(String exportId) {
        return api.get("/api/v1/security/incidents?open=true", officerToken)
                .body()
                .valueStream()
                .filter(i -> i.get("exportId") != null
                        && !i.get("exportId").isNull()
                        && i.get("exportId").asString().equals(exportId))
                .toList();
    }

    private JsonNode incidentAbout(String exportId) {
        List<JsonNode> found = incidentsAbout(exportId);
        assertThat(found).hasSize(1);
        JsonNode incident = found.get(0);
        assertThat(incident.get("rules").valueStream().map(JsonNode::asString)).contains("export-unexpected-place");
        return api.get("/api/v1/security/incidents/" + incident.get("id").asString(), officerToken)
                .body();
    }

    private Map<String, Object> exportOf(List<String> networks) {
        return Map.of(
                "recipient", "Nouveau Logiciel SAS",
                "recipientKey", recipient.publicKey(),
                "scope", List.of("DIRECTORY", "PATIENTS", "APPOINTMENTS"),
                "from", LocalDate.now(PARIS).minusYears(1).toString(),
                "to", LocalDate.now(PARIS).plusYears(1).toString(),
                "recipientNetworks", networks);
    }

    private HttpResponse<String> download(String link) {
        try {
            return HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + link))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofString(java.nio.charset.StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static UUID uuid(JsonNode node) {
        return UUID.fromString(node.asString());
    }
}
