package org.carnet.teleconsultation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.sql.Connection;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.carnet.crypto.KeyProvider;
import org.carnet.crypto.TestSigningKeys;
import org.carnet.directory.Directory;
import org.carnet.identity.Logins;
import org.carnet.scheduling.Agendas;
import org.carnet.shared.Role;
import org.carnet.support.Api;
import org.carnet.support.Canaries;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.carnet.support.Professionals;
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

/**
 * A teleconsultation's questionnaire from the patient's client to the practitioner's, with
 * nimbus-jose-jwt as a client: the server stores and serves wraps and ciphertext only, refuses envelopes
 * bound elsewhere, serves no key to staff or another establishment, and its key directory shows a
 * substituted key.
 */
@CarnetIntegrationTest
@ExtendWith(OutputCaptureExtension.class)
@DirtiesContext // its professional logins must not reach tests that count the demo ones
class TeleconsultationE2eIntegrationTest {

    private static final String BASE = "/api/v1/teleconsultations";

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
    KeyProvider keys;

    Api api;
    Fixtures.Agenda agenda;
    Fixtures.Agenda elsewhere;
    Fixtures.Patient patient;
    String practitionerToken;
    String adminToken;
    String staffToken;
    String strangerToken;
    JoseClient.Keys patientKeys;
    JoseClient.Keys practitionerKeys;
    JoseClient.Keys establishmentKeys;
    PublicKey server;
    UUID appointment;
    List<String> slots;

    @BeforeEach
    void aBookedTeleconsultationWhoseThreeRecipientsPublishedKeys() {
        api = new Api(port);
        Fixtures fixtures = new Fixtures(directory, agendas);
        Professionals professionals = new Professionals(logins, transactions);
        agenda = fixtures.aPractitionerWithSlots();
        elsewhere = fixtures.aPractitionerWithSlots();
        practitionerToken = api.token(professionals.practitioner(
                agenda.practitioner().id(), agenda.establishment().id()));
        adminToken = api.token(professionals.staff(
                Role.ESTABLISHMENT_ADMIN, agenda.establishment().id()));
        staffToken =
                api.token(professionals.staff(Role.STAFF, agenda.establishment().id()));
        strangerToken = api.token(professionals.practitioner(
                elsewhere.practitioner().id(), elsewhere.establishment().id()));
        patient = Fixtures.aPatient(api);
        slots = Fixtures.freeSlotIdsFromTomorrow(api, agenda);
        appointment = Fixtures.book(api, patient, agenda, slots.get(0));

        patientKeys = JoseClient.Keys.generate();
        practitionerKeys = JoseClient.Keys.generate();
        establishmentKeys = JoseClient.Keys.generate();
        assertThat(api.post(BASE + "/keys/me", patientKeys.publication(), patient.token())
                        .status())
                .isEqualTo(200);
        assertThat(api.post(BASE + "/keys/me", practitionerKeys.publication(), practitionerToken)
                        .status())
                .isEqualTo(200);
        assertThat(api.post(BASE + "/keys/establishment", establishmentKeys.publication(), adminToken)
                        .status())
                .isEqualTo(200);
        server = JoseClient.serverKey(
                api.get(BASE + "/key-directory/signing-key", null).body());

        // The practitioner's form, attached to their teleconsultation motive.
        Api.Response form = api.post(BASE + "/questionnaires", aQuestionnaire(), practitionerToken);
        assertThat(form.status()).isEqualTo(201);
        String formId = form.body().get("id").asString();
        assertThat(api.post(
                                BASE + "/questionnaires/" + formId + "/motives/"
                                        + agenda.motive().id(),
                                Map.of(),
                                practitionerToken)
                        .status())
                .isEqualTo(204);
    }

