package org.carnet.teleconsultation;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.OctetSequenceKey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.carnet.directory.Directory;
import org.carnet.identity.Logins;
import org.carnet.scheduling.Agendas;
import org.carnet.shared.Role;
import org.carnet.support.Api;
import org.carnet.support.Canaries;
import org.carnet.support.CarnetIntegrationTest;
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
import tools.jackson.databind.json.JsonMapper;

/**
 * An establishment's export holds its teleconsultations exactly as Carnet stores them: the consultation
 * key wrapped to the establishment, the questionnaire answers, the messages and the documents, ciphertext
 * byte for byte, which the establishment's own key opens and in which no plaintext appears; and its access
 * log for the export's dates, none outside them. Opened with the recipient's real {@code gpg}.
 */
@CarnetIntegrationTest
@RequiresGpg
@DirtiesContext // its professional logins must not reach tests that count the demo ones
class TeleconsultationExportIntegrationTest {

    private static final String BASE = ConsultationParties.BASE;
    private static final JsonMapper JSON = JsonMapper.builder().build();
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
    TransactionTemplate transactions;

    @Autowired
    JdbcClient jdbc;

    ConsultationParties parties;
    Api api;
    String officerToken;
    Gpg recipient;
    String recipientKey;

    @BeforeEach
    void aTeleconsultationAndARecipient() {
        parties = new ConsultationParties(port, directory, agendas, logins, transactions);
        api = parties.api;
        officerToken = api.token(new Professionals(logins, transactions).staff(Role.SECURITY_OFFICER, null));
        recipient = Gpg.fresh();
        recipientKey = recipient.generate("Etablissement <archive@example.test>", "default", "default");
        recipient.run(
                api.get("/api/v1/exports/signing-key", null).raw().getBytes(StandardCharsets.US_ASCII), "--import");
    }

    @AfterEach
    void forgetTheRecipient() {
        recipient.close();
    }

