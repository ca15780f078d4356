package org.carnet.breach;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.carnet.breach.internal.IncidentRecorder;
import org.carnet.breach.internal.RuleHit;
import org.carnet.directory.Directory;
import org.carnet.identity.Logins;
import org.carnet.scheduling.Agendas;
import org.carnet.shared.Role;
import org.carnet.support.Api;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.carnet.support.PageClient;
import org.carnet.support.Professionals;
import org.carnet.support.TotpCodes;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Issue 17 item 3, "require password and second-factor renewal": a security officer's one action ends
 * everything the account holds and removes its passkeys; from then on whoever signs in, even with every
 * factor the account had, can do nothing but choose a new password (not the old one) and, for a
 * professional or an account that had one, enrol a new authenticator; the API and programs acting for the
 * account are refused meanwhile.
 */
@CarnetIntegrationTest
class RenewalContainmentIntegrationTest {

    static final String PATIENT_PASSWORD = "correct horse battery staple";
    static final String NEW_PASSWORD = "a renewed synthetic password";
    static final Pattern TOTP_SECRET = Pattern.compile("id=\"totp-secret\">([A-Z2-7 ]+)<");

    @Value("${local.server.port}")
    int port;

    @Autowired
    Logins logins;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    IncidentRecorder recorder;

    @Autowired
    Directory directory;

    @Autowired
    Agendas agendas;

    @Autowired
    JdbcClient jdbc;

    Api api() {
        return new Api(port);
    }

    Professionals professionals() {
        return new Professionals(logins, transactions);
    }

    UUID anIncidentAbout(UUID suspect) {
        return recorder.record(new RuleHit(
                Rule.DENIED_ACCESSES,
                "user:" + suspect,
                null,
                suspect,
                Set.of(UUID.randomUUID()),
                Instant.now(),
                "20 accesses refused within PT10M"));
    }

    Api.Response requireRenewal(UUID incident) {
        String officer = api().token(professionals().staff(Role.SECURITY_OFFICER, null));
        return api().post(
                        "/api/v1/security/incidents/" + incident + "/containment",
                        Map.of("action", "require-renewal"),
                        officer);
    }

    UUID loginOf(UUID patientAccount) {
        return jdbc.sql("SELECT id FROM user_accounts WHERE subject_id = ?")
                .param(patientAccount)
                .query(UUID.class)
                .single();
    }

    String renewal(UUID login) {
        return jdbc.sql("SELECT renewal FROM user_accounts WHERE id = ?")
                .param(login)
                .query(String.class)
                .optional()
                .orElse(null);
    }

    void aPasskeyOf(UUID login) {
        // Ids as Spring Security's repositories write them: base64url bytes.
        String entity = base64Url(UUID.randomUUID());
        jdbc.sql("INSERT INTO user_entities (id, name, display_name) VALUES (?, ?, ?)")
                .params(entity, login.toString(), "synthetic")
                .update();
        jdbc.sql("INSERT INTO user_credentials (credential_id, user_entity_user_id, public_key, signature_count,"
                        + " uv_initialized, backup_eligible, authenticator_transports, public_key_credential_type,"
                        + " backup_state, attestation_object, attestation_client_data_json, created, last_used,"
                        + " label) VALUES (?, ?, ?, 0, FALSE, FALSE, 'internal', 'public-key', FALSE, ?, ?, ?, ?, ?)")
                .params(
                        base64Url(UUID.randomUUID()),
                        entity,
                        new byte[] {1, 2, 3},
                        new byte[] {4},
                        new byte[] {5},
                        java.sql.Timestamp.from(Instant.now()),
                        java.sql.Timestamp.from(Instant.now()),
                        "synthetic phone")
                .update();
    }

    static String base64Url(UUID id) {
        return java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(java.nio.ByteBuffer.allocate(16)
                        .putLong(id.getMostSignificantBits())
                        .putLong(id.getLeastSignificantBits())
                        .array());
    }

    int passkeysOf(UUID login) {
        return jdbc.sql("SELECT COUNT(*) FROM user_credentials c JOIN user_entities e ON e.id = c.user_entity_user_id"
                        + " WHERE e.name = ?")
                .param(login.toString())
                .query(Integer.class)
                .single();
    }