    @Test
    void carnetsDirectorySigningKeysAreServedByTheIdAnEntryNames() {
        JsonNode before = api.get(BASE + "/key-directory/signing-key", null).body();
        String older = before.get("keyId").asString();

        // keys rotate-signing: new entries are signed by the next key pair, the older entries keep their key id.
        String newer = TestSigningKeys.rotate(keys);
        JsonNode current = api.get(BASE + "/key-directory/signing-key", null).body();
        Api.Response olderServed = api.get(BASE + "/key-directory/signing-key?keyId=" + older, null);

        assertThat(current.get("keyId").asString()).isEqualTo(newer).isNotEqualTo(older);
        assertThat(olderServed.status()).isEqualTo(200);
        assertThat(olderServed.body().get("keyId").asString()).isEqualTo(older);
        assertThat(olderServed.body().get("x").asString())
                .isEqualTo(before.get("x").asString())
                .isNotEqualTo(current.get("x").asString());
        assertThat(JoseClient.serverKey(olderServed.body()).getEncoded()).isEqualTo(server.getEncoded());
        assertThat(api.get(BASE + "/key-directory/signing-key?keyId=" + newer, null)
                        .body()
                        .get("x")
                        .asString())
                .isEqualTo(current.get("x").asString());
        assertThat(api.get(BASE + "/key-directory/signing-key?keyId=audit-checkpoint-999", null)
                        .status())
                .isEqualTo(404);
    }

    @Test
    void theAnswersGoFromThePatientsClientToThePractitionersAndTheServerKeepsNoPlaintext(CapturedOutput output)
            throws Exception {
        String canary = "CANARY-" + UUID.randomUUID();

        OctetSequenceKey key = setUpKey(appointment);
        JsonNode overview = api.get(BASE + "/" + appointment, patient.token()).body();
        assertThat(overview.get("keySetUp").asBoolean()).isTrue();
        JsonNode form = overview.get("questionnaires").get(0);
        assertThat(form.get("questions").valueStream().map(q -> q.get("type").asString()))
                .containsExactly("FREE_TEXT", "YES_NO", "SINGLE_CHOICE", "MULTIPLE_CHOICE", "NUMBER", "DATE");

        UUID item = UUID.randomUUID();
        String answers =
                "{\"v\":1,\"forms\":[{\"questionnaire\":\"" + form.get("id").asString()
                        + "\",\"answers\":{\"symptoms\":\"" + canary + "\",\"fever\":true,\"since\":\"days\","
                        + "\"where\":[\"head\"],\"temperature\":38.5,\"started\":\"2026-11-30\"}}]}";
        Api.Response submitted = api.post(
                BASE + "/" + appointment + "/answers",
                Map.of("itemId", item, "envelope", JoseClient.seal(key, appointment, item, answers)),
                patient.token());
        assertThat(submitted.status()).isEqualTo(201);
        assertThat(api.post(
                                BASE + "/" + appointment + "/answers",
                                Map.of("itemId", item, "envelope", JoseClient.seal(key, appointment, item, answers)),
                                patient.token())
                        .status())
                .as("answers are written once")
                .isEqualTo(409);

        // The practitioner's client: their wrap, opened with their private key, opens the answers.
        JsonNode mine = api.get(BASE + "/" + appointment + "/keys/mine", practitionerToken)
                .body();
        assertThat(mine.get("recipient").asString()).isEqualTo("practitioner");
        OctetSequenceKey opened = JoseClient.unwrap(
                mine.get("envelope"),
                practitionerKeys.encryption(),
                appointment,
                "practitioner:" + agenda.practitioner().id());
        JsonNode served = api.get(BASE + "/" + appointment + "/answers", practitionerToken)
                .body();
        assertThat(JoseClient.open(served.get("envelope"), opened, appointment, item))
                .isEqualTo(answers);
        // The establishment's wrap opens with the establishment's key; the patient's with theirs.
        JsonNode establishment = api.get(BASE + "/" + appointment + "/keys/establishment", practitionerToken)
                .body();
        assertThat(JoseClient.unwrap(
                                establishment.get("envelope"),
                                establishmentKeys.encryption(),
                                appointment,
                                "establishment:" + agenda.establishment().id())
                        .toByteArray())
                .isEqualTo(key.toByteArray());
        JsonNode patientsOwn = api.get(BASE + "/" + appointment + "/keys/mine", patient.token())
                .body();
        assertThat(JoseClient.unwrap(
                                patientsOwn.get("envelope"),
                                patientKeys.encryption(),
                                appointment,
                                "patient:" + patient.account())
                        .toByteArray())
                .isEqualTo(key.toByteArray());

        // Nothing the server keeps or logs holds the answer, in clear or in base64.
        String dump = databaseDump();
        for (String form2 : spellings(canary)) {
            // Booleans: a failure must not print the dump or the logs.
            assertThat(dump.contains(form2)).as("the database holds the answer").isFalse();
            assertThat(output.getAll().contains(form2))
                    .as("the logs hold the answer")
                    .isFalse();
        }
        assertThat(dump.contains(appointment.toString())).as("the dump is real").isTrue();
    }