    @Test
    void theExportHoldsTheCiphertextAsStoredWhichTheEstablishmentsKeyOpensAndItsAccessLogForItsDates()
            throws Exception {
        // A questionnaire on the practitioner's teleconsultation motive; the patient answers it, writes a
        // message and sends a document, each with a canary of its own.
        Api.Response form = api.post(
                BASE + "/questionnaires",
                Map.of(
                        "title",
                        "Avant la téléconsultation",
                        "questions",
                        List.of(Map.of(
                                "id", "symptoms", "type", "FREE_TEXT", "label", "Vos symptômes", "required", true))),
                parties.practitionerToken);
        assertThat(form.status()).as(form.raw()).isEqualTo(201);
        assertThat(api.post(
                                BASE + "/questionnaires/"
                                        + form.body().get("id").asString() + "/motives/"
                                        + parties.agenda.motive().id(),
                                Map.of(),
                                parties.practitionerToken)
                        .status())
                .isEqualTo(204);
        UUID appointment = parties.book(0);
        OctetSequenceKey key = parties.setUpKey(appointment);
        String answersCanary = Canaries.aCanary();
        String messageCanary = Canaries.aCanary();
        String documentCanary = Canaries.aCanary();

        UUID item = UUID.randomUUID();
        String answers = "{\"v\":1,\"forms\":[{\"questionnaire\":\""
                + form.body().get("id").asString() + "\",\"answers\":{\"symptoms\":\"" + answersCanary + "\"}}]}";
        Map<String, Object> sealedAnswers = JoseClient.seal(key, appointment, item, answers);
        Api.Response submitted = api.post(
                BASE + "/" + appointment + "/answers",
                Map.of("itemId", item, "envelope", sealedAnswers),
                parties.patient.token());
        assertThat(submitted.status()).as(submitted.raw()).isEqualTo(201);

        UUID message = UUID.randomUUID();
        String text = "{\"v\":1,\"text\":\"" + messageCanary + "\"}";
        Map<String, Object> sealedMessage = JoseClient.sealItem(
                key,
                appointment,
                Bindings.MESSAGE_KIND,
                Bindings.MESSAGE_CONTENT_TYPE,
                message.toString(),
                text.getBytes(StandardCharsets.UTF_8));
        assertThat(api.post(
                                BASE + "/" + appointment + "/messages",
                                Map.of("messageId", message, "envelope", sealedMessage),
                                parties.patient.token())
                        .status())
                .isEqualTo(201);

        UUID document = UUID.randomUUID();
        byte[] pdf = ("%PDF-1.7 " + documentCanary + "\n").getBytes(StandardCharsets.US_ASCII);
        Map<String, Object> descriptor = JoseClient.sealItem(
                key,
                appointment,
                Bindings.DOCUMENT_KIND,
                Bindings.DOCUMENT_CONTENT_TYPE,
                document.toString(),
                ("{\"v\":1,\"name\":\"" + documentCanary + ".pdf\"}").getBytes(StandardCharsets.UTF_8));
        assertThat(api.post(
                                BASE + "/" + appointment + "/documents",
                                Map.of("documentId", document, "size", pdf.length, "descriptor", descriptor),
                                parties.patient.token())
                        .status())
                .isEqualTo(201);
        Map<String, Object> chunk = JoseClient.sealItem(
                key,
                appointment,
                Bindings.CHUNK_KIND,
                Bindings.CHUNK_CONTENT_TYPE,
                Bindings.chunkItem(document, 0),
                pdf);
        assertThat(api.put(
                                BASE + "/" + appointment + "/documents/" + document + "/chunks/0",
                                chunk,
                                parties.patient.token())
                        .status())
                .isEqualTo(200);

        // The export of the dates around today (wide enough that midnight in Paris does not matter).
        LocalDate today = LocalDate.now(PARIS);
        Set<Long> recordedBefore = logIds();
        Map<String, String> archive = exported(today.minusDays(1), today.plusDays(1));

        assertThat(archive.keySet())
                .contains(
                        "consultation-keys.ndjson",
                        "QuestionnaireResponse.ndjson",
                        "Communication.ndjson",
                        "DocumentReference.ndjson",
                        "AuditEvent.ndjson");
        String all = String.join("\n", archive.values());
        for (String canary : List.of(answersCanary, messageCanary, documentCanary)) {
            assertThat(Canaries.found(all, canary))
                    .as("plaintext in the export")
                    .isFalse();
        }
        JsonNode manifest = JSON.readTree(archive.get("manifest.json"));
        assertThat(manifest.get("output").valueStream().map(o -> o.get("type").asString()))
                .contains(
                        "carnet-consultation-key",
                        "QuestionnaireResponse",
                        "Communication",
                        "DocumentReference",
                        "AuditEvent");

        // The establishment's wrap, as stored, opens with the establishment's own private key.
        List<JsonNode> keys = lines(archive.get("consultation-keys.ndjson"));
        assertThat(keys).hasSize(1);
        assertThat(keys.get(0).get("teleconsultation").asString()).isEqualTo(appointment.toString());
        assertThat(keys.get(0).get("recipient").asString())
                .isEqualTo("establishment:" + parties.agenda.establishment().id());
        OctetSequenceKey opened = JoseClient.unwrap(
                keys.get(0).get("envelope"),
                parties.establishmentKeys.encryption(),
                appointment,
                "establishment:" + parties.agenda.establishment().id());

        // Answers: the envelope byte for byte as the patient's client made it, opened with that key.
        List<JsonNode> responses = lines(archive.get("QuestionnaireResponse.ndjson"));
        assertThat(responses).hasSize(1);
        JsonNode answersAttachment =
                responses.get(0).get("item").get(0).get("answer").get(0).get("valueAttachment");
        assertThat(answersAttachment.get("contentType").asString()).isEqualTo("application/jose+json");
        String answersEnvelope = decoded(answersAttachment);
        assertThat(answersEnvelope).isEqualTo(flattened(sealedAnswers));
        assertThat(JoseClient.open(JSON.readTree(answersEnvelope), opened, appointment, item))
                .isEqualTo(answers);

        // A message, and a document's descriptor and chunk, byte for byte, and they open.
        List<JsonNode> communications = lines(archive.get("Communication.ndjson"));
        assertThat(communications).hasSize(1);
        assertThat(communications.get(0).get("id").asString()).isEqualTo(message.toString());
        String messageEnvelope =
                decoded(communications.get(0).get("payload").get(0).get("contentAttachment"));
        assertThat(messageEnvelope).isEqualTo(flattened(sealedMessage));
        assertThat(new String(
                        JoseClient.openItem(
                                JSON.readTree(messageEnvelope),
                                opened,
                                appointment,
                                Bindings.MESSAGE_KIND,
                                Bindings.MESSAGE_CONTENT_TYPE,
                                message.toString()),
                        StandardCharsets.UTF_8))
                .isEqualTo(text);
        List<JsonNode> documents = lines(archive.get("DocumentReference.ndjson"));
        assertThat(documents).hasSize(1);
        List<JsonNode> content = documents.get(0).get("content").valueStream().toList();
        assertThat(content).hasSize(2);
        assertThat(decoded(content.get(0).get("attachment"))).isEqualTo(flattened(descriptor));
        String chunkEnvelope = decoded(content.get(1).get("attachment"));
        assertThat(chunkEnvelope).isEqualTo(flattened(chunk));
        assertThat(JoseClient.openItem(
                        JSON.readTree(chunkEnvelope),
                        opened,
                        appointment,
                        Bindings.CHUNK_KIND,
                        Bindings.CHUNK_CONTENT_TYPE,
                        Bindings.chunkItem(document, 0)))
                .isEqualTo(pdf);

        // The access log: every entry of the establishment recorded before the download, and only its own.
        List<JsonNode> events = lines(archive.get("AuditEvent.ndjson"));
        Set<Long> exported = new HashSet<>();
        events.forEach(e -> exported.add(Long.parseLong(e.get("id").asString())));
        assertThat(exported).containsAll(recordedBefore).isSubsetOf(logIds());
        assertThat(events)
                .allMatch(e -> e.get("source")
                        .get("observer")
                        .get("reference")
                        .asString()
                        .equals("Organization/" + parties.agenda.establishment().id()));
        assertThat(events)
                .anyMatch(e -> e.get("entity")
                        .get(0)
                        .get("detail")
                        .get(0)
                        .get("valueString")
                        .asString()
                        .equals("questionnaire-answers"));

        // Recorded: one read by the export job of each item, and of the log.
        Map<String, Long> reads = new LinkedHashMap<>();
        jdbc.sql("SELECT resource, COUNT(*) FROM audit_log WHERE purpose = 'export' AND action = 'READ'"
                        + " AND actor_type = 'SYSTEM' AND establishment_id = ? GROUP BY resource")
                .param(parties.agenda.establishment().id())
                .query(rs -> {
                    reads.put(rs.getString(1), rs.getLong(2));
                });
        assertThat(reads)
                .containsEntry("consultation-key", 1L)
                .containsEntry("questionnaire-answers", 1L)
                .containsEntry("consultation-message", 1L)
                .containsEntry("consultation-document", 2L) // the document, then its chunk
                .containsEntry("access-log", 1L);

        // An export of earlier dates holds none of it.
        Map<String, String> earlier = exported(today.minusDays(10), today.minusDays(2));
        for (String name : List.of(
                "consultation-keys.ndjson",
                "QuestionnaireResponse.ndjson",
                "Communication.ndjson",
                "DocumentReference.ndjson",
                "AuditEvent.ndjson")) {
            assertThat(earlier.get(name)).as(name).isEmpty();
        }
    }

