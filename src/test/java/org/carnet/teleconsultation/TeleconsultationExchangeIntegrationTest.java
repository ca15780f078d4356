package org.carnet.teleconsultation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import javax.sql.DataSource;
import org.carnet.directory.Directory;
import org.carnet.identity.Logins;
import org.carnet.notifications.Inbox;
import org.carnet.notifications.InboxMessage;
import org.carnet.notifications.Recipient;
import org.carnet.scheduling.Agendas;
import org.carnet.shared.Actor;
import org.carnet.shared.Role;
import org.carnet.support.Api;
import org.carnet.support.Canaries;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A teleconsultation's written exchange, with nimbus-jose-jwt playing the patient's and the practitioner's
 * clients: messages and a chunked, signed document go from one to the other while the server stores and
 * serves ciphertext only; an envelope moved to another item or consultation, or altered, is refused (by
 * the server where it can tell, by the client always); staff, another establishment and another patient
 * get not found; the other side is told of a message without a word of it.
 */
@CarnetIntegrationTest
@ExtendWith(OutputCaptureExtension.class)
@DirtiesContext // its professional logins must not reach tests that count the demo ones
class TeleconsultationExchangeIntegrationTest {

    private static final String BASE = ConsultationParties.BASE;
    private static final int MIB = 1024 * 1024;
    private static final JsonMapper JSON = JsonMapper.builder().build();

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

    @Autowired
    DataSource dataSource;

    @Autowired
    Inbox inbox;

    ConsultationParties parties;
    Api api;
    UUID appointment;

    @BeforeEach
    void aTeleconsultationWhoseKeyIsSetUp() {
        parties = new ConsultationParties(port, directory, agendas, logins, transactions);
        api = parties.api;
        appointment = parties.book(0);
    }

    @Test
    void messagesGoBothWaysAsCiphertextAndTheOtherSideIsToldWithoutAWordOfThem(CapturedOutput output) throws Exception {
        OctetSequenceKey key = parties.setUpKey(appointment);
        String canary = Canaries.aCanary();
        UUID first = UUID.randomUUID();
        String text = "{\"v\":1,\"text\":\"" + canary + " depuis trois jours\"}";
        Api.Response posted = api.post(
                BASE + "/" + appointment + "/messages",
                Map.of("messageId", first, "envelope", message(key, appointment, first, text)),
                parties.patient.token());
        assertThat(posted.status()).as(posted.raw()).isEqualTo(201);
        assertThat(posted.body().get("sender").asString()).isEqualTo("patient");
        assertThat(api.post(
                                BASE + "/" + appointment + "/messages",
                                Map.of("messageId", first, "envelope", message(key, appointment, first, text)),
                                parties.patient.token())
                        .status())
                .as("a message is written once")
                .isEqualTo(409);

        // The other side, the practitioner, is told in their inbox that a message arrived (before anyone
        // answers): a kind and a time, nothing of it. The sender is not.
        Actor.Person practitioner = new Actor.Person(
                UUID.randomUUID(),
                Role.PRACTITIONER,
                parties.agenda.practitioner().id(),
                org.carnet.shared.EstablishmentId.of(
                        parties.agenda.establishment().id()));
        Actor.Person patient = new Actor.Person(UUID.randomUUID(), Role.PATIENT, parties.patient.account(), null);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> kinds(
                                Recipient.professional(
                                        parties.agenda.practitioner().id()),
                                practitioner)
                        .contains("consultation-message"));
        assertThat(kinds(Recipient.patient(parties.patient.account()), patient)).doesNotContain("consultation-message");