    @Test
    void aCiphertextMovedToAnotherConsultationOrItemIsRefusedByTheServerAndByTheClient() throws Exception {
        OctetSequenceKey key = setUpKey(appointment);
        UUID other = Fixtures.book(api, patient, agenda, slots.get(1));
        OctetSequenceKey otherKey = setUpKey(other);
        UUID item = UUID.randomUUID();
        String answers = "{\"v\":1,\"forms\":[]}";
        Map<String, Object> sealed = JoseClient.seal(key, appointment, item, answers);

        // The server's shape check: bound to another consultation, or another item, is a 422.
        assertThat(api.post(
                                BASE + "/" + other + "/answers",
                                Map.of("itemId", item, "envelope", sealed),
                                patient.token())
                        .status())
                .isEqualTo(422);
        assertThat(api.post(
                                BASE + "/" + appointment + "/answers",
                                Map.of("itemId", UUID.randomUUID(), "envelope", sealed),
                                patient.token())
                        .status())
                .isEqualTo(422);
        // A wrap to the patient offered as the practitioner's is refused too (its item and kid are the patient's).
        Map<String, Object> patientWrap = JoseClient.wrap(
                JoseClient.newConsultationKey(appointment),
                appointment,
                "patient:" + patient.account(),
                currentEncryptionJwk("patient", patient.account(), patient.token()));
        assertThat(api.post(
                                BASE + "/" + Fixtures.book(api, patient, agenda, slots.get(2)) + "/keys",
                                Map.of(
                                        "patient",
                                        patientWrap,
                                        "practitioner",
                                        patientWrap,
                                        "establishment",
                                        patientWrap),
                                patient.token())
                        .status())
                .isEqualTo(422);

        // The client: an envelope served for another item or consultation than the one asked for is refused,
        // whatever key it holds.
        JsonNode asServed =
                tools.jackson.databind.json.JsonMapper.builder().build().valueToTree(sealed);
        assertThatThrownBy(() -> JoseClient.open(asServed, key, appointment, UUID.randomUUID()))
                .isInstanceOf(JOSEException.class);
        assertThatThrownBy(() -> JoseClient.open(asServed, otherKey, other, item))
                .isInstanceOf(JOSEException.class);
        // A server that rewrites the binding in the header to pass its own check breaks the tag: the
        // protected header is the ciphertext's associated data.
        Map<String, Object> rebound = new LinkedHashMap<>(sealed);
        Map<String, Object> header = JoseClient.json(
                new String(Base64.getUrlDecoder().decode((String) sealed.get("protected")), StandardCharsets.UTF_8));
        header.put("carnet", JoseClient.binding(other, Bindings.ANSWERS_KIND, item.toString()));
        header.put("kid", Bindings.consultationKeyId(other));
        rebound.put(
                "protected",
                Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(com.nimbusds.jose.util.JSONObjectUtils.toJSONString(header)
                                .getBytes(StandardCharsets.UTF_8)));
        assertThat(api.post(
                                BASE + "/" + other + "/answers",
                                Map.of("itemId", item, "envelope", rebound),
                                patient.token())
                        .status())
                .as("well-formed and bound here: the server cannot tell")
                .isEqualTo(201);
        JsonNode stored =
                api.get(BASE + "/" + other + "/answers", practitionerToken).body();
        assertThatThrownBy(() -> JoseClient.open(stored.get("envelope"), otherKey, other, item))
                .isInstanceOf(JOSEException.class);
        // Untouched, the original still opens: the refusals above are the binding's, not a broken client.
        assertThat(JoseClient.open(asServed, key, appointment, item)).isEqualTo(answers);
    }

