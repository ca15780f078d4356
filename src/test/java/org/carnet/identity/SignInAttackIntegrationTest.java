package org.carnet.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.carnet.directory.Directory;
import org.carnet.scheduling.Agendas;
import org.carnet.support.Api;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.carnet.support.PageClient;
import org.carnet.support.Professionals;
import org.carnet.support.TotpCodes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/** Attacks on sign-in: spraying, guessing, a stolen password, reused codes, stolen cookies, forged forms. */
@CarnetIntegrationTest
@Import(SignInAttackIntegrationTest.LockNotices.class)
// One context for every attack test: see ExposureAttackIntegrationTest for the last two properties.
@TestPropertySource(
        properties = {
            "carnet.security.sign-ins-per-minute=15",
            "carnet.api.docs-public=false",
            "management.endpoints.web.exposure.include=health,info"
        })
class SignInAttackIntegrationTest {

    @Value("${local.server.port}")
    int port;

    @Autowired
    Logins logins;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    Directory directory;

    @Autowired
    Agendas agendas;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    SignInRateLimiter limiter;

    @Autowired
    RecoveryCodes recoveryCodes;

    @Autowired
    LockNotices notices;

    /** Collects the lock events published on the server's threads. */
    @TestConfiguration
    static class LockNotices {
        final List<AccountLocked> received = new java.util.concurrent.CopyOnWriteArrayList<>();

        @EventListener
        void on(AccountLocked locked) {
            received.add(locked);
        }
    }

    Api api;
    Professionals professionals;

    @BeforeEach
    void freshLimit() {
        limiter.forgetAll();
        api = new Api(port);
        professionals = new Professionals(logins, transactions);
    }

    Professionals.Login aPractitioner() {
        Fixtures.Agenda agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        return professionals.practitioner(
                agenda.practitioner().id(), agenda.establishment().id());
    }

    /**
     * Without {@code carnet.security.oidc.issuer-uri} there is no OpenID Connect sign-in at all: no
     * button, no redirection to a provider, and a forged provider answer opens nothing.
     */
    @Test
    void withoutAnIssuerThereIsNoOpenIdConnectSignIn() {
        PageClient pages = new PageClient(port);
        assertThat(pages.get("/login").body()).doesNotContain("oidc-signin");
        PageClient.Page start = pages.get("/oauth2/authorization/psc");
        assertThat(start.status()).isEqualTo(302);
        assertThat(start.location()).endsWith("/login");
        PageClient.Page answer = pages.get("/login/oauth2/code/psc?code=forged&state=forged");
        assertThat(answer.status()).isEqualTo(302);
        assertThat(answer.location()).endsWith("/login");
        assertThat(pages.get("/agenda").location()).endsWith("/login");
    }

    @Test
    void guessingMessageVerificationCodesIsRateLimited() {
        PageClient pages = new PageClient(port);
        pages.get("/verifier");
        int limited = 0;
        for (int i = 0; i < 25; i++) {
            PageClient.Page answer = pages.post("/verifier", Map.of("code", "CRN-2222-22" + (char) ('A' + i)));
            if (answer.status() == 429) {
                limited++;
            } else {
                assertThat(answer.status()).isEqualTo(200);
            }
        }
        assertThat(limited).isEqualTo(10);
    }

    @Test
    void passwordSprayingOverManyAccountsFromOneAddressIsRateLimited() {
        long start = System.nanoTime();
        int limited = 0;
        String retryAfter = null;
        for (int i = 0; i < 25; i++) {
            Api.Response response = api.post(
                    "/api/v1/auth/token",
                    Map.of("email", "sprayed-" + i + "@example.test", "password", "Summer2026!Summer"),
                    null);
            if (response.status() == 429) {
                limited++;
                retryAfter = response.header("Retry-After");
                assertThat(response.body().get("type").asString()).endsWith("/too-many-attempts");
            } else {
                assertThat(response.status()).isEqualTo(401);
            }
        }
        // 10 refused, unless the bucket gave a token back meanwhile (one every 4 s).
        RateLimitBudget.assertLimited(25, limited, Duration.ofNanos(System.nanoTime() - start));
        assertThat(Integer.parseInt(retryAfter)).isBetween(1, 60);
        // The pages share the limit: the sign-in form is refused too.
        PageClient pages = new PageClient(port);
        pages.get("/login");
        assertThat(pages.post("/login", Map.of("email", "a@example.test", "password", "whatever-password"))
                        .status())
                .isEqualTo(429);
    }