        // The practitioner's client opens it with the key from their own wrap, and answers.
        OctetSequenceKey practitionersKey = JoseClient.unwrap(
                api.get(BASE + "/" + appointment + "/keys/mine", parties.practitionerToken)
                        .body()
                        .get("envelope"),
                parties.practitionerKeys.encryption(),
                appointment,
                "practitioner:" + parties.agenda.practitioner().id());
        List<JsonNode> seen = api.get(BASE + "/" + appointment + "/messages", parties.practitionerToken)
                .body()
                .valueStream()
                .toList();
        assertThat(seen).hasSize(1);
        assertThat(open(seen.get(0), practitionersKey)).isEqualTo(text);
        UUID reply = UUID.randomUUID();
        String replyText = "{\"v\":1,\"text\":\"Prenez votre température ce soir\"}";
        assertThat(api.post(
                                BASE + "/" + appointment + "/messages",
                                Map.of(
                                        "messageId",
                                        reply,
                                        "envelope",
                                        message(practitionersKey, appointment, reply, replyText)),
                                parties.practitionerToken)
                        .status())
                .isEqualTo(201);
        List<JsonNode> thread = api.get(BASE + "/" + appointment + "/messages", parties.patient.token())
                .body()
                .valueStream()
                .toList();
        assertThat(thread).extracting(m -> m.get("sender").asString()).containsExactly("patient", "practitioner");
        assertThat(open(thread.get(1), key)).isEqualTo(replyText);

        // The patient is told of the answer, as the practitioner was of the message (above).
        await().atMost(Duration.ofSeconds(30))
                .until(() -> kinds(Recipient.patient(parties.patient.account()), patient)
                        .contains("consultation-message"));
        InboxMessage notice =
                inbox.list(Recipient.professional(parties.agenda.practitioner().id()), practitioner).stream()
                        .filter(m -> m.kind().equals("consultation-message"))
                        .findFirst()
                        .orElseThrow();
        assertThat(notice.params()).hasSize(1).allMatch(p -> p instanceof java.time.Instant);

