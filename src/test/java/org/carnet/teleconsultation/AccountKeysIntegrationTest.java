package org.carnet.teleconsultation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.ECKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
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
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The account key held only wrapped (docs/e2e.md, "Account key, devices and recovery"), with
 * nimbus-jose-jwt as the client: set up all or nothing, opened on each device and with the recovery code
 * (and not with another code), a device linked by another, the server's refusals of wraps bound to
 * another person or device or of a key never published, another person's device out of reach, each
 * access to a patient's wraps recorded, and no unwrapped key in the database.
 */
@CarnetIntegrationTest
@DirtiesContext // its professional logins must not reach tests that count the demo ones
class AccountKeysIntegrationTest {

    private static final String KEYS = "/api/v1/teleconsultations/keys";

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

    Api api;
    Fixtures.Patient patient;
    Fixtures.Patient other;
    String staffToken;
    String practitionerToken;
    Fixtures.Agenda agenda;

    @BeforeEach
    void twoPatientsAStaffMemberAndAPractitioner() {
        api = new Api(port);
        agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        Professionals professionals = new Professionals(logins, transactions);
        staffToken =
                api.token(professionals.staff(Role.STAFF, agenda.establishment().id()));
        practitionerToken = api.token(professionals.practitioner(
                agenda.practitioner().id(), agenda.establishment().id()));
        patient = Fixtures.aPatient(api);
        other = Fixtures.aPatient(api);
    }