    @Test
    void elevenWrongPasswordsLockAPractitionerForFifteenMinutesAndTellThem() {
        Professionals.Login practitioner = aPractitioner();
        for (int i = 0; i < 11; i++) {
            Api.Response response = api.post(
                    "/api/v1/auth/token",
                    Map.of("email", practitioner.email(), "password", "wrong password number " + i),
                    null);
            assertThat(response.status()).isEqualTo(401);
            assertThat(response.body().get("type").asString()).endsWith("/invalid-credentials");
        }
        Api.Response rightPassword = api.post(
                "/api/v1/auth/token",
                Map.of(
                        "email",
                        practitioner.email(),
                        "password",
                        practitioner.password(),
                        "otp",
                        TotpCodes.now(practitioner.totpSecret())),
                null);
        assertThat(rightPassword.status()).isEqualTo(401);
        assertThat(rightPassword.body().get("type").asString()).endsWith("/invalid-credentials");
        assertThat(rightPassword.raw()).doesNotContain("access_token");
        OffsetDateTime until = jdbc.sql("SELECT blocked_until FROM user_accounts WHERE id = ?")
                .param(practitioner.userId())
                .query(OffsetDateTime.class)
                .single();
        assertThat(Duration.between(OffsetDateTime.now(), until))
                .isBetween(Duration.ofMinutes(14), Duration.ofMinutes(15));
        assertThat(notices.received)
                .filteredOn(e -> e.userId().equals(practitioner.userId()))
                .hasSize(1);
    }

    @Test
    void aPatientIsThrottledWithADelayThatGrows() {
        Map<String, Object> registration = Fixtures.aRegistration();
        api.post("/api/v1/patients", registration, null);
        String email = (String) registration.get("email");
        for (int i = 0; i < 10; i++) {
            api.post("/api/v1/auth/token", Map.of("email", email, "password", "wrong password " + i), null);
        }
        UUID userId = jdbc.sql("SELECT id FROM user_accounts WHERE failed_attempts = 10 AND role = 'PATIENT'")
                .query(UUID.class)
                .single();
        Duration first = blockedFor(userId);
        assertThat(first).isBetween(Duration.ofSeconds(25), Duration.ofSeconds(30));
        // While throttled even the right password is refused, with the same answer.
        Api.Response right =
                api.post("/api/v1/auth/token", Map.of("email", email, "password", registration.get("password")), null);
        assertThat(right.status()).isEqualTo(401);
        // Once the delay is over, the next failure doubles it.
        jdbc.sql("UPDATE user_accounts SET blocked_until = ? WHERE id = ?")
                .params(OffsetDateTime.now().minusSeconds(1), userId)
                .update();
        api.post("/api/v1/auth/token", Map.of("email", email, "password", "wrong again"), null);
        assertThat(blockedFor(userId)).isBetween(Duration.ofSeconds(55), Duration.ofSeconds(60));
    }

    private Duration blockedFor(UUID userId) {
        OffsetDateTime until = jdbc.sql("SELECT blocked_until FROM user_accounts WHERE id = ?")
                .param(userId)
                .query(OffsetDateTime.class)
                .single();
        return Duration.between(OffsetDateTime.now(), until);
    }

    @Test
    void anUnknownEmailAndAWrongPasswordGetTheSameAnswer() {
        Professionals.Login practitioner = aPractitioner();
        Api.Response unknown = api.post(
                "/api/v1/auth/token",
                Map.of("email", "nobody-" + UUID.randomUUID() + "@example.test", "password", "some password here"),
                null);
        Api.Response wrong = api.post(
                "/api/v1/auth/token", Map.of("email", practitioner.email(), "password", "some password here"), null);
        assertThat(unknown.status()).isEqualTo(wrong.status()).isEqualTo(401);
        assertThat(unknown.raw()).isEqualTo(wrong.raw());
    }