    @Test
    void aPatientsSessionsTokensAndPasskeysEndAndTheirNextSignInOpensOnlyTheChoiceOfANewPassword() {
        Fixtures.Patient patient = Fixtures.aPatient(api());
        UUID login = loginOf(patient.account());
        PageClient before = new PageClient(port);
        before.signIn(patient.email(), PATIENT_PASSWORD, null);
        assertThat(before.get("/account/security").status()).isEqualTo(200);
        aPasskeyOf(login);

        Api.Response required = requireRenewal(anIncidentAbout(login));

        assertThat(required.status()).as(required.raw()).isEqualTo(200);
        assertThat(api().get("/api/v1/me", patient.token()).status()).isEqualTo(401);
        assertThat(before.get("/account/security").status())
                .as("the page session ended")
                .isEqualTo(302);
        assertThat(passkeysOf(login)).as("a passkey would skip the renewal").isZero();
        assertThat(logins.signInAllowed(login))
                .as("what a program acting for the account is checked against")
                .isEmpty();
        Api.Response apiSignIn =
                api().post("/api/v1/auth/token", Map.of("email", patient.email(), "password", PATIENT_PASSWORD), null);
        assertThat(apiSignIn.status()).as(apiSignIn.raw()).isEqualTo(403);
        assertThat(apiSignIn.body().get("type").asString()).endsWith("/renewal-required");
        assertThat(apiSignIn.raw()).doesNotContain("access_token");

        PageClient pages = new PageClient(port);
        assertThat(pages.signIn(patient.email(), PATIENT_PASSWORD, null).location())
                .endsWith("/account/renew");
        assertThat(pages.get("/account/security").location())
                .as("every other page leads back to the renewal")
                .endsWith("/account/renew");
        assertThat(pages.get("/appointments").location()).endsWith("/account/renew");
        assertThat(pages.get("/account/renew").body())
                .contains("id=\"renew-form\"")
                .as("nothing of the account shown before the renewal: not even how many messages wait")
                .doesNotContain("non lus");
        PageClient.Page same = pages.post("/account/renew", Map.of("password", PATIENT_PASSWORD));
        assertThat(same.status()).isEqualTo(200);
        assertThat(same.body()).contains("id=\"password-error\"");
        assertThat(renewal(login)).isEqualTo("PASSWORD");

        PageClient.Page renewed = pages.post("/account/renew", Map.of("password", NEW_PASSWORD));

        assertThat(renewed.status()).isEqualTo(302);
        assertThat(renewed.location()).doesNotEndWith("/account/renew").doesNotEndWith("/login");
        assertThat(pages.get("/account/security").body()).contains("non lus");
        assertThat(renewal(login)).isNull();
        assertThat(logins.signInAllowed(login)).isPresent();
        assertThat(api().post(
                                "/api/v1/auth/token",
                                Map.of("email", patient.email(), "password", PATIENT_PASSWORD),
                                null)
                        .status())
                .as("the old password")
                .isEqualTo(401);
        assertThat(api().get("/api/v1/me", api().token(patient.email(), NEW_PASSWORD))
                        .status())
                .isEqualTo(200);
    }

    @Test
    void aProfessionalGivesEveryFactorThenChoosesANewPasswordAndCannotGoOnWithoutANewAuthenticator() {
        Fixtures.Agenda agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        Professionals.Login doctor = professionals()
                .practitioner(agenda.practitioner().id(), agenda.establishment().id());
        assertThat(requireRenewal(anIncidentAbout(doctor.userId())).status()).isEqualTo(200);

        PageClient pages = new PageClient(port);
        PageClient.Page afterPasswordAlone = pages.signIn(doctor.email(), doctor.password(), null);
        assertThat(afterPasswordAlone.location())
                .as("the old second factor is still asked first")
                .endsWith("/login/code");
        assertThat(pages.get("/account/renew").location()).endsWith("/login/code");
        pages = new PageClient(port);
        assertThat(pages.signIn(doctor.email(), doctor.password(), doctor.totpSecret())
                        .location())
                .endsWith("/account/renew");
        pages.get("/account/renew");
        assertThat(pages.post("/account/renew", Map.of("password", NEW_PASSWORD))
                        .location())
                .endsWith("/account/security/totp");
        assertThat(renewal(doctor.userId())).isEqualTo("SECOND_FACTOR");
        assertThat(pages.get("/agenda").location()).endsWith("/account/security/totp");

        // Walking away now does not help: the new password alone leads to the enrolment, the old code is gone.
        PageClient later = new PageClient(port);
        assertThat(later.signIn(doctor.email(), NEW_PASSWORD, null).location()).endsWith("/account/security/totp");
        Matcher secret = TOTP_SECRET.matcher(later.get("/account/security/totp").body());
        assertThat(secret.find()).as("the enrolment page shows a new secret").isTrue();
        String newSecret = secret.group(1).replace(" ", "");
        assertThat(newSecret).isNotEqualTo(doctor.totpSecret());
        assertThat(later.post("/account/security/totp", Map.of("code", TotpCodes.now(newSecret)))
                        .body())
                .contains("id=\"recovery-codes\"");

        assertThat(renewal(doctor.userId())).isNull();
        assertThat(later.get("/agenda").status()).isEqualTo(200);
        assertThat(logins.signInAllowed(doctor.userId())).isPresent();
    }

    @Test
    void aPatientWhoHadAnAuthenticatorEnrolsANewOne() {
        Fixtures.Patient patient = Fixtures.aPatient(api());
        UUID login = loginOf(patient.account());
        String secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
        transactions.executeWithoutResult(status -> logins.presetSecondFactor(login, secret));
        assertThat(requireRenewal(anIncidentAbout(login)).status()).isEqualTo(200);

        PageClient pages = new PageClient(port);
        assertThat(pages.signIn(patient.email(), PATIENT_PASSWORD, secret).location())
                .endsWith("/account/renew");
        pages.get("/account/renew");

        assertThat(pages.post("/account/renew", Map.of("password", NEW_PASSWORD))
                        .location())
                .endsWith("/account/security/totp");
        assertThat(renewal(login)).isEqualTo("SECOND_FACTOR");
        assertThat(new PageClient(port)
                        .signIn(patient.email(), NEW_PASSWORD, null)
                        .location())
                .as("the old authenticator is gone, and no way round a new one")
                .endsWith("/account/security/totp");
    }

    @Test
    void aLoginThatSignsInWithProSanteConnectOnlyIsNotCarnetsToRenew() {
        Fixtures.Agenda agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        Professionals.Login doctor = professionals()
                .practitioner(agenda.practitioner().id(), agenda.establishment().id());
        jdbc.sql("UPDATE user_accounts SET rpps_index = ? WHERE id = ?")
                .params(
                        UUID.randomUUID().toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                        doctor.userId())
                .update();

        Api.Response refused = requireRenewal(anIncidentAbout(doctor.userId()));

        assertThat(refused.status()).as(refused.raw()).isEqualTo(409);
        assertThat(renewal(doctor.userId())).isNull();
    }
}