    @Test
    void theAccountKeyIsStoredOnlyWrappedAndOpensOnEachDeviceAndWithTheRecoveryCode() throws Exception {
        String account = AccountKeyClient.account(patient.account());
        JoseClient.Keys accountKeys = JoseClient.Keys.generate();
        byte[] payload = AccountKeyClient.payload(accountKeys);
        ECKey first = AccountKeyClient.newDeviceKey();
        String code = AccountKeyClient.newRecoveryCode();

        Api.Response setUp =
                api.post(KEYS + "/me/account", setUpBody(accountKeys, first, payload, account, code), patient.token());
        assertThat(setUp.status()).as(setUp.raw()).isEqualTo(201);
        assertThat(setUp.body().get("entry").get("encryptionKid").asString()).isEqualTo(accountKeys.encryptionKid());
        assertThat(setUp.body().get("device").get("status").asString()).isEqualTo("linked");

        // The first device opens its wrap; the recovery code opens the other; another code does not.
        JsonNode mine =
                onlyWrap(api.get(KEYS + "/me/devices/" + AccountKeyClient.kid(first) + "/wraps", patient.token()));
        assertThat(mine.get("accountKid").asString()).isEqualTo(accountKeys.encryptionKid());
        assertThat(AccountKeyClient.openFromDevice(mine.get("envelope"), account, first)
                        .get("encryption"))
                .isEqualTo(JoseClient.json(new String(payload, java.nio.charset.StandardCharsets.UTF_8))
                        .get("encryption"));
        JsonNode recovery = onlyWrap(api.get(KEYS + "/me/recovery", patient.token()));
        assertThat(AccountKeyClient.openWithCode(recovery.get("envelope"), account, code)
                        .get("signing"))
                .isNotNull();
        assertThatThrownBy(() -> AccountKeyClient.openWithCode(
                        recovery.get("envelope"), account, AccountKeyClient.newRecoveryCode()))
                .isInstanceOf(JOSEException.class);

        // A second device registers (pending); the first wraps the account key to it: linked, and it opens it.
        ECKey second = AccountKeyClient.newDeviceKey();
        String secondKid = AccountKeyClient.kid(second);
        Api.Response registered = api.post(
                KEYS + "/me/devices", Map.of("deviceKey", second.toPublicJWK().toJSONObject()), patient.token());
        assertThat(registered.status()).as(registered.raw()).isEqualTo(201);
        assertThat(registered.body().get("status").asString()).isEqualTo("pending");
        JsonNode listed = api.get(KEYS + "/me/devices", patient.token()).body();
        assertThat(listed.size()).isEqualTo(2);
        assertThat(listed.get(1).get("deviceKid").asString()).isEqualTo(secondKid);
        Api.Response linked = api.post(
                KEYS + "/me/devices/" + secondKid + "/wraps",
                wraps(accountKeys.encryptionKid(), AccountKeyClient.toDevice(payload, account, second, secondKid)),
                patient.token());
        assertThat(linked.status()).as(linked.raw()).isEqualTo(200);
        assertThat(linked.body().get("status").asString()).isEqualTo("linked");
        JsonNode secondWrap = onlyWrap(api.get(KEYS + "/me/devices/" + secondKid + "/wraps", patient.token()));
        assertThat(AccountKeyClient.openFromDevice(secondWrap.get("envelope"), account, second))
                .isNotEmpty();

        // The database holds the account's private keys only wrapped: neither d, in clear or base64.
        String dump = Canaries.databaseDump(dataSource);
        assertThat(dump.contains(accountKeys.encryptionKid()))
                .as("the dump is real")
                .isTrue();
        for (ECKey key : List.of(accountKeys.encryption(), accountKeys.signing(), first, second)) {
            assertThat(Canaries.found(dump, key.getD().toString()))
                    .as("a private key in the database")
                    .isFalse();
        }
        assertThat(dump.contains(code)).as("the recovery code in the database").isFalse();

        // Each access to the patient's wraps and devices is in their access log.
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE patient_id = ? AND resource = 'account-key'"
                                + " AND outcome = 'ALLOWED'")
                        .param(patient.account())
                        .query(Integer.class)
                        .single())
                .isGreaterThanOrEqualTo(6);
    }

    @Test
    void theServerRefusesWrapsBoundElsewhereAndKeepsDevicesToTheirOwner() {
        String account = AccountKeyClient.account(patient.account());
        JoseClient.Keys accountKeys = JoseClient.Keys.generate();
        byte[] payload = AccountKeyClient.payload(accountKeys);
        ECKey first = AccountKeyClient.newDeviceKey();
        String code = AccountKeyClient.newRecoveryCode();

        // Nothing half-written: a recovery wrap bound to another account refuses the whole set-up.
        Map<String, Object> misbound = setUpBody(accountKeys, first, payload, account, code);
        misbound.put("recoveryWrap", AccountKeyClient.toCode(payload, AccountKeyClient.account(other.account()), code));
        Api.Response refused = api.post(KEYS + "/me/account", misbound, patient.token());
        assertThat(refused.status()).as(refused.raw()).isEqualTo(422);
        assertThat(refused.body().get("detail").asString()).doesNotContain(code);
        assertThat(rows("key_directory_entries", patient)).isZero();
        assertThat(rows("account_devices", patient)).isZero();
        assertThat(rows("account_key_wraps", patient)).isZero();

        assertThat(api.post(
                                KEYS + "/me/account",
                                setUpBody(accountKeys, first, payload, account, code),
                                patient.token())
                        .status())
                .isEqualTo(201);
        ECKey second = AccountKeyClient.newDeviceKey();
        String secondKid = AccountKeyClient.kid(second);
        assertThat(api.post(
                                KEYS + "/me/devices",
                                Map.of("deviceKey", second.toPublicJWK().toJSONObject()),
                                patient.token())
                        .status())
                .isEqualTo(201);

        // A wrap bound to another device (the first one's item, posted for the second): 422.
        Api.Response otherDevice = api.post(
                KEYS + "/me/devices/" + secondKid + "/wraps",
                wraps(
                        accountKeys.encryptionKid(),
                        AccountKeyClient.toDevice(payload, account, second, AccountKeyClient.kid(first))),
                patient.token());
        assertThat(otherDevice.status()).as(otherDevice.raw()).isEqualTo(422);
        // A wrap bound to another person's account: 422.
        Api.Response otherAccount = api.post(
                KEYS + "/me/devices/" + secondKid + "/wraps",
                wraps(
                        accountKeys.encryptionKid(),
                        AccountKeyClient.toDevice(
                                payload, AccountKeyClient.account(other.account()), second, secondKid)),
                patient.token());
        assertThat(otherAccount.status()).as(otherAccount.raw()).isEqualTo(422);
        // A wrap of a key the account never published: 422.
        Api.Response unpublished = api.post(
                KEYS + "/me/devices/" + secondKid + "/wraps",
                wraps(
                        JoseClient.Keys.generate().encryptionKid(),
                        AccountKeyClient.toDevice(payload, account, second, secondKid)),
                patient.token());
        assertThat(unpublished.status()).as(unpublished.raw()).isEqualTo(422);
        assertThat(rows("account_key_wraps", patient)).isEqualTo(2);
        assertThat(jdbc.sql("SELECT linked_at FROM account_devices WHERE device_kid = ?")
                        .param(secondKid)
                        .query(java.time.OffsetDateTime.class)
                        .optional())
                .as("the second device is still pending")
                .isEmpty();

        // Another patient cannot wrap to, nor read the wraps of, this patient's device: it is not theirs (404).
        String otherAccountName = AccountKeyClient.account(other.account());
        Api.Response intruder = api.post(
                KEYS + "/me/devices/" + secondKid + "/wraps",
                wraps(
                        accountKeys.encryptionKid(),
                        AccountKeyClient.toDevice(payload, otherAccountName, second, secondKid)),
                other.token());
        assertThat(intruder.status()).as(intruder.raw()).isEqualTo(404);
        assertThat(api.get(KEYS + "/me/devices/" + AccountKeyClient.kid(first) + "/wraps", other.token())
                        .status())
                .isEqualTo(404);
        assertThat(api.get(KEYS + "/me/recovery", other.token()).body().size()).isZero();
        assertThat(api.get(KEYS + "/me/devices", other.token()).body().size()).isZero();

        // Staff hold no account key: 403, as for publishing one.
        assertThat(api.get(KEYS + "/me/devices", staffToken).status()).isEqualTo(403);
        assertThat(api.get(KEYS + "/me/recovery", staffToken).status()).isEqualTo(403);
        // A malformed recovery wrap (a PBES2 count out of range) is a 400.
        Map<String, Object> weak = setUpBody(JoseClient.Keys.generate(), first, payload, account, code);
        Map<String, Object> header = new LinkedHashMap<>(JoseClient.json(new String(
                JoseClient.b64(String.valueOf(((Map<?, ?>) weak.get("recoveryWrap")).get("protected"))),
                java.nio.charset.StandardCharsets.UTF_8)));
        header.put("p2c", 1000);
        @SuppressWarnings("unchecked")
        Map<String, Object> wrap = new LinkedHashMap<>((Map<String, Object>) weak.get("recoveryWrap"));
        wrap.put(
                "protected",
                com.nimbusds.jose.util.Base64URL.encode(com.nimbusds.jose.util.JSONObjectUtils.toJSONString(header))
                        .toString());
        weak.put("recoveryWrap", wrap);
        assertThat(api.post(KEYS + "/me/account", weak, patient.token()).status())
                .isEqualTo(400);
    }

    @Test
    void aPractitionerHoldsAnAccountKeyTheSameWay() throws Exception {
        String account = "practitioner:" + agenda.practitioner().id();
        JoseClient.Keys accountKeys = JoseClient.Keys.generate();
        byte[] payload = AccountKeyClient.payload(accountKeys);
        ECKey device = AccountKeyClient.newDeviceKey();
        String code = AccountKeyClient.newRecoveryCode();
        Api.Response setUp = api.post(
                KEYS + "/me/account", setUpBody(accountKeys, device, payload, account, code), practitionerToken);
        assertThat(setUp.status()).as(setUp.raw()).isEqualTo(201);
        JsonNode recovery = onlyWrap(api.get(KEYS + "/me/recovery", practitionerToken));
        assertThat(AccountKeyClient.openWithCode(recovery.get("envelope"), account, code))
                .isNotEmpty();
        // A patient's binding is not a practitioner's.
        Map<String, Object> asPatient = setUpBody(
                JoseClient.Keys.generate(),
                AccountKeyClient.newDeviceKey(),
                payload,
                AccountKeyClient.account(patient.account()),
                code);
        assertThat(api.post(KEYS + "/me/account", asPatient, practitionerToken).status())
                .isEqualTo(422);
    }

    @Test
    void aRemovedDeviceGetsNoWrapsAnymoreAndItsKeyIsRefusedFromThenOn() throws Exception {
        String account = AccountKeyClient.account(patient.account());
        JoseClient.Keys accountKeys = JoseClient.Keys.generate();
        byte[] payload = AccountKeyClient.payload(accountKeys);
        ECKey kept = AccountKeyClient.newDeviceKey();
        assertThat(api.post(
                                KEYS + "/me/account",
                                setUpBody(accountKeys, kept, payload, account, AccountKeyClient.newRecoveryCode()),
                                patient.token())
                        .status())
                .isEqualTo(201);
        ECKey stolen = AccountKeyClient.newDeviceKey();
        String stolenKid = AccountKeyClient.kid(stolen);
        assertThat(api.post(
                                KEYS + "/me/devices",
                                Map.of("deviceKey", stolen.toPublicJWK().toJSONObject()),
                                patient.token())
                        .status())
                .isEqualTo(201);
        Map<String, Object> toStolen = AccountKeyClient.toDevice(payload, account, stolen, stolenKid);
        assertThat(api.post(
                                KEYS + "/me/devices/" + stolenKid + "/wraps",
                                wraps(accountKeys.encryptionKid(), toStolen),
                                patient.token())
                        .status())
                .isEqualTo(200);
        onlyWrap(api.get(KEYS + "/me/devices/" + stolenKid + "/wraps", patient.token()));

        // Another patient cannot remove it (not theirs: the same 404 as no device); its owner can, once.
        assertThat(api.delete(KEYS + "/me/devices/" + stolenKid, other.token()).status())
                .isEqualTo(404);
        assertThat(api.delete(KEYS + "/me/devices/" + stolenKid, patient.token())
                        .status())
                .isEqualTo(204);
        assertThat(api.delete(KEYS + "/me/devices/" + stolenKid, patient.token())
                        .status())
                .isEqualTo(404);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM account_key_wraps WHERE recipient = ?")
                        .param("device:" + stolenKid)
                        .query(Integer.class)
                        .single())
                .as("its wraps are deleted")
                .isZero();
        JsonNode listed = api.get(KEYS + "/me/devices", patient.token()).body();
        assertThat(listed.size()).isEqualTo(1);
        assertThat(listed.get(0).get("deviceKid").asString()).isEqualTo(AccountKeyClient.kid(kept));
        onlyWrap(api.get(KEYS + "/me/devices/" + AccountKeyClient.kid(kept) + "/wraps", patient.token()));

        // The removed device (the thief holding the session, say) tries to fetch its wraps, to be linked again,
        // to register again with the same key, pending or with wraps, or to set an account key up with it.
        assertThat(api.get(KEYS + "/me/devices/" + stolenKid + "/wraps", patient.token())
                        .status())
                .isEqualTo(404);
        assertThat(api.post(
                                KEYS + "/me/devices/" + stolenKid + "/wraps",
                                wraps(accountKeys.encryptionKid(), toStolen),
                                patient.token())
                        .status())
                .isEqualTo(404);
        Api.Response again = api.post(
                KEYS + "/me/devices", Map.of("deviceKey", stolen.toPublicJWK().toJSONObject()), patient.token());
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.raw()).contains("removed");
        assertThat(api.post(
                                KEYS + "/me/devices",
                                Map.of(
                                        "deviceKey",
                                        stolen.toPublicJWK().toJSONObject(),
                                        "wraps",
                                        List.of(Map.of(
                                                "accountKid", accountKeys.encryptionKid(), "envelope", toStolen))),
                                patient.token())
                        .status())
                .isEqualTo(409);
        JoseClient.Keys newer = JoseClient.Keys.generate();
        byte[] newerPayload = AccountKeyClient.payload(newer);
        assertThat(api.post(
                                KEYS + "/me/account",
                                setUpBody(newer, stolen, newerPayload, account, AccountKeyClient.newRecoveryCode()),
                                patient.token())
                        .status())
                .isEqualTo(409);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM account_key_wraps WHERE recipient = ?")
                        .param("device:" + stolenKid)
                        .query(Integer.class)
                        .single())
                .as("nothing wrapped to it again")
                .isZero();
        assertThat(api.get(KEYS + "/me/devices", patient.token()).body().size()).isEqualTo(1);
        // The removal is in the patient's access log.
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE patient_id = ? AND resource = 'account-key'"
                                + " AND action = 'DELETE' AND outcome = 'ALLOWED'")
                        .param(patient.account())
                        .query(Integer.class)
                        .single())
                .isEqualTo(1);
    }

    @Test
    void aNewRecoveryCodeReplacesTheOldOneWhichThenOpensNothing() throws Exception {
        String account = AccountKeyClient.account(patient.account());
        JoseClient.Keys first = JoseClient.Keys.generate();
        byte[] firstPayload = AccountKeyClient.payload(first);
        ECKey device = AccountKeyClient.newDeviceKey();
        String oldCode = AccountKeyClient.newRecoveryCode();
        assertThat(api.post(
                                KEYS + "/me/account",
                                setUpBody(first, device, firstPayload, account, oldCode),
                                patient.token())
                        .status())
                .isEqualTo(201);
        // A second account key version, under the same old code (as the page does): two recovery wraps.
        JoseClient.Keys second = JoseClient.Keys.generate();
        byte[] secondPayload = AccountKeyClient.payload(second);
        Map<String, Object> secondSetUp = new LinkedHashMap<>(second.publication());
        secondSetUp.put("deviceKey", device.toPublicJWK().toJSONObject());
        secondSetUp.put(
                "deviceWrap", AccountKeyClient.toDevice(secondPayload, account, device, AccountKeyClient.kid(device)));
        secondSetUp.put("recoveryWrap", AccountKeyClient.toCode(secondPayload, account, oldCode));
        assertThat(api.post(KEYS + "/me/account", secondSetUp, patient.token()).status())
                .isEqualTo(201);
        assertThat(api.get(KEYS + "/me/recovery", patient.token()).body().size())
                .isEqualTo(2);

        String newCode = AccountKeyClient.newRecoveryCode();
        List<Map<String, Object>> wraps = List.of(
                Map.of(
                        "accountKid",
                        second.encryptionKid(),
                        "envelope",
                        AccountKeyClient.toCode(secondPayload, account, newCode)),
                Map.of(
                        "accountKid",
                        first.encryptionKid(),
                        "envelope",
                        AccountKeyClient.toCode(firstPayload, account, newCode)));
        long now = java.time.Instant.now().getEpochSecond();

        // Refused: no proof by the current signing key (the first version's, another key's), a proof over
        // other wraps or made long ago, and a new code that leaves a version out.
        for (String proof : List.of(
                AccountKeyClient.recoveryProof(first.signing(), account, tags(wraps), now),
                AccountKeyClient.recoveryProof(JoseClient.Keys.generate().signing(), account, tags(wraps), now),
                AccountKeyClient.recoveryProof(second.signing(), account, tags(wraps.subList(0, 1)), now),
                AccountKeyClient.recoveryProof(second.signing(), account, tags(wraps), now - 3600),
                AccountKeyClient.recoveryProof(
                        second.signing(), AccountKeyClient.account(other.account()), tags(wraps), now))) {
            assertThat(api.post(KEYS + "/me/recovery", Map.of("wraps", wraps, "proof", proof), patient.token())
                            .status())
                    .isEqualTo(403);
        }
        Api.Response partial = api.post(
                KEYS + "/me/recovery",
                Map.of(
                        "wraps",
                        wraps.subList(0, 1),
                        "proof",
                        AccountKeyClient.recoveryProof(second.signing(), account, tags(wraps.subList(0, 1)), now)),
                patient.token());
        assertThat(partial.status()).as(partial.raw()).isEqualTo(422);
        for (JsonNode wrap : api.get(KEYS + "/me/recovery", patient.token()).body()) {
            assertThat(AccountKeyClient.openWithCode(wrap.get("envelope"), account, oldCode))
                    .as("the refusals changed nothing")
                    .isNotEmpty();
        }

        Api.Response replaced = api.post(
                KEYS + "/me/recovery",
                Map.of(
                        "wraps",
                        wraps,
                        "proof",
                        AccountKeyClient.recoveryProof(second.signing(), account, tags(wraps), now)),
                patient.token());
        assertThat(replaced.status()).as(replaced.raw()).isEqualTo(200);

        // The old code opens nothing any more; the new one opens both versions.
        JsonNode recovery = api.get(KEYS + "/me/recovery", patient.token()).body();
        assertThat(recovery.size()).isEqualTo(2);
        List<String> opened = new java.util.ArrayList<>();
        for (JsonNode wrap : recovery) {
            assertThatThrownBy(() -> AccountKeyClient.openWithCode(wrap.get("envelope"), account, oldCode))
                    .isInstanceOf(JOSEException.class);
            opened.add(wrap.get("accountKid").asString());
            assertThat(AccountKeyClient.openWithCode(wrap.get("envelope"), account, newCode)
                            .get("encryption"))
                    .isNotNull();
        }
        assertThat(opened).containsExactlyInAnyOrder(first.encryptionKid(), second.encryptionKid());
        assertThat(Canaries.databaseDump(dataSource).contains(newCode)).isFalse();
    }

    @SuppressWarnings("unchecked")
    private static List<String> tags(List<Map<String, Object>> wraps) {
        return wraps.stream()
                .map(w -> (String) ((Map<String, Object>) w.get("envelope")).get("tag"))
                .toList();
    }

    private static Map<String, Object> setUpBody(
            JoseClient.Keys accountKeys, ECKey device, byte[] payload, String account, String code) {
        Map<String, Object> body = new LinkedHashMap<>(accountKeys.publication());
        body.put("deviceKey", device.toPublicJWK().toJSONObject());
        body.put("deviceWrap", AccountKeyClient.toDevice(payload, account, device, AccountKeyClient.kid(device)));
        body.put("recoveryWrap", AccountKeyClient.toCode(payload, account, code));
        return body;
    }

    private static Map<String, Object> wraps(String accountKid, Map<String, Object> envelope) {
        return Map.of("wraps", List.of(Map.of("accountKid", accountKid, "envelope", envelope)));
    }

    private static JsonNode onlyWrap(Api.Response response) {
        assertThat(response.status()).as(response.raw()).isEqualTo(200);
        assertThat(response.body().size()).isEqualTo(1);
        return response.body().get(0);
    }

    private int rows(String table, Fixtures.Patient who) {
        return jdbc.sql("SELECT COUNT(*) FROM " + table + " WHERE subject_id = ?")
                .param(who.account())
                .query(Integer.class)
                .single();
    }
}
