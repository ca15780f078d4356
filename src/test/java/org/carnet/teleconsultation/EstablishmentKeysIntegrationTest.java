package org.carnet.teleconsultation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDHDecrypter;
import com.nimbusds.jose.crypto.ECDHEncrypter;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.carnet.directory.Departures;
import org.carnet.directory.Directory;
import org.carnet.identity.Logins;
import org.carnet.scheduling.Agendas;
import org.carnet.support.Api;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.carnet.support.Professionals;
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
 * The establishment key (docs/e2e.md, "The establishment key"), with nimbus-jose-jwt as every client: the
 * administrator's client makes it and wraps it under the offline recovery code and to the practitioners; a
 * colleague opens a consultation's establishment wrap with it (continuity of care); and, reading the stored
 * rows directly (the server's access check bypassed), staff, the administrator and another establishment's
 * practitioner hold nothing that opens a consultation key, and a departed practitioner's keys open nothing
 * of a consultation set up after their departure while a remaining practitioner still opens the old ones.
 */
@CarnetIntegrationTest
@DirtiesContext // its professional logins must not reach tests that count the demo ones
class EstablishmentKeysIntegrationTest {

    private static final String BASE = "/api/v1/teleconsultations";
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
    Departures departures;

    ConsultationParties parties;
    Api api;
    Fixtures.Agenda colleague;
    String colleagueToken;
    final JoseClient.Keys colleagueKeys = JoseClient.Keys.generate();
    final String code = AccountKeyClient.newRecoveryCode();
    UUID establishment;

    @BeforeEach
    void anEstablishmentWithTwoPractitionersAndAPatientOfBoth() {
        parties = new ConsultationParties(port, directory, agendas, logins, transactions);
        api = parties.api;
        establishment = parties.agenda.establishment().id();
        colleague = new Fixtures(directory, agendas).aColleagueWithSlots(parties.agenda);
        colleagueToken = api.token(new Professionals(logins, transactions)
                .practitioner(colleague.practitioner().id(), establishment));
        assertThat(api.post(BASE + "/keys/me", colleagueKeys.publication(), colleagueToken)
                        .status())
                .isEqualTo(200);
        // The colleague is in care of the patient too: an appointment with them.
        Fixtures.book(
                api,
                parties.patient,
                colleague,
                Fixtures.freeSlotIdsFromTomorrow(api, colleague).get(0));
    }

    @Test
    void aColleagueOpensAConsultationThroughTheEstablishmentKeyAndNobodyElseHoldsAnythingThatOpensIt()
            throws Exception {
        JoseClient.Keys v1 = JoseClient.Keys.generate();
        Api.Response made = setUp(
                v1,
                List.of(
                        parties.agenda.practitioner().id(),
                        colleague.practitioner().id()));
        assertThat(made.status()).as(made.raw()).isEqualTo(201);
        int version = made.body().get("entry").get("version").asInt();
        UUID appointment = parties.book(0);
        OctetSequenceKey consultationKey = parties.setUpKey(appointment);

        // The colleague: their wrap of the establishment key, opened with their account key, opens the
        // establishment's wrap of the consultation key.
        ECKey opened = openMine(colleagueToken, colleague.practitioner().id(), colleagueKeys, version);
        JsonNode wrap = api.get(BASE + "/" + appointment + "/keys/establishment", colleagueToken)
                .body()
                .get("envelope");
        assertThat(JoseClient.unwrap(wrap, opened, appointment, "establishment:" + establishment)
                        .toJSONObject())
                .isEqualTo(consultationKey.toJSONObject());

        // The offline recovery code opens every version; a wrong code none.
        JsonNode recovery = api.get(BASE + "/keys/establishment/recovery", parties.adminToken)
                .body()
                .get(0)
                .get("envelope");
        assertThat(AccountKeyClient.openWithCode(recovery, account(), code)).containsKey("encryption");
        assertThatThrownBy(() -> AccountKeyClient.openWithCode(recovery, account(), AccountKeyClient.newRecoveryCode()))
                .isInstanceOf(JOSEException.class);

        // With the server's check bypassed: every stored envelope that can open a consultation key (the
        // consultation's wraps, the establishment key's wraps, the account keys' wraps) is tried with every
        // key the stranger (another establishment's practitioner) holds. Staff and the administrator hold no
        // key at all (neither publishes one: 403), and no row is addressed to them.
        ECKey strangerKey = JoseClient.Keys.generate().encryption();
        assertThat(api.post(
                                BASE + "/keys/me",
                                Map.of(
                                        "encryptionKey",
                                        strangerKey.toPublicJWK().toJSONObject(),
                                        "signingKey",
                                        JoseClient.Keys.generate()
                                                .signing()
                                                .toPublicJWK()
                                                .toJSONObject()),
                                parties.strangerToken)
                        .status())
                .isEqualTo(200);
        assertThat(api.post(BASE + "/keys/me", parties.establishmentKeys.publication(), parties.staffToken)
                        .status())
                .isEqualTo(403);
        List<JsonNode> stored = storedWraps();
        assertThat(stored).hasSizeGreaterThanOrEqualTo(6);
        for (JsonNode envelope : stored) {
            assertThat(opens(envelope, strangerKey)).isFalse();
        }
        assertThat(recipientsOfStoredWraps())
                .noneMatch(r -> r.endsWith(parties.elsewhere.practitioner().id().toString()))
                .allMatch(r -> r.startsWith("ESTABLISHMENT:")
                        || r.startsWith("PATIENT:")
                        || r.startsWith(
                                "PRACTITIONER:" + parties.agenda.practitioner().id())
                        || r.startsWith(
                                "PRACTITIONER:" + colleague.practitioner().id())
                        || r.startsWith("RECOVERY:"));
        // Through the API, staff, the administrator and the stranger get nothing either.
        assertThat(api.get(BASE + "/" + appointment + "/keys/establishment", parties.staffToken)
                        .status())
                .isEqualTo(404);
        assertThat(api.get(BASE + "/" + appointment + "/keys/establishment", parties.adminToken)
                        .status())
                .isEqualTo(404);
        assertThat(api.get(BASE + "/" + appointment + "/keys/establishment", parties.strangerToken)
                        .status())
                .isEqualTo(404);
        assertThat(api.get(BASE + "/keys/establishment/mine", parties.adminToken)
                        .status())
                .isEqualTo(403);
        assertThat(api.get(BASE + "/keys/establishment/mine", parties.staffToken)
                        .status())
                .isEqualTo(403);
        assertThat(api.get(BASE + "/keys/establishment/mine", parties.strangerToken)
                        .body())
                .isEmpty();
        assertThat(api.get(BASE + "/keys/establishment/recovery", parties.practitionerToken)
                        .status())
                .isEqualTo(403);
    }

    @Test
    void aDepartedPractitionerIsWrappedNothingNewAndTheEstablishmentStillReadsTheOldConsultations() throws Exception {
        UUID stays = parties.agenda.practitioner().id();
        UUID leaves = colleague.practitioner().id();
        JoseClient.Keys v1 = JoseClient.Keys.generate();
        int first = setUp(v1, List.of(stays, leaves))
                .body()
                .get("entry")
                .get("version")
                .asInt();
        UUID before = parties.book(0);
        OctetSequenceKey beforeKey = parties.setUpKey(before);
        ECKey leaverCopy = openMine(colleagueToken, leaves, colleagueKeys, first);

        departures.record(establishment, leaves, Instant.now(), parties.practitionerLogin.userId());

        // Nothing more is served to them, and the refusal of the consultation's wrap is on the patient's log.
        assertThat(api.get(BASE + "/keys/establishment/mine", colleagueToken).status())
                .isEqualTo(404);
        assertThat(api.get(BASE + "/" + before + "/keys/establishment", colleagueToken)
                        .status())
                .isEqualTo(404);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE patient_id = ? AND outcome = 'DENIED'"
                                + " AND resource = 'consultation-key' AND actor_role = 'PRACTITIONER'")
                        .param(parties.patient.account())
                        .query(Integer.class)
                        .single())
                .isPositive();
        // Nothing more is wrapped to them: neither the establishment key, nor a consultation of theirs.
        JsonNode status =
                api.get(BASE + "/keys/establishment/status", parties.adminToken).body();
        assertThat(status.get("rotationDue").asBoolean()).isTrue();
        Api.Response refused = api.post(
                BASE + "/keys/establishment/wraps",
                Map.of("wraps", List.of(practitionerWrap(v1, first, leaves, colleagueKeys.encryption()))),
                parties.adminToken);
        assertThat(refused.status()).as(refused.raw()).isEqualTo(422);
        UUID withTheLeaver = Fixtures.book(
                api,
                parties.patient,
                colleague,
                Fixtures.freeSlotIdsFromTomorrow(api, colleague).get(1));
        OctetSequenceKey refusedKey = JoseClient.newConsultationKey(withTheLeaver);
        Api.Response noKey = api.post(
                BASE + "/" + withTheLeaver + "/keys",
                Map.of(
                        "patient", wrapTo(refusedKey, withTheLeaver, "patient", parties.patient.account()),
                        "practitioner", wrapTo(refusedKey, withTheLeaver, "practitioner", leaves),
                        "establishment", wrapTo(refusedKey, withTheLeaver, "establishment", establishment)),
                parties.patient.token());
        assertThat(noKey.status()).as(noKey.raw()).isEqualTo(409);
        assertThat(rows("consultation_keys", withTheLeaver)).isZero();

        // The administrator's next visit: a new version, wrapped to the one who stays, under the same code.
        JoseClient.Keys v2 = JoseClient.Keys.generate();
        Api.Response rotated = setUp(v2, List.of(stays));
        assertThat(rotated.status()).as(rotated.raw()).isEqualTo(201);
        int second = rotated.body().get("entry").get("version").asInt();
        assertThat(api.post(
                                BASE + "/keys/establishment/versions",
                                setUpBody(JoseClient.Keys.generate(), List.of(leaves)),
                                parties.adminToken)
                        .status())
                .isEqualTo(422);
        UUID after = parties.book(2);
        OctetSequenceKey afterKey = parties.setUpKey(after);

        // With the server's check bypassed: the leaver's account key and their copy of the old establishment
        // key open nothing of the new consultation.
        for (JsonNode envelope : consultationWraps(after)) {
            assertThat(opens(envelope, leaverCopy)).isFalse();
            assertThat(opens(envelope, colleagueKeys.encryption())).isFalse();
        }
        for (JsonNode envelope : establishmentWraps(second)) {
            assertThat(opens(envelope, colleagueKeys.encryption())).isFalse();
        }
        // The one who stays opens both versions, and with them the old consultation and the new one.
        ECKey oldKey = openMine(parties.practitionerToken, stays, parties.practitionerKeys, first);
        ECKey newKey = openMine(parties.practitionerToken, stays, parties.practitionerKeys, second);
        assertThat(JoseClient.unwrap(establishmentWrapOf(before), oldKey, before, "establishment:" + establishment)
                        .toJSONObject())
                .isEqualTo(beforeKey.toJSONObject());
        assertThat(JoseClient.unwrap(establishmentWrapOf(after), newKey, after, "establishment:" + establishment)
                        .toJSONObject())
                .isEqualTo(afterKey.toJSONObject());
    }

    @Test
    void aWrapToAKeyThatIsNotThePractitionersCurrentOneIsRefused() {
        JoseClient.Keys v1 = JoseClient.Keys.generate();
        int version = setUp(v1, List.of()).body().get("entry").get("version").asInt();
        UUID colleagueId = colleague.practitioner().id();
        // A key the directory never published for the colleague (the server's own, say).
        Api.Response substituted = api.post(
                BASE + "/keys/establishment/wraps",
                Map.of(
                        "wraps",
                        List.of(practitionerWrap(
                                v1,
                                version,
                                colleagueId,
                                JoseClient.Keys.generate().encryption()))),
                parties.adminToken);
        assertThat(substituted.status()).as(substituted.raw()).isEqualTo(422);
        // Bound to another practitioner than the one it is stored for.
        Api.Response moved = api.post(
                BASE + "/keys/establishment/wraps",
                Map.of(
                        "wraps",
                        List.of(Map.of(
                                "keyVersion",
                                version,
                                "practitionerId",
                                colleagueId.toString(),
                                "envelope",
                                toPractitioner(
                                        payload(v1),
                                        parties.agenda.practitioner().id(),
                                        colleagueKeys.encryption())))),
                parties.adminToken);
        assertThat(moved.status()).as(moved.raw()).isEqualTo(422);
        assertThat(api.post(
                                BASE + "/keys/establishment/wraps",
                                Map.of(
                                        "wraps",
                                        List.of(practitionerWrap(
                                                v1, version, colleagueId, colleagueKeys.encryption()))),
                                parties.practitionerToken)
                        .status())
                .isEqualTo(403);
        Api.Response wrapped = api.post(
                BASE + "/keys/establishment/wraps",
                Map.of("wraps", List.of(practitionerWrap(v1, version, colleagueId, colleagueKeys.encryption()))),
                parties.adminToken);
        assertThat(wrapped.status()).as(wrapped.raw()).isEqualTo(200);
        JsonNode status =
                api.get(BASE + "/keys/establishment/status", parties.adminToken).body();
        assertThat(status.get("rotationDue").asBoolean()).isFalse();
        assertThat(status.get("recoveryVersions").get(0).asInt()).isEqualTo(version);
    }

    // ---- the administrator's client ------------------------------------------------------------------

    private Api.Response setUp(JoseClient.Keys keys, List<UUID> practitioners) {
        return api.post(BASE + "/keys/establishment/versions", setUpBody(keys, practitioners), parties.adminToken);
    }

    private Map<String, Object> setUpBody(JoseClient.Keys keys, List<UUID> practitioners) {
        int next = parties.currentEntry("establishment", establishment)
                        .get("version")
                        .asInt()
                + 1;
        List<Object> wraps = new ArrayList<>();
        for (UUID practitioner : practitioners) {
            ECKey account = practitioner.equals(colleague.practitioner().id())
                    ? colleagueKeys.encryption()
                    : parties.practitionerKeys.encryption();
            wraps.add(practitionerWrap(keys, next, practitioner, account));
        }
        return Map.of(
                "encryptionKey", keys.encryption().toPublicJWK().toJSONObject(),
                "signingKey", keys.signing().toPublicJWK().toJSONObject(),
                "recoveryWrap", AccountKeyClient.toCode(payload(keys), account(), code),
                "wraps", wraps);
    }

    private Map<String, Object> practitionerWrap(JoseClient.Keys keys, int version, UUID practitioner, ECKey to) {
        return Map.of(
                "keyVersion", version,
                "practitionerId", practitioner.toString(),
                "envelope", toPractitioner(payload(keys), practitioner, to));
    }

    /** The consultation key wrapped to a recipient's current directory key, as the patient's client does. */
    private Map<String, Object> wrapTo(OctetSequenceKey key, UUID appointment, String kind, UUID recipient) {
        return JoseClient.wrap(
                key,
                appointment,
                kind + ":" + recipient,
                parties.currentEntry(kind, recipient).get("encryptionJwk").asString());
    }

    private static byte[] payload(JoseClient.Keys keys) {
        return AccountKeyClient.payload(keys);
    }

    private String account() {
        return "establishment:" + establishment;
    }

    /** The establishment key wrapped to a practitioner's account encryption key, bound to the establishment and them. */
    private Map<String, Object> toPractitioner(byte[] payload, UUID boundPractitioner, ECKey to) {
        return toPractitioner(payload, establishment, boundPractitioner, to);
    }

    static Map<String, Object> toPractitioner(byte[] payload, UUID establishment, UUID boundPractitioner, ECKey to) {
        try {
            JWEHeader header = new JWEHeader.Builder(JWEAlgorithm.ECDH_ES_A256KW, EncryptionMethod.A256GCM)
                    .keyID(AccountKeyClient.kid(to))
                    .contentType(Bindings.ACCOUNT_KEY_CONTENT_TYPE)
                    .criticalParams(JoseClient.CRITICAL)
                    .customParam(
                            "carnet",
                            AccountKeyClient.binding(
                                    "establishment:" + establishment, "practitioner:" + boundPractitioner))
                    .build();
            JWEObject jwe = new JWEObject(header, new Payload(payload));
            jwe.encrypt(new ECDHEncrypter(to.toECPublicKey()));
            return JoseClient.flattened(jwe);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- a practitioner's client -----------------------------------------------------------------------

    /** The practitioner's wrap of this version, fetched and opened with their account key: the establishment's encryption key. */
    private ECKey openMine(String token, UUID practitioner, JoseClient.Keys accountKeys, int version) throws Exception {
        Api.Response mine = api.get(BASE + "/keys/establishment/mine", token);
        assertThat(mine.status()).as(mine.raw()).isEqualTo(200);
        for (JsonNode wrap : mine.body()) {
            if (wrap.get("keyVersion").asInt() == version) {
                JWEObject jwe = JoseClient.parse(wrap.get("envelope"));
                Map<?, ?> binding = (Map<?, ?>) jwe.getHeader().getCustomParam("carnet");
                assertThat(binding.get("account")).isEqualTo(account());
                assertThat(binding.get("kind")).isEqualTo(Bindings.ACCOUNT_KEY_KIND);
                assertThat(binding.get("item")).isEqualTo("practitioner:" + practitioner);
                jwe.decrypt(new ECDHDecrypter(accountKeys.encryption().toECPrivateKey(), JoseClient.CRITICAL));
                @SuppressWarnings("unchecked")
                Map<String, Object> encryption =
                        (Map<String, Object>) jwe.getPayload().toJSONObject().get("encryption");
                return ECKey.parse(encryption);
            }
        }
        throw new AssertionError("no wrap of version " + version);
    }

    // ---- the stored rows, read directly ------------------------------------------------------------------

    private List<JsonNode> storedWraps() {
        List<JsonNode> all = new ArrayList<>();
        for (String table : List.of("consultation_keys", "establishment_key_wraps", "account_key_wraps")) {
            jdbc.sql("SELECT envelope FROM " + table).query(String.class).list().stream()
                    .map(JSON::readTree)
                    .forEach(all::add);
        }
        return all;
    }

    private List<String> recipientsOfStoredWraps() {
        List<String> recipients = new ArrayList<>(jdbc.sql("SELECT recipient_kind || ':' || CAST(recipient_id AS"
                        + " VARCHAR(36)) FROM consultation_keys WHERE establishment_id = ?")
                .param(establishment)
                .query(String.class)
                .list());
        recipients.addAll(jdbc.sql("SELECT recipient_kind || ':' || CAST(recipient_id AS VARCHAR(36)) FROM"
                        + " establishment_key_wraps WHERE establishment_id = ?")
                .param(establishment)
                .query(String.class)
                .list());
        return recipients;
    }

    private List<JsonNode> consultationWraps(UUID appointment) {
        return jdbc
                .sql("SELECT envelope FROM consultation_keys WHERE appointment_id = ?")
                .param(appointment)
                .query(String.class)
                .list()
                .stream()
                .map(JSON::readTree)
                .toList();
    }

    private List<JsonNode> establishmentWraps(int version) {
        return jdbc
                .sql("SELECT envelope FROM establishment_key_wraps WHERE establishment_id = ? AND key_version = ?")
                .params(establishment, version)
                .query(String.class)
                .list()
                .stream()
                .map(JSON::readTree)
                .toList();
    }

    private JsonNode establishmentWrapOf(UUID appointment) {
        return JSON.readTree(jdbc.sql("SELECT envelope FROM consultation_keys WHERE appointment_id = ?"
                        + " AND recipient_kind = 'ESTABLISHMENT'")
                .param(appointment)
                .query(String.class)
                .single());
    }

    private int rows(String table, UUID appointment) {
        return jdbc.sql("SELECT COUNT(*) FROM " + table + " WHERE appointment_id = ?")
                .param(appointment)
                .query(Integer.class)
                .single();
    }

    /** Whether an ECDH-ES envelope opens with this private key, whatever its header names (no check but the crypto). */
    private static boolean opens(JsonNode envelope, ECKey key) {
        try {
            JWEObject jwe = JoseClient.parse(envelope);
            if (!JWEAlgorithm.ECDH_ES_A256KW.equals(jwe.getHeader().getAlgorithm())) {
                return false; // PBES2 (a recovery code) or dir: no private key opens it
            }
            jwe.decrypt(new ECDHDecrypter(key.toECPrivateKey(), JoseClient.CRITICAL));
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