    /** Requests, approves and downloads an export of the teleconsultations and the log, and opens it with gpg. */
    private Map<String, String> exported(LocalDate from, LocalDate to) throws IOException {
        Api.Response requested = api.post(
                "/api/v1/establishment/exports",
                Map.of(
                        "recipient", "Centre de test",
                        "recipientKey", recipientKey,
                        "scope", List.of("TELECONSULTATIONS", "AUDIT_LOG"),
                        "from", from.toString(),
                        "to", to.toString()),
                parties.adminToken);
        assertThat(requested.status()).as(requested.raw()).isEqualTo(201);
        String link = api.post(
                        "/api/v1/security/exports/" + requested.body().get("id").asString() + "/approve",
                        Map.of(),
                        officerToken)
                .body()
                .get("downloadUrl")
                .asString();
        HttpResponse<byte[]> download;
        try {
            download = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + link))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        assertThat(download.statusCode()).isEqualTo(200);
        Gpg.Result opened = recipient.run(download.body(), "--status-fd", "2", "--decrypt");
        assertThat(opened.exitCode()).as(opened.stderr()).isZero();
        assertThat(opened.stderr()).contains("GOODSIG").contains("DECRYPTION_OKAY");
        Map<String, String> entries = new LinkedHashMap<>();
        try (ZipInputStream in =
                new ZipInputStream(new ByteArrayInputStream(opened.stdout()), StandardCharsets.UTF_8)) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                entries.put(entry.getName(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return entries;
    }

    private Set<Long> logIds() {
        return new HashSet<>(jdbc.sql("SELECT id FROM audit_log WHERE establishment_id = ?")
                .param(parties.agenda.establishment().id())
                .query(Long.class)
                .list());
    }

    private static List<JsonNode> lines(String ndjson) {
        return ndjson.lines().map(JSON::readTree).toList();
    }

    private static String decoded(JsonNode attachment) {
        return new String(Base64.getDecoder().decode(attachment.get("data").asString()), StandardCharsets.US_ASCII);
    }

    /** The envelope as Carnet stores it: its flattened JSON serialization, members in Envelope's order. */
    private static String flattened(Map<String, Object> members) {
        return new Envelope(
                        (String) members.get("protected"),
                        (String) members.get("encrypted_key"),
                        (String) members.get("iv"),
                        (String) members.get("ciphertext"),
                        (String) members.get("tag"))
                .json();
    }
}