    @Test
    void anUnknownEmailCostsAsMuchAsAWrongPassword() {
        Professionals.Login practitioner = aPractitioner();
        List<Long> unknown = new java.util.ArrayList<>();
        List<Long> wrong = new java.util.ArrayList<>();
        for (int i = 0; i < 7; i++) {
            limiter.forgetAll();
            unknown.add(nanosToBeRefused("nobody-" + i + "@example.test"));
            wrong.add(nanosToBeRefused(practitioner.email()));
        }
        // Both do one Argon2id hash; a lookup-only answer for unknown e-mails would be many times faster.
        double ratio = (double) median(unknown) / median(wrong);
        assertThat(ratio).isBetween(0.5, 2.0);
    }

    /** How long a sign-in with a wrong password takes, checked to be refused as invalid credentials. */
    private long nanosToBeRefused(String email) {
        long start = System.nanoTime();
        Api.Response response =
                api.post("/api/v1/auth/token", Map.of("email", email, "password", "some password here"), null);
        long elapsed = System.nanoTime() - start;
        // A faster answer of another kind (rate limited, refused before hashing) would make the timing meaningless.
        assertThat(response.status()).isEqualTo(401);
        assertThat(response.body().get("type").asString()).endsWith("/invalid-credentials");
        return elapsed;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    @Test
    void changingTheEmailNeedsTheCurrentPasswordAndMovesTheSignIn() {
        Map<String, Object> registration = Fixtures.aRegistration();
        api.post("/api/v1/patients", registration, null);
        String email = (String) registration.get("email");
        String password = (String) registration.get("password");
        PageClient pages = new PageClient(port);
        pages.signIn(email, password, null);
        pages.get("/account/security");
        String newEmail = "moved-" + UUID.randomUUID() + "@example.test";
        PageClient.Page refused = pages.post(
                "/account/security/email", Map.of("currentPassword", "not the password", "newEmail", newEmail));
        assertThat(refused.body()).contains("id=\"email-password-error\"").contains(newEmail);
        pages.get("/account/security");
        PageClient.Page changed =
                pages.post("/account/security/email", Map.of("currentPassword", password, "newEmail", newEmail));
        assertThat(changed.location()).endsWith("/account/security?changed=email");
        assertThat(api.post("/api/v1/auth/token", Map.of("email", email, "password", password), null)
                        .status())
                .isEqualTo(401);
        String token = api.token(newEmail, password);
        assertThat(api.get("/api/v1/me", token).body().get("email").asString()).isEqualTo(newEmail);
    }

    @Test
    void aStolenPasswordWithoutTheCodeGetsNothing() {
        Professionals.Login practitioner = aPractitioner();
        Api.Response noCode = api.post(
                "/api/v1/auth/token", Map.of("email", practitioner.email(), "password", practitioner.password()), null);
        assertThat(noCode.status()).isEqualTo(401);
        assertThat(noCode.body().get("type").asString()).endsWith("/second-factor-required");
        assertThat(noCode.raw()).doesNotContain("access_token");
        Api.Response guessed = api.post(
                "/api/v1/auth/token",
                Map.of("email", practitioner.email(), "password", practitioner.password(), "otp", "123456"),
                null);
        assertThat(guessed.status()).isEqualTo(401);
        assertThat(guessed.body().get("type").asString()).endsWith("/second-factor-invalid");

        // On the pages, the password alone opens nothing but the code form.
        PageClient pages = new PageClient(port);
        pages.get("/login");
        PageClient.Page afterPassword =
                pages.post("/login", Map.of("email", practitioner.email(), "password", practitioner.password()));
        assertThat(afterPassword.location()).endsWith("/login/code");
        for (String path : List.of("/agenda", "/account/security", "/me/appointments")) {
            PageClient.Page page = pages.get(path);
            assertThat(page.status()).as(path).isIn(302, 403);
            assertThat(page.body()).as(path).doesNotContain("Nom").doesNotContain("<table");
        }
    }

    @Test
    void aProfessionalWithoutSecondFactorMayOnlyEnrolOne() {
        Fixtures.Agenda agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        Professionals.Login practitioner = professionals.practitionerWithoutSecondFactor(
                agenda.practitioner().id(), agenda.establishment().id());
        Api.Response token = api.post(
                "/api/v1/auth/token", Map.of("email", practitioner.email(), "password", practitioner.password()), null);
        assertThat(token.status()).isEqualTo(403);
        assertThat(token.body().get("type").asString()).endsWith("/second-factor-enrolment-required");

        PageClient pages = new PageClient(port);
        PageClient.Page afterPassword = pages.signIn(practitioner.email(), practitioner.password(), null);
        assertThat(afterPassword.location()).endsWith("/account/security/totp");
        PageClient.Page agendaPage = pages.get("/agenda");
        assertThat(agendaPage.status()).isEqualTo(302);
        assertThat(agendaPage.location()).endsWith("/account/security/totp");
        assertThat(pages.get("/account/security/totp").body()).contains("id=\"totp-qr\"");
    }

    @Test
    void aRecoveryCodeWorksOnceOnly() {
        Professionals.Login practitioner = aPractitioner();
        List<String> codes = transactions.execute(status -> recoveryCodes.renew(practitioner.userId()));
        Map<String, String> withCode =
                Map.of("email", practitioner.email(), "password", practitioner.password(), "otp", codes.get(3));
        assertThat(api.post("/api/v1/auth/token", withCode, null).status()).isEqualTo(200);
        Api.Response reused = api.post("/api/v1/auth/token", withCode, null);
        assertThat(reused.status()).isEqualTo(401);
        assertThat(reused.body().get("type").asString()).endsWith("/second-factor-invalid");
        assertThat(jdbc.sql("SELECT code_hash FROM recovery_codes WHERE user_id = ?")
                        .param(practitioner.userId())
                        .query(byte[].class)
                        .list())
                .hasSize(10)
                .noneMatch(
                        hash -> new String(hash, java.nio.charset.StandardCharsets.ISO_8859_1).contains(codes.get(3)));
    }

    @Test
    void aTotpCodeIsAcceptedOnceOnly() {
        Professionals.Login practitioner = aPractitioner();
        String code = TotpCodes.now(practitioner.totpSecret());
        Map<String, String> withCode =
                Map.of("email", practitioner.email(), "password", practitioner.password(), "otp", code);
        Api.Response first = api.post("/api/v1/auth/token", withCode, null);
        Api.Response replayed = api.post("/api/v1/auth/token", withCode, null);
        assertThat(first.status()).isEqualTo(200);
        assertThat(replayed.status()).isEqualTo(401);
    }

    @Test
    void aSessionCookieIsRefusedAfterLogout() {
        Map<String, Object> registration = Fixtures.aRegistration();
        api.post("/api/v1/patients", registration, null);
        PageClient pages = new PageClient(port);
        PageClient.Page signedIn =
                pages.signIn((String) registration.get("email"), (String) registration.get("password"), null);
        assertThat(signedIn.location()).endsWith("/me/appointments");
        String stolen = pages.sessionCookie();
        assertThat(pages.get("/me/appointments").status()).isEqualTo(200);

        pages.get("/me/appointments");
        pages.post("/logout", Map.of());

        PageClient thief = new PageClient(port);
        thief.useSessionCookie(stolen);
        PageClient.Page replay = thief.get("/me/appointments");
        assertThat(replay.status()).isEqualTo(302);
        assertThat(replay.location()).endsWith("/login");
    }

    @Test
    void theSessionIdChangesAtSignIn() {
        Map<String, Object> registration = Fixtures.aRegistration();
        api.post("/api/v1/patients", registration, null);
        PageClient pages = new PageClient(port);
        pages.get("/login");
        String before = pages.sessionCookie();
        pages.post("/login", Map.of("email", (String) registration.get("email"), "password", (String)
                registration.get("password")));
        assertThat(before).isNotNull();
        assertThat(pages.sessionCookie()).isNotNull().isNotEqualTo(before);
        PageClient fixated = new PageClient(port);
        fixated.useSessionCookie(before);
        assertThat(fixated.get("/me/appointments").status()).isEqualTo(302);
    }

    @Test
    void aFormPostWithoutCsrfTokenIsRefused() {
        Map<String, Object> registration = Fixtures.aRegistration();
        api.post("/api/v1/patients", registration, null);
        PageClient pages = new PageClient(port);
        pages.signIn((String) registration.get("email"), (String) registration.get("password"), null);
        PageClient.Page forged = pages.postWithoutCsrf(
                "/account/security/password",
                Map.of(
                        "currentPassword",
                        (String) registration.get("password"),
                        "newPassword",
                        "attacker chosen password"));
        assertThat(forged.status()).isEqualTo(403);
        assertThat(api.post(
                                "/api/v1/auth/token",
                                Map.of("email", registration.get("email"), "password", registration.get("password")),
                                null)
                        .status())
                .isEqualTo(200);
    }

    @Test
    void changingThePasswordEndsOtherSessionsAndRevokesTokens() {
        Map<String, Object> registration = Fixtures.aRegistration();
        api.post("/api/v1/patients", registration, null);
        String email = (String) registration.get("email");
        String password = (String) registration.get("password");
        String token = api.token(email, password);
        PageClient laptop = new PageClient(port);
        laptop.signIn(email, password, null);
        PageClient phone = new PageClient(port);
        phone.signIn(email, password, null);
        assertThat(phone.get("/account/security").body()).contains("id=\"sessions\"");

        PageClient.Page wrongCurrent = phone.post(
                "/account/security/password",
                Map.of("currentPassword", "not my password", "newPassword", "a brand new passphrase"));
        assertThat(wrongCurrent.status()).isEqualTo(200);
        assertThat(wrongCurrent.body()).contains("id=\"current-password-error\"");

        phone.get("/account/security");
        PageClient.Page changed = phone.post(
                "/account/security/password",
                Map.of("currentPassword", password, "newPassword", "a brand new passphrase"));
        assertThat(changed.location()).endsWith("/account/security?changed=password");
        assertThat(phone.get("/account/security").status()).isEqualTo(200);
        assertThat(laptop.get("/account/security").status()).isEqualTo(302);
        assertThat(api.get("/api/v1/me", token).status()).isEqualTo(401);
        assertThat(api.post("/api/v1/auth/token", Map.of("email", email, "password", password), null)
                        .status())
                .isEqualTo(401);
        assertThat(api.token(email, "a brand new passphrase")).startsWith("ct1.");
    }

    @Test
    void signOutElsewhereEndsTheOtherSessions() {
        Map<String, Object> registration = Fixtures.aRegistration();
        api.post("/api/v1/patients", registration, null);
        String email = (String) registration.get("email");
        String password = (String) registration.get("password");
        PageClient laptop = new PageClient(port);
        laptop.signIn(email, password, null);
        PageClient phone = new PageClient(port);
        phone.signIn(email, password, null);
        phone.get("/account/security");
        phone.post("/account/security/sessions/end-others", Map.of());
        assertThat(phone.get("/me/appointments").status()).isEqualTo(200);
        assertThat(laptop.get("/me/appointments").status()).isEqualTo(302);
    }

    @Test
    void pagesWithPersonalDataAreNeitherCachedNorFramedAndForceHttps() {
        Map<String, Object> registration = Fixtures.aRegistration();
        api.post("/api/v1/patients", registration, null);
        PageClient pages = new PageClient(port);
        pages.signIn((String) registration.get("email"), (String) registration.get("password"), null);
        java.net.http.HttpResponse<String> response = rawGet("/me/appointments", pages.sessionCookie());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
        assertThat(response.headers().firstValue("X-Frame-Options").orElse("")).isEqualTo("DENY");
        assertThat(response.headers().firstValue("Strict-Transport-Security").orElse(""))
                .contains("max-age=31536000");
        assertThat(response.headers().firstValue("Content-Security-Policy").orElse(""))
                .contains("script-src 'self'")
                .doesNotContain("unsafe-inline");
        java.net.http.HttpResponse<String> login = rawGet("/login", null);
        assertThat(login.headers().allValues("Set-Cookie"))
                .anySatisfy(cookie -> assertThat(cookie)
                        .contains("Secure")
                        .contains("HttpOnly")
                        .contains("SameSite=Lax"));
    }

    private java.net.http.HttpResponse<String> rawGet(String path, String session) {
        try {
            java.net.http.HttpRequest.Builder request =
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path));
            if (session != null) {
                request.header("Cookie", "SESSION=" + session);
            }
            return java.net.http.HttpClient.newHttpClient()
                    .send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