    @Test
    void aRefusalReadsExactlyLikeATeleconsultationThatDoesNotExist() throws Exception {
        OctetSequenceKey key = setUpKey(appointment);
        UUID item = UUID.randomUUID();
        assertThat(api.post(
                                BASE + "/" + appointment + "/answers",
                                Map.of("itemId", item, "envelope", JoseClient.seal(key, appointment, item, "{}")),
                                patient.token())
                        .status())
                .isEqualTo(201);
        String otherPatient = Fixtures.aPatient(api).token();
        UUID nothing = UUID.randomUUID();

        for (String token : List.of(staffToken, strangerToken, adminToken, otherPatient)) {
            for (String path : List.of("", "/keys/mine", "/keys/establishment", "/answers")) {
                Api.Response refused = api.get(BASE + "/" + appointment + path, token);
                Api.Response missing = api.get(BASE + "/" + nothing + path, token);
                assertThat(refused.status()).as(path).isEqualTo(404);
                assertThat(missing.status()).as(path).isEqualTo(404);
                assertThat(refused.body().path("detail").asString(""))
                        .as("the answer to %s for a teleconsultation that exists but is not the caller's", path)
                        .isEqualTo(missing.body().path("detail").asString(""));
                assertThat(refused.body().path("title").asString(""))
                        .isEqualTo(missing.body().path("title").asString(""));
            }
        }
    }