        // Nothing the server keeps or logs holds the message, in clear or in base64.
        String dump = Canaries.databaseDump(dataSource);
        assertThat(Canaries.found(dump, canary))
                .as("the database holds the message")
                .isFalse();
        assertThat(Canaries.found(output.getAll(), canary))
                .as("the logs hold the message")
                .isFalse();
        assertThat(dump.contains(first.toString())).as("the dump is real").isTrue();
    }

    @Test
    void aSignedPrescriptionGoesInEncryptedChunksAndThePatientsClientChecksWhoIssuedIt(CapturedOutput output)
            throws Exception {
        OctetSequenceKey key = parties.setUpKey(appointment);
        String canary = Canaries.aCanary();
        byte[] pdf = aPdf(canary, 2 * MIB + 12_345);
        UUID document = UUID.randomUUID();

        // The practitioner's client signs the manifest with their directory signing key, puts the JWS in the
        // encrypted descriptor, and uploads the document in three chunks.
        JsonNode issuer = parties.currentEntry(
                "practitioner", parties.agenda.practitioner().id());
        String manifest = manifest(
                appointment,
                document,
                "prescription",
                "ordonnance-" + canary + ".pdf",
                pdf,
                parties.agenda.practitioner().id());
        String jws = JoseClient.sign(
                parties.practitionerKeys.signing(),
                issuer.get("signingKid").asString(),
                appointment,
                document,
                manifest);
        Api.Response created = createDocument(
                key, appointment, document, pdf.length, descriptor(manifest, jws), parties.practitionerToken);
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        assertThat(created.body().get("chunkCount").asInt()).isEqualTo(3);
        assertThat(created.body().get("complete").asBoolean()).isFalse();
        for (int index = 0; index < 3; index++) {
            Api.Response stored =
                    putChunk(key, appointment, document, index, chunkOf(pdf, index), parties.practitionerToken);
            assertThat(stored.status()).as(stored.raw()).isEqualTo(200);
        }
        assertThat(putChunk(key, appointment, document, 2, chunkOf(pdf, 2), parties.practitionerToken)
                        .status())
                .as("a chunk is written once")
                .isEqualTo(409);

        // The patient's client: the descriptor, the chunks one by one, the signature against the directory.
        List<JsonNode> documents = api.get(BASE + "/" + appointment + "/documents", parties.patient.token())
                .body()
                .valueStream()
                .toList();
        assertThat(documents).hasSize(1);
        JsonNode served = documents.get(0);
        assertThat(served.get("complete").asBoolean()).isTrue();
        assertThat(served.get("uploader").asString()).isEqualTo("practitioner");
        Map<String, Object> opened = JoseClient.json(new String(
                JoseClient.openItem(
                        served.get("descriptor"),
                        key,
                        appointment,
                        Bindings.DOCUMENT_KIND,
                        Bindings.DOCUMENT_CONTENT_TYPE,
                        document.toString()),
                StandardCharsets.UTF_8));
        byte[] downloaded =
                download(key, appointment, document, served.get("chunkCount").asInt());
        assertThat(downloaded).isEqualTo(pdf);
        Map<String, Object> verified = JoseClient.verifySignature(
                (String) opened.get("signature"),
                parties.currentEntry(
                                "practitioner", parties.agenda.practitioner().id())
                        .get("signingJwk")
                        .asString(),
                appointment,
                document,
                downloaded);
        assertThat(verified.get("kind")).isEqualTo("prescription");
        assertThat(verified.get("issuer"))
                .isEqualTo("practitioner:" + parties.agenda.practitioner().id());

        // A signature by another key (the patient's, posing as the practitioner), or over other bytes, is refused.
        String forged = JoseClient.sign(
                parties.patientKeys.signing(), issuer.get("signingKid").asString(), appointment, document, manifest);
        assertThatThrownBy(() -> JoseClient.verifySignature(
                        forged, issuer.get("signingJwk").asString(), appointment, document, downloaded))
                .isInstanceOf(JOSEException.class);
        byte[] altered = downloaded.clone();
        altered[7] ^= 1;
        assertThatThrownBy(() -> JoseClient.verifySignature(
                        jws, issuer.get("signingJwk").asString(), appointment, document, altered))
                .isInstanceOf(JOSEException.class);
        assertThatThrownBy(() -> JoseClient.verifySignature(
                        jws, issuer.get("signingJwk").asString(), appointment, UUID.randomUUID(), downloaded))
                .isInstanceOf(JOSEException.class);

        // Nothing the server keeps or logs holds the document's words or name.
        String dump = Canaries.databaseDump(dataSource);
        assertThat(Canaries.found(dump, canary))
                .as("the database holds the document")
                .isFalse();
        assertThat(Canaries.found(output.getAll(), canary))
                .as("the logs hold the document")
                .isFalse();
        assertThat(dump.contains(document.toString())).as("the dump is real").isTrue();
    }

    @Test
    void anEnvelopeMovedToAnotherItemOrConsultationOrAlteredIsRefused() throws Exception {
        OctetSequenceKey key = parties.setUpKey(appointment);
        UUID other = parties.book(1);
        OctetSequenceKey otherKey = parties.setUpKey(other);
        String token = parties.patient.token();

        // Messages: the server refuses an envelope bound to another consultation or message id.
        UUID id = UUID.randomUUID();
        Map<String, Object> sealed = message(key, appointment, id, "{\"v\":1,\"text\":\"bonjour\"}");
        assertThat(api.post(BASE + "/" + other + "/messages", Map.of("messageId", id, "envelope", sealed), token)
                        .status())
                .isEqualTo(422);
        assertThat(api.post(
                                BASE + "/" + appointment + "/messages",
                                Map.of("messageId", UUID.randomUUID(), "envelope", sealed),
                                token)
                        .status())
                .isEqualTo(422);
        // An answers envelope offered as a message (another content type) is refused as malformed.
        assertThat(api.post(
                                BASE + "/" + appointment + "/messages",
                                Map.of("messageId", id, "envelope", JoseClient.seal(key, appointment, id, "{}")),
                                token)
                        .status())
                .isEqualTo(400);

        // Chunks: bound to another index, another document, or of the wrong length.
        UUID document = UUID.randomUUID();
        byte[] content = aPdf("x", 2 * MIB + 10); // chunks 0 and 1 of the same length: only the binding differs
        assertThat(createDocument(key, appointment, document, content.length, descriptor("{}", null), token)
                        .status())
                .isEqualTo(201);
        Map<String, Object> chunk0 = chunk(key, appointment, document, 0, chunkOf(content, 0));
        assertThat(api.put(BASE + "/" + appointment + "/documents/" + document + "/chunks/1", chunk0, token)
                        .status())
                .as("chunk 0 offered as chunk 1")
                .isEqualTo(422);
        UUID second = UUID.randomUUID();
        assertThat(createDocument(key, appointment, second, content.length, descriptor("{}", null), token)
                        .status())
                .isEqualTo(201);
        assertThat(api.put(BASE + "/" + appointment + "/documents/" + second + "/chunks/0", chunk0, token)
                        .status())
                .as("another document's chunk")
                .isEqualTo(422);
        assertThat(putChunk(key, appointment, document, 2, new byte[11], token).status())
                .as("a last chunk of the wrong length")
                .isEqualTo(422);
        assertThat(putChunk(key, appointment, document, 0, chunkOf(content, 0), token)
                        .status())
                .isEqualTo(200);
        assertThat(putChunk(key, appointment, document, 1, chunkOf(content, 1), token)
                        .status())
                .isEqualTo(200);
        assertThat(putChunk(key, appointment, document, 2, chunkOf(content, 2), token)
                        .status())
                .isEqualTo(200);
        assertThat(putChunk(key, appointment, document, 3, new byte[1], token).status())
                .as("no chunk beyond the size")
                .isEqualTo(400);
        assertThat(putChunk(key, appointment, document, 0, chunkOf(content, 0), parties.practitionerToken)
                        .status())
                .as("only its uploader adds to a document")
                .isEqualTo(404);

        // What the server cannot tell, the client does. A server that swaps two chunks in place:
        for (int[] move : new int[][] {{0, 19}, {1, 0}, {19, 1}}) {
            jdbc.sql(
                            "UPDATE consultation_document_chunks SET chunk_index = ? WHERE document_id = ? AND chunk_index = ?")
                    .param(move[1])
                    .param(document)
                    .param(move[0])
                    .update();
        }
        JsonNode swapped = api.get(BASE + "/" + appointment + "/documents/" + document + "/chunks/0", token)
                .body();
        assertThatThrownBy(() -> openChunk(swapped, key, appointment, document, 0))
                .isInstanceOf(JOSEException.class);
        // A flipped byte of a stored message or chunk breaks the tag.
        assertThat(api.post(BASE + "/" + appointment + "/messages", Map.of("messageId", id, "envelope", sealed), token)
                        .status())
                .isEqualTo(201);
        String stored = jdbc.sql("SELECT envelope FROM consultation_messages WHERE id = ?")
                .param(id)
                .query(String.class)
                .single();
        Map<String, Object> members = JoseClient.json(stored);
        members.put("ciphertext", flipped((String) members.get("ciphertext")));
        jdbc.sql("UPDATE consultation_messages SET envelope = ? WHERE id = ?")
                .param(com.nimbusds.jose.util.JSONObjectUtils.toJSONString(members))
                .param(id)
                .update();
        JsonNode tampered =
                api.get(BASE + "/" + appointment + "/messages", token).body().get(0);
        assertThatThrownBy(() -> open(tampered, key)).isInstanceOf(JOSEException.class);
        // A message copied by the server into another consultation is refused by the client: its binding.
        jdbc.sql("INSERT INTO consultation_messages (establishment_id, appointment_id, id, sender_kind, sender_id,"
                        + " envelope, posted_at) SELECT establishment_id, ?, ?, sender_kind, sender_id, ?, posted_at"
                        + " FROM consultation_messages WHERE id = ?")
                .param(other)
                .param(id)
                .param(JSON.writeValueAsString(sealed))
                .param(id)
                .update();
        JsonNode moved = api.get(BASE + "/" + other + "/messages", token).body().get(0);
        assertThatThrownBy(() -> JoseClient.openItem(
                        moved.get("envelope"),
                        otherKey,
                        other,
                        Bindings.MESSAGE_KIND,
                        Bindings.MESSAGE_CONTENT_TYPE,
                        id.toString()))
                .isInstanceOf(JOSEException.class);
        // Untouched, it opens: the refusals above are the binding's and the tag's, not a broken client.
        assertThat(JoseClient.openItem(
                        JSON.valueToTree(sealed),
                        key,
                        appointment,
                        Bindings.MESSAGE_KIND,
                        Bindings.MESSAGE_CONTENT_TYPE,
                        id.toString()))
                .isEqualTo("{\"v\":1,\"text\":\"bonjour\"}".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aNumberedMessageIsBoundToItsSenderAndNumberWhichTheServerCannotChange() throws Exception {
        OctetSequenceKey key = parties.setUpKey(appointment);
        String token = parties.patient.token();
        String patient = "patient:" + parties.patient.account();
        String practitioner = "practitioner:" + parties.agenda.practitioner().id();
        String path = BASE + "/" + appointment + "/messages";
        UUID first = UUID.randomUUID();
        String text = "{\"v\":1,\"text\":\"premier\"}";
        Map<String, Object> sealed = JoseClient.sealNumberedMessage(key, appointment, first, patient, 1, text);
        Api.Response posted = api.post(path, numbered(first, 1, sealed), token);
        assertThat(posted.status()).as(posted.raw()).isEqualTo(201);
        assertThat(posted.body().get("sequence").asInt()).isEqualTo(1);

        // The server's own checks: each number once per sender, bound to the caller and to the number sent.
        UUID second = UUID.randomUUID();
        assertThat(api.post(
                                path,
                                numbered(
                                        second,
                                        1,
                                        JoseClient.sealNumberedMessage(key, appointment, second, patient, 1, text)),
                                token)
                        .status())
                .as("a sender's number is used once")
                .isEqualTo(409);
        assertThat(api.post(
                                path,
                                numbered(
                                        second,
                                        2,
                                        JoseClient.sealNumberedMessage(
                                                key, appointment, second, practitioner, 2, text)),
                                token)
                        .status())
                .as("bound to another sender than the caller")
                .isEqualTo(422);
        assertThat(api.post(
                                path,
                                numbered(
                                        second,
                                        2,
                                        JoseClient.sealNumberedMessage(key, appointment, second, patient, 3, text)),
                                token)
                        .status())
                .as("bound to another number than the one sent beside it")
                .isEqualTo(422);
        assertThat(api.post(path, numbered(second, 0, sealed), token).status()).isEqualTo(400);
        // An unnumbered message (as clients posted before numbering) is still taken, and opens as before.
        UUID old = UUID.randomUUID();
        assertThat(api.post(path, Map.of("messageId", old, "envelope", message(key, appointment, old, text)), token)
                        .status())
                .isEqualTo(201);

        List<JsonNode> thread = api.get(path, token).body().valueStream().toList();
        assertThat(thread).hasSize(2);
        JsonNode served = thread.stream()
                .filter(m -> m.get("messageId").asString().equals(first.toString()))
                .findFirst()
                .orElseThrow();
        JoseClient.OpenedMessage opened = openMessage(served, key);
        assertThat(opened.sequence()).isEqualTo(1);
        assertThat(opened.json()).isEqualTo(text);
        JsonNode unnumbered = thread.stream()
                .filter(m -> m.get("messageId").asString().equals(old.toString()))
                .findFirst()
                .orElseThrow();
        assertThat(unnumbered.get("sequence").isNull()).isTrue();
        assertThat(openMessage(unnumbered, key).sequence()).isNull();

        // The server renumbers the stored message (to hide that one is missing before it, say): the number
        // is in the protected header, the associated data, so the tag no longer verifies.
        Map<String, Object> members =
                JoseClient.json(jdbc.sql("SELECT envelope FROM consultation_messages WHERE id = ?")
                        .param(first)
                        .query(String.class)
                        .single());
        String header = new String(
                java.util.Base64.getUrlDecoder().decode((String) members.get("protected")), StandardCharsets.UTF_8);
        assertThat(header).contains("\"seq\":1");
        members.put(
                "protected",
                java.util.Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(header.replace("\"seq\":1", "\"seq\":2").getBytes(StandardCharsets.UTF_8)));
        jdbc.sql("UPDATE consultation_messages SET envelope = ?, sender_sequence = 2 WHERE id = ?")
                .param(com.nimbusds.jose.util.JSONObjectUtils.toJSONString(members))
                .param(first)
                .update();
        JsonNode renumbered = api.get(path, token)
                .body()
                .valueStream()
                .filter(m -> m.get("messageId").asString().equals(first.toString()))
                .findFirst()
                .orElseThrow();
        assertThatThrownBy(() -> openMessage(renumbered, key))
                .as("a number changed by the server")
                .isInstanceOf(JOSEException.class);

        // The server serves the patient's message as the practitioner's: the binding names its real sender.
        jdbc.sql("UPDATE consultation_messages SET envelope = ?, sender_kind = 'PRACTITIONER', sender_id = ?"
                        + " WHERE id = ?")
                .param(JSON.writeValueAsString(sealed))
                .param(parties.agenda.practitioner().id())
                .param(first)
                .update();
        JsonNode relabelled = api.get(path, token)
                .body()
                .valueStream()
                .filter(m -> m.get("messageId").asString().equals(first.toString()))
                .findFirst()
                .orElseThrow();
        assertThatThrownBy(() -> openMessage(relabelled, key))
                .as("a message served under another sender")
                .isInstanceOf(JOSEException.class);
        // Untouched, it opens: the refusals are the tag's and the binding's.
        assertThat(JoseClient.openMessage(JSON.valueToTree(sealed), key, appointment, first.toString(), patient)
                        .sequence())
                .isEqualTo(1);
    }

    private static Map<String, Object> numbered(UUID messageId, int sequence, Map<String, Object> envelope) {
        return Map.of("messageId", messageId, "sequence", sequence, "envelope", envelope);
    }

    private JoseClient.OpenedMessage openMessage(JsonNode served, OctetSequenceKey key) throws Exception {
        return JoseClient.openMessage(
                served.get("envelope"),
                key,
                appointment,
                served.get("messageId").asString(),
                served.get("sender").asString() + ":" + served.get("senderId").asString());
    }

    @Test
    void staffAnotherEstablishmentAndAnotherPatientGetNotFoundAndTheirAttemptsAreRecorded() {
        OctetSequenceKey key = parties.setUpKey(appointment);
        UUID id = UUID.randomUUID();
        assertThat(api.post(
                                BASE + "/" + appointment + "/messages",
                                Map.of("messageId", id, "envelope", message(key, appointment, id, "{}")),
                                parties.patient.token())
                        .status())
                .isEqualTo(201);
        UUID document = UUID.randomUUID();
        assertThat(createDocument(key, appointment, document, 10, descriptor("{}", null), parties.patient.token())
                        .status())
                .isEqualTo(201);
        assertThat(putChunk(key, appointment, document, 0, new byte[10], parties.patient.token())
                        .status())
                .isEqualTo(200);

        Fixtures.Patient otherPatient = Fixtures.aPatient(api);
        UUID nowhere = UUID.randomUUID();
        String notFound = api.get(BASE + "/" + nowhere + "/messages", parties.patient.token())
                .raw();
        for (String token :
                List.of(parties.staffToken, parties.adminToken, parties.strangerToken, otherPatient.token())) {
            Api.Response messages = api.get(BASE + "/" + appointment + "/messages", token);
            assertThat(messages.status()).isEqualTo(404);
            assertThat(messages.raw()).as("refused and absent read the same").isEqualTo(notFound);
            assertThat(api.get(BASE + "/" + appointment + "/documents", token).status())
                    .isEqualTo(404);
            assertThat(api.get(BASE + "/" + appointment + "/documents/" + document + "/chunks/0", token)
                            .status())
                    .isEqualTo(404);
        }
        // Writes: staff and administrators are stopped at the door, the others by the access decision.
        UUID intruding = UUID.randomUUID();
        for (String token : List.of(parties.strangerToken, otherPatient.token())) {
            assertThat(api.post(
                                    BASE + "/" + appointment + "/messages",
                                    Map.of(
                                            "messageId",
                                            intruding,
                                            "envelope",
                                            message(key, appointment, intruding, "{}")),
                                    token)
                            .status())
                    .isEqualTo(404);
        }
        for (String token : List.of(parties.staffToken, parties.adminToken)) {
            assertThat(api.post(
                                    BASE + "/" + appointment + "/messages",
                                    Map.of(
                                            "messageId",
                                            intruding,
                                            "envelope",
                                            message(key, appointment, intruding, "{}")),
                                    token)
                            .status())
                    .isEqualTo(403);
        }
        assertThat(jdbc.sql("SELECT COUNT(*) FROM consultation_messages WHERE id = ?")
                        .param(intruding)
                        .query(Integer.class)
                        .single())
                .isZero();
        // Each refusal is on the patient's access log; each allowed read and write too.
        assertThat(jdbc.sql("SELECT actor_role FROM audit_log WHERE patient_id = ? AND outcome = 'DENIED'"
                                + " AND resource IN ('consultation-message', 'consultation-document')")
                        .param(parties.patient.account())
                        .query(String.class)
                        .list())
                .contains("STAFF", "PRACTITIONER", "ESTABLISHMENT_ADMIN", "PATIENT");
        assertThat(jdbc.sql("SELECT action FROM audit_log WHERE patient_id = ? AND outcome = 'ALLOWED'"
                                + " AND resource IN ('consultation-message', 'consultation-document')")
                        .param(parties.patient.account())
                        .query(String.class)
                        .list())
                .contains("CREATE");
    }

    @Test
    void thereIsNoExchangeBeforeTheKeyIsSetUp() {
        UUID id = UUID.randomUUID();
        OctetSequenceKey key = JoseClient.newConsultationKey(appointment);
        assertThat(api.post(
                                BASE + "/" + appointment + "/messages",
                                Map.of("messageId", id, "envelope", message(key, appointment, id, "{}")),
                                parties.patient.token())
                        .status())
                .isEqualTo(404);
        assertThat(api.get(BASE + "/" + appointment + "/messages", parties.patient.token())
                        .status())
                .isEqualTo(404);
    }

    private List<String> kinds(Recipient recipient, Actor.Person reader) {
        return inbox.list(recipient, reader).stream().map(InboxMessage::kind).toList();
    }

    private static Map<String, Object> message(OctetSequenceKey key, UUID appointment, UUID id, String json) {
        return JoseClient.sealItem(
                key,
                appointment,
                Bindings.MESSAGE_KIND,
                Bindings.MESSAGE_CONTENT_TYPE,
                id.toString(),
                json.getBytes(StandardCharsets.UTF_8));
    }

    private String open(JsonNode served, OctetSequenceKey key) throws Exception {
        return new String(
                JoseClient.openItem(
                        served.get("envelope"),
                        key,
                        appointment,
                        Bindings.MESSAGE_KIND,
                        Bindings.MESSAGE_CONTENT_TYPE,
                        served.get("messageId").asString()),
                StandardCharsets.UTF_8);
    }

    private Api.Response createDocument(
            OctetSequenceKey key, UUID appointmentId, UUID document, int size, String descriptorJson, String token) {
        return api.post(
                BASE + "/" + appointmentId + "/documents",
                Map.of(
                        "documentId",
                        document,
                        "size",
                        size,
                        "descriptor",
                        JoseClient.sealItem(
                                key,
                                appointmentId,
                                Bindings.DOCUMENT_KIND,
                                Bindings.DOCUMENT_CONTENT_TYPE,
                                document.toString(),
                                descriptorJson.getBytes(StandardCharsets.UTF_8))),
                token);
    }

    private static Map<String, Object> chunk(
            OctetSequenceKey key, UUID appointment, UUID document, int index, byte[] bytes) {
        return JoseClient.sealItem(
                key,
                appointment,
                Bindings.CHUNK_KIND,
                Bindings.CHUNK_CONTENT_TYPE,
                Bindings.chunkItem(document, index),
                bytes);
    }

    private Api.Response putChunk(
            OctetSequenceKey key, UUID appointmentId, UUID document, int index, byte[] bytes, String token) {
        return api.put(
                BASE + "/" + appointmentId + "/documents/" + document + "/chunks/" + index,
                chunk(key, appointmentId, document, index, bytes),
                token);
    }

    private byte[] download(OctetSequenceKey key, UUID appointmentId, UUID document, int chunks) throws Exception {
        List<byte[]> parts = new ArrayList<>();
        int total = 0;
        for (int index = 0; index < chunks; index++) {
            JsonNode served = api.get(
                            BASE + "/" + appointmentId + "/documents/" + document + "/chunks/" + index,
                            parties.patient.token())
                    .body();
            byte[] part = openChunk(served, key, appointmentId, document, index);
            parts.add(part);
            total += part.length;
        }
        byte[] whole = new byte[total];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, whole, at, part.length);
            at += part.length;
        }
        return whole;
    }

    private static byte[] openChunk(JsonNode served, OctetSequenceKey key, UUID appointment, UUID document, int index)
            throws Exception {
        return JoseClient.openItem(
                served,
                key,
                appointment,
                Bindings.CHUNK_KIND,
                Bindings.CHUNK_CONTENT_TYPE,
                Bindings.chunkItem(document, index));
    }

    private static byte[] chunkOf(byte[] content, int index) {
        return Arrays.copyOfRange(content, index * MIB, Math.min(content.length, (index + 1) * MIB));
    }

    /** A synthetic "PDF" whose text holds the canary once per 64 KiB, the rest random. */
    private static byte[] aPdf(String canary, int size) {
        byte[] pdf = new byte[size];
        new Random(42).nextBytes(pdf);
        byte[] header = "%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(header, 0, pdf, 0, header.length);
        byte[] words = (" " + canary + " ").getBytes(StandardCharsets.UTF_8);
        for (int at = 64; at + words.length < size; at += 64 * 1024) {
            System.arraycopy(words, 0, pdf, at, words.length);
        }
        return pdf;
    }

    private static String manifest(
            UUID appointment, UUID document, String kind, String name, byte[] content, UUID issuer) {
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("v", 1);
        manifest.put("consultation", appointment.toString());
        manifest.put("document", document.toString());
        manifest.put("kind", kind);
        manifest.put("name", name);
        manifest.put("mediaType", "application/pdf");
        manifest.put("size", content.length);
        manifest.put(
                "sha256",
                com.nimbusds.jose.util.Base64URL.encode(JoseClient.sha256(content))
                        .toString());
        manifest.put("issuer", "practitioner:" + issuer);
        manifest.put("issuedAt", "2026-12-03T10:00:00Z");
        return com.nimbusds.jose.util.JSONObjectUtils.toJSONString(manifest);
    }

    private static String descriptor(String manifestJson, String jws) {
        Map<String, Object> descriptor = new LinkedHashMap<>(JoseClient.json(manifestJson));
        if (jws != null) {
            descriptor.put("signature", jws);
        }
        return com.nimbusds.jose.util.JSONObjectUtils.toJSONString(descriptor);
    }

    private static String flipped(String base64url) {
        byte[] bytes = JoseClient.b64(base64url);
        bytes[0] ^= 1;
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