    @Test
    void staffAndAnotherEstablishmentsPractitionerGetNoKeyNorAnswersAndTheirAttemptsAreRecorded() throws Exception {
        OctetSequenceKey key = setUpKey(appointment);
        UUID item = UUID.randomUUID();
        assertThat(api.post(
                                BASE + "/" + appointment + "/answers",
                                Map.of("itemId", item, "envelope", JoseClient.seal(key, appointment, item, "{}")),
                                patient.token())
                        .status())
                .isEqualTo(201);

        for (String token : List.of(staffToken, strangerToken, adminToken)) {
            assertThat(api.get(BASE + "/" + appointment + "/keys/mine", token).status())
                    .isEqualTo(404);
            assertThat(api.get(BASE + "/" + appointment + "/keys/establishment", token)
                            .status())
                    .isEqualTo(404);
            assertThat(api.get(BASE + "/" + appointment + "/answers", token).status())
                    .isEqualTo(404);
            assertThat(api.get(BASE + "/" + appointment, token).status()).isEqualTo(404);
        }
        // Another patient gets nothing either, and cannot write.
        Fixtures.Patient other = Fixtures.aPatient(api);
        assertThat(api.get(BASE + "/" + appointment + "/keys/mine", other.token())
                        .status())
                .isEqualTo(404);
        assertThat(api.get(BASE + "/" + appointment + "/answers", other.token()).status())
                .isEqualTo(404);
        // Only the three recipients hold a wrap.
        assertThat(jdbc.sql("SELECT recipient_kind || ':' || CAST(recipient_id AS VARCHAR(36)) FROM consultation_keys"
                                + " WHERE appointment_id = ? ORDER BY recipient_kind")
                        .param(appointment)
                        .query(String.class)
                        .list())
                .containsExactly(
                        "ESTABLISHMENT:" + agenda.establishment().id(),
                        "PATIENT:" + patient.account(),
                        "PRACTITIONER:" + agenda.practitioner().id());
        // Each refusal is on the patient's access log.
        assertThat(jdbc.sql("SELECT actor_role FROM audit_log WHERE patient_id = ? AND outcome = 'DENIED'"
                                + " AND resource IN ('consultation-key', 'questionnaire-answers')")
                        .param(patient.account())
                        .query(String.class)
                        .list())
                .contains("STAFF", "PRACTITIONER", "ESTABLISHMENT_ADMIN");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE patient_id = ? AND outcome = 'ALLOWED'"
                                + " AND resource = 'consultation-key' AND action = 'CREATE'")
                        .param(patient.account())
                        .query(Integer.class)
                        .single())
                .isEqualTo(1);
    }

    @Test
    void theKeyDirectoryShowsASubstitutedKeyAndItsChainVerifies() throws Exception {
        UUID practitioner = agenda.practitioner().id();
        // The patient's client pins the practitioner's first entry.
        JsonNode pinned = api.get(BASE + "/keys/practitioner/" + practitioner, patient.token())
                .body();
        assertThat(pinned.get("version").asInt()).isEqualTo(1);
        assertThat(JoseClient.verifies(pinned, new byte[32], server)).isTrue();

        // The key changes: a new entry, never a replacement.
        JoseClient.Keys replaced = JoseClient.Keys.generate();
        assertThat(api.post(BASE + "/keys/me", replaced.publication(), practitionerToken)
                        .status())
                .isEqualTo(200);
        JsonNode current = api.get(BASE + "/keys/practitioner/" + practitioner, patient.token())
                .body();
        assertThat(current.get("version").asInt()).isEqualTo(2);
        assertThat(current.get("encryptionKid").asString())
                .as("the pinning client sees the change")
                .isNotEqualTo(pinned.get("encryptionKid").asString())
                .isEqualTo(replaced.encryptionKid());
        List<JsonNode> history = api.get(
                        BASE + "/keys/practitioner/" + practitioner + "/history?from=1", patient.token())
                .body()
                .valueStream()
                .toList();
        assertThat(history).hasSize(2);
        assertThat(history.get(0).get("entryHash").asString())
                .isEqualTo(pinned.get("entryHash").asString());
        assertThat(JoseClient.verifies(history.get(0), new byte[32], server)).isTrue();
        assertThat(JoseClient.verifies(
                        history.get(1), JoseClient.b64(pinned.get("entryHash").asString()), server))
                .as("version 2 follows the pinned version 1 and is signed")
                .isTrue();

        // A wrap to the old key is refused once the directory holds a newer one.
        OctetSequenceKey key = JoseClient.newConsultationKey(appointment);
        Map<String, Object> stale = JoseClient.wrap(
                key,
                appointment,
                "practitioner:" + practitioner,
                pinned.get("encryptionJwk").asString());
        assertThat(api.post(BASE + "/" + appointment + "/keys", wraps(key, appointment, stale), patient.token())
                        .status())
                .isEqualTo(422);

        // Someone with the database swaps the current key in place: the entry no longer verifies.
        JoseClient.Keys attacker = JoseClient.Keys.generate();
        String attackerJwk = current.get("encryptionJwk")
                .asString()
                .replace(
                        replaced.encryption().getX().toString(),
                        attacker.encryption().getX().toString())
                .replace(
                        replaced.encryption().getY().toString(),
                        attacker.encryption().getY().toString());
        jdbc.sql("UPDATE key_directory_entries SET encryption_jwk = ? WHERE subject_id = ? AND version = 2")
                .param(attackerJwk)
                .param(practitioner)
                .update();
        JsonNode swapped = api.get(BASE + "/keys/practitioner/" + practitioner, patient.token())
                .body();
        assertThat(swapped.get("encryptionJwk").asString()).isEqualTo(attackerJwk);
        assertThat(JoseClient.verifies(
                        swapped, JoseClient.b64(pinned.get("entryHash").asString()), server))
                .as("a substituted key fails the entry's hash and signature")
                .isFalse();
    }

    @Test
    void aPatientsKeysAreTheirsAloneToRead() {
        String path = BASE + "/keys/patient/" + patient.account();
        assertThat(api.get(path, patient.token()).status()).isEqualTo(200);
        assertThat(api.get(path, practitionerToken).status()).isEqualTo(404);
        assertThat(api.get(path + "/history", staffToken).status()).isEqualTo(404);
    }

    /** The patient's client makes the consultation key and uploads it wrapped to the three current keys. */
    private OctetSequenceKey setUpKey(UUID appointmentId) {
        OctetSequenceKey key = JoseClient.newConsultationKey(appointmentId);
        Map<String, Object> practitionerWrap = JoseClient.wrap(
                key,
                appointmentId,
                "practitioner:" + agenda.practitioner().id(),
                currentEncryptionJwk("practitioner", agenda.practitioner().id(), patient.token()));
        Api.Response stored = api.post(
                BASE + "/" + appointmentId + "/keys", wraps(key, appointmentId, practitionerWrap), patient.token());
        assertThat(stored.status()).as(stored.raw()).isEqualTo(201);
        return key;
    }

    private Map<String, Object> wraps(OctetSequenceKey key, UUID appointmentId, Map<String, Object> practitionerWrap) {
        return Map.of(
                "patient",
                JoseClient.wrap(
                        key,
                        appointmentId,
                        "patient:" + patient.account(),
                        currentEncryptionJwk("patient", patient.account(), patient.token())),
                "practitioner",
                practitionerWrap,
                "establishment",
                JoseClient.wrap(
                        key,
                        appointmentId,
                        "establishment:" + agenda.establishment().id(),
                        currentEncryptionJwk(
                                "establishment", agenda.establishment().id(), patient.token())));
    }

    /** A recipient's current encryption key, from the directory, after checking the entry's signature. */
    private String currentEncryptionJwk(String kind, UUID subject, String token) {
        JsonNode entry = api.get(BASE + "/keys/" + kind + "/" + subject, token).body();
        assertThat(JoseClient.verifies(
                        entry, JoseClient.b64(entry.get("prevHash").asString()), server))
                .isTrue();
        return entry.get("encryptionJwk").asString();
    }

    private static Map<String, Object> aQuestionnaire() {
        return Map.of(
                "title",
                "Avant la téléconsultation",
                "questions",
                List.of(
                        Map.of("id", "symptoms", "type", "FREE_TEXT", "label", "Vos symptômes", "required", true),
                        Map.of("id", "fever", "type", "YES_NO", "label", "Fièvre ?", "required", true),
                        Map.of(
                                "id",
                                "since",
                                "type",
                                "SINGLE_CHOICE",
                                "label",
                                "Depuis",
                                "required",
                                false,
                                "options",
                                List.of("hours", "days", "weeks")),
                        Map.of(
                                "id",
                                "where",
                                "type",
                                "MULTIPLE_CHOICE",
                                "label",
                                "Où",
                                "required",
                                false,
                                "options",
                                List.of("head", "chest")),
                        Map.of("id", "temperature", "type", "NUMBER", "label", "Température", "required", false),
                        Map.of("id", "started", "type", "DATE", "label", "Début", "required", false)));
    }

    /** The canary in clear and in base64 (standard and URL alphabets) at each of the three alignments. */
    private static List<String> spellings(String canary) {
        return Canaries.spellings(canary);
    }

    /** Every text and byte value of every table, as a dump would hold it. */
    private String databaseDump() throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            assertThat(Canaries.tables(connection))
                    .contains("questionnaire_responses", "consultation_keys", "audit_log");
        }
        return Canaries.databaseDump(dataSource);
    }
}
