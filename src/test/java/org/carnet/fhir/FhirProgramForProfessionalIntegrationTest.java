package org.carnet.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.carnet.fhir.FhirPublicDirectoryIntegrationTest.valid;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.carnet.breach.Rule;
import org.carnet.breach.internal.IncidentRecorder;
import org.carnet.breach.internal.RuleHit;
import org.carnet.clients.Programs;
import org.carnet.directory.Directory;
import org.carnet.identity.AccountContainment;
import org.carnet.identity.Logins;
import org.carnet.scheduling.Agendas;
import org.carnet.scheduling.Availability;
import org.carnet.scheduling.PhoneBookings;
import org.carnet.shared.Role;
import org.carnet.support.Api;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.carnet.support.PageClient;
import org.carnet.support.Professionals;
import org.hl7.fhir.r4.model.Appointment;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Issue 13, item 2's other half: a program acting for a signed-in professional, driven as its
 * integrator would drive it. The professional signs in on Carnet's own pages (password and second
 * factor), consents, and the program exchanges the code with its PKCE verifier and a client assertion
 * signed by its key, then calls {@code /fhir} with HAPI's generic client. What it gets is the
 * intersection of the {@code user/} scopes and the person's own rights; the audit log names both; and
 * every way around it is refused.
 */
@CarnetIntegrationTest
@DirtiesContext // its administrator and officer logins must not reach tests that count the demo ones
class FhirProgramForProfessionalIntegrationTest {

    static final String CALLBACK = "https://agenda.example/carnet/callback";
    static final String SCOPES = "user/Appointment.rs user/Patient.r carnet/Appointment.motive";
    static final Pattern STATE = Pattern.compile("name=\"state\" value=\"([^\"]+)\"");
    static final SecureRandom RANDOM = new SecureRandom();

    @Value("${local.server.port}")
    int port;

    @Autowired
    Directory directory;

    @Autowired
    Agendas agendas;

    @Autowired
    Logins logins;

    @Autowired
    PhoneBookings phoneBookings;

    @Autowired
    Availability availability;

    @Autowired
    AccountContainment containment;

    @Autowired
    IncidentRecorder recorder;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    Api api;
    String base;
    String tokenEndpoint;
    Professionals professionals;
    PracticeAgenda practice;
    PracticeAgenda elsewhere;
    ConnectedPrograms programs;
    String adminToken;
    String officerToken;
    ECKey key;
    String clientId;

    /** A PKCE pair (RFC 7636): the verifier the program keeps, the S256 challenge it sends. */
    record Pkce(String verifier, String challenge) {
        static Pkce fresh() {
            byte[] bytes = new byte[32];
            RANDOM.nextBytes(bytes);
            String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            try {
                byte[] digest =
                        MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
                return new Pkce(
                        verifier, Base64.getUrlEncoder().withoutPadding().encodeToString(digest));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @BeforeEach
    void aPracticeWithAProgramForItsProfessionals() {
        api = new Api(port);
        base = "http://127.0.0.1:" + port;
        tokenEndpoint = base + "/oauth2/token";
        professionals = new Professionals(logins, transactions);
        Fixtures fixtures = new Fixtures(directory, agendas);
        practice = new PracticeAgenda(
                fixtures.aPractitionerWithSlots(), professionals, logins, phoneBookings, availability, jdbc);
        elsewhere = new PracticeAgenda(
                fixtures.aPractitionerWithSlots(), professionals, logins, phoneBookings, availability, jdbc);
        adminToken = api.token(professionals.staff(
                Role.ESTABLISHMENT_ADMIN, practice.agenda().establishment().id()));
        officerToken = api.token(professionals.staff(Role.SECURITY_OFFICER, null));
        programs = new ConnectedPrograms(api, base, adminToken, officerToken);
        key = Programs.ecKey();
        Api.Response requested = api.post(
                "/api/v1/establishment/clients",
                Map.of(
                        "name", "Agenda Pro " + UUID.randomUUID().toString().substring(0, 8),
                        "purpose", "Shows the practitioner's day in the practice software",
                        "scopes", List.of(SCOPES.split(" ")),
                        "jwks", Programs.publicJwks(key),
                        "redirectUris", List.of(CALLBACK)),
                adminToken);
        assertThat(requested.status()).as(requested.raw()).isEqualTo(201);
        assertThat(Programs.strings(requested.body().get("redirectUris"))).containsExactly(CALLBACK);
        clientId = requested.body().get("clientId").asString();
        assertThat(api.post("/api/v1/security/clients/" + clientId + "/approve", Map.of(), officerToken)
                        .status())
                .isEqualTo(200);
    }

    @Test
    void aPractitionerAuthorizesTheProgramWhichThenReadsWithinTheirRightsNamedBesideThem() throws Exception {
        PracticeAgenda.Booked booked =
                practice.bookNewPatient(practice.freeSlots(20).get(2).id());
        Professionals.Login practitioner = professionals.practitioner(
                practice.agenda().practitioner().id(),
                practice.agenda().establishment().id());
        PageClient browser = new PageClient(port);
        Pkce pkce = Pkce.fresh();

        // Not signed in: Carnet's own sign-in page, then back to the authorization and its consent page.
        PageClient.Page start = browser.get(authorizePath(SCOPES, CALLBACK, pkce.challenge(), "S256", "st-1"));
        assertThat(start.status()).isEqualTo(302);
        assertThat(start.location()).endsWith("/login");
        PageClient.Page consent = follow(
                browser, browser.signIn(practitioner.email(), practitioner.password(), practitioner.totpSecret()));
        assertThat(consent.status()).as(consent.body()).isEqualTo(200);
        assertThat(consent.body()).contains("consent-allow", "agenda.example", "user/Appointment.rs");
        Map<String, String> redirect = query(allow(browser, consent));
        assertThat(redirect).containsEntry("state", "st-1").containsKey("code");

        Programs.Answer token = exchange(redirect.get("code"), pkce.verifier());
        assertThat(token.status()).as(token.raw()).isEqualTo(200);
        assertThat(token.body().has("refresh_token")).as("no refresh token").isFalse();
        assertThat(token.body().has("id_token"))
                .as("no ID token without openid")
                .isFalse();
        assertThat(token.body().get("expires_in").asLong()).isLessThanOrEqualTo(300);
        assertThat(token.body().get("scope").asString().split(" ")).containsExactlyInAnyOrder(SCOPES.split(" "));
        String accessToken = token.body().get("access_token").asString();
        var claims = SignedJWT.parse(accessToken).getJWTClaimsSet();
        // The program can read its token: the person in it is a pseudonym for this program, not the login id.
        assertThat(claims.getSubject())
                .startsWith("s1")
                .doesNotContain(practitioner.userId().toString())
                .doesNotContain(practitioner.userId().toString().replace("-", ""));
        assertThat(claims.getStringClaim("client_id")).isEqualTo(clientId);

        // The practitioner's own rights: their patient, with the motive (a practitioner's to see).
        IGenericClient fhir = programs.fhir(accessToken);
        Appointment appointment = valid(fhir.read()
                .resource(Appointment.class)
                .withId(booked.appointmentId().toString())
                .execute());
        assertThat(appointment.getServiceType()).isNotEmpty();
        // Each access names the program (actor) and the person it acted for.
        List<Map<String, Object>> entries = audited();
        assertThat(entries).isNotEmpty().allSatisfy(entry -> {
            assertThat(entry.get("actor_type")).isEqualTo("CLIENT");
            assertThat(entry.get("on_behalf_of")).isEqualTo(practitioner.userId());
        });
        // user/ scopes only work as user/: a system/ resource check is read in the token's context.
        assertThat(Programs.get(base + "/fhir/AuditEvent?date=ge2026-01-01", accessToken)
                        .status())
                .isEqualTo(403);

        // Locking the account stops the program's token at once.
        transactions.executeWithoutResult(status -> containment.lock(practitioner.userId()));
        assertThatThrownBy(() -> fhir.read()
                        .resource(Appointment.class)
                        .withId(booked.appointmentId().toString())
                        .execute())
                .isInstanceOf(AuthenticationException.class);
    }

    @Test
    void endingThePersonsSessionsDuringAnIncidentEndsTheProgramsTokenActingForThemToo() {
        PracticeAgenda.Booked booked =
                practice.bookNewPatient(practice.freeSlots(20).get(4).id());
        Professionals.Login practitioner = professionals.practitioner(
                practice.agenda().practitioner().id(),
                practice.agenda().establishment().id());
        PageClient browser = new PageClient(port);
        Pkce pkce = Pkce.fresh();
        browser.get(authorizePath(SCOPES, CALLBACK, pkce.challenge(), "S256", "st-e"));
        PageClient.Page consent = follow(
                browser, browser.signIn(practitioner.email(), practitioner.password(), practitioner.totpSecret()));
        Map<String, String> redirect = query(allow(browser, consent));
        String accessToken = exchange(redirect.get("code"), pkce.verifier())
                .body()
                .get("access_token")
                .asString();
        IGenericClient fhir = programs.fhir(accessToken);
        assertThat(fhir.read()
                        .resource(Appointment.class)
                        .withId(booked.appointmentId().toString())
                        .execute())
                .isNotNull();
        UUID incident = recorder.record(new RuleHit(
                Rule.DENIED_ACCESSES,
                "user:" + practitioner.userId(),
                null,
                practitioner.userId(),
                Set.of(practice.agenda().establishment().id()),
                Instant.now(),
                "20 accesses refused within PT10M"));

        Api.Response ended = api.post(
                "/api/v1/security/incidents/" + incident + "/containment",
                Map.of("action", "end-sessions"),
                officerToken);

        assertThat(ended.status()).as(ended.raw()).isEqualTo(200);
        assertThat(ended.raw()).contains("1 tokens of programs acting for it");
        assertThatThrownBy(() -> fhir.read()
                        .resource(Appointment.class)
                        .withId(booked.appointmentId().toString())
                        .execute())
                .as("the program's token for the person ends with their sessions")
                .isInstanceOf(AuthenticationException.class);
    }

    @Test
    void staffGetNoMoreThanStaffMayEvenWithTheMotiveScope() {
        PracticeAgenda.Booked booked =
                practice.bookNewPatient(practice.freeSlots(20).get(3).id());
        Professionals.Login staff = professionals.staff(
                Role.STAFF, practice.agenda().establishment().id());
        PageClient browser = new PageClient(port);
        Pkce pkce = Pkce.fresh();
        browser.signIn(staff.email(), staff.password(), staff.totpSecret());
        PageClient.Page consent =
                follow(browser, browser.get(authorizePath(SCOPES, CALLBACK, pkce.challenge(), "S256", "st-2")));
        Programs.Answer token = exchange(query(allow(browser, consent)).get("code"), pkce.verifier());
        assertThat(token.status()).as(token.raw()).isEqualTo(200);

        Appointment appointment =
                valid(programs.fhir(token.body().get("access_token").asString())
                        .read()
                        .resource(Appointment.class)
                        .withId(booked.appointmentId().toString())
                        .execute());
        assertThat(appointment.getStatus()).isEqualTo(Appointment.AppointmentStatus.BOOKED);
        // Staff never see medical content: the motive scope does not lift that, and the refusal is logged.
        assertThat(appointment.getServiceType()).isEmpty();
        assertThat(audited())
                .anySatisfy(entry -> {
                    assertThat(entry.get("outcome")).isEqualTo("DENIED");
                    assertThat((String) entry.get("fields")).contains("motive");
                })
                .allSatisfy(entry -> assertThat(entry.get("on_behalf_of")).isEqualTo(staff.userId()));
    }

    @Test
    void aPatientOrAnotherEstablishmentsProfessionalCannotAuthorizeIt() {
        Fixtures.Patient patient = Fixtures.aPatient(api);
        PageClient patientBrowser = new PageClient(port);
        patientBrowser.get(authorizePath(SCOPES, CALLBACK, Pkce.fresh().challenge(), "S256", "st-3"));
        PageClient.Page refused =
                follow(patientBrowser, patientBrowser.signIn(patient.email(), "correct horse battery staple", null));
        assertThat(refused.location()).startsWith(CALLBACK);
        assertThat(query(refused.location()))
                .containsEntry("error", "access_denied")
                .doesNotContainKey("code");

        Professionals.Login outsider = professionals.practitioner(
                elsewhere.agenda().practitioner().id(),
                elsewhere.agenda().establishment().id());
        PageClient outsiderBrowser = new PageClient(port);
        outsiderBrowser.signIn(outsider.email(), outsider.password(), outsider.totpSecret());
        PageClient.Page denied = follow(
                outsiderBrowser,
                outsiderBrowser.get(authorizePath(SCOPES, CALLBACK, Pkce.fresh().challenge(), "S256", "st-4")));
        assertThat(query(denied.location()))
                .containsEntry("error", "access_denied")
                .doesNotContainKey("code");
        // Nothing was stored for either.
        assertThat(jdbc.sql("SELECT COUNT(*) FROM third_party_client_grants WHERE client_id = ?")
                        .param(UUID.fromString(clientId))
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void pkceRedirectUrisAndCodesAreHeldStrictly() {
        Professionals.Login practitioner = professionals.practitioner(
                practice.agenda().practitioner().id(),
                practice.agenda().establishment().id());
        PageClient browser = new PageClient(port);
        browser.signIn(practitioner.email(), practitioner.password(), practitioner.totpSecret());

        // No PKCE, or the plain method: refused, no code.
        PageClient.Page noPkce = browser.get(authorizePath(SCOPES, CALLBACK, null, null, "a"));
        assertThat(query(noPkce.location()))
                .containsEntry("error", "invalid_request")
                .doesNotContainKey("code");
        PageClient.Page plain =
                browser.get(authorizePath(SCOPES, CALLBACK, "plain-challenge-" + "x".repeat(40), "plain", "b"));
        assertThat(query(plain.location()))
                .containsEntry("error", "invalid_request")
                .doesNotContainKey("code");
        // A redirect URI not registered character for character: a plain 400, nothing sent anywhere.
        for (String other : List.of(
                "https://evil.example/carnet/callback",
                CALLBACK + "/",
                CALLBACK + "?x=1",
                "http://agenda.example/carnet/callback")) {
            PageClient.Page elsewhereUri =
                    browser.get(authorizePath(SCOPES, other, Pkce.fresh().challenge(), "S256", "c"));
            assertThat(elsewhereUri.status()).as(other).isEqualTo(400);
            assertThat(elsewhereUri.location()).as(other).isNull();
            assertThat(elsewhereUri.body())
                    .as(other)
                    .contains("\"error\":\"invalid_request\"")
                    .doesNotContain("example", "callback", "\"c\"");
        }
        // A system/ scope, or one beyond the program's: refused.
        PageClient.Page system = browser.get(
                authorizePath("system/Appointment.r", CALLBACK, Pkce.fresh().challenge(), "S256", "d"));
        assertThat(query(system.location())).containsEntry("error", "invalid_scope");
        PageClient.Page beyond = browser.get(
                authorizePath("user/Appointment.rsc", CALLBACK, Pkce.fresh().challenge(), "S256", "e"));
        assertThat(query(beyond.location())).containsEntry("error", "invalid_scope");

        // The wrong verifier: refused.
        Pkce pkce = Pkce.fresh();
        String code = query(allow(
                        browser,
                        follow(browser, browser.get(authorizePath(SCOPES, CALLBACK, pkce.challenge(), "S256", "f")))))
                .get("code");
        Programs.Answer wrongVerifier = exchange(code, Pkce.fresh().verifier());
        assertThat(wrongVerifier.status()).isEqualTo(400);
        assertThat(wrongVerifier.body().get("error").asString()).isEqualTo("invalid_grant");

        // A code works once; presented again it is refused and the token it gave is revoked.
        Pkce second = Pkce.fresh();
        String once = query(allow(
                        browser,
                        follow(browser, browser.get(authorizePath(SCOPES, CALLBACK, second.challenge(), "S256", "g")))))
                .get("code");
        Programs.Answer first = exchange(once, second.verifier());
        assertThat(first.status()).as(first.raw()).isEqualTo(200);
        String accessToken = first.body().get("access_token").asString();
        assertThat(Programs.get(base + "/fhir/Appointment/" + UUID.randomUUID(), accessToken)
                        .status())
                .isEqualTo(404);
        Programs.Answer replay = exchange(once, second.verifier());
        assertThat(replay.status()).isEqualTo(400);
        assertThat(replay.body().get("error").asString()).isEqualTo("invalid_grant");
        assertThat(Programs.get(base + "/fhir/Appointment/" + UUID.randomUUID(), accessToken)
                        .status())
                .isEqualTo(401);

        // Client credentials never hand out an ID token.
        Programs.Answer openid = Programs.postForm(
                tokenEndpoint,
                Programs.tokenRequest(
                        Programs.sign(
                                key, Programs.claims(clientId, tokenEndpoint).build()),
                        "openid"));
        assertThat(openid.status()).as(openid.raw()).isEqualTo(400);
        assertThat(openid.body().get("error").asString()).isEqualTo("invalid_scope");
        assertThat(openid.raw()).doesNotContain("id_token");

        // Client credentials never hand out user/ scopes.
        Programs.Answer credentials = Programs.postForm(
                tokenEndpoint,
                Programs.tokenRequest(
                        Programs.sign(
                                key, Programs.claims(clientId, tokenEndpoint).build()),
                        "user/Appointment.r"));
        assertThat(credentials.status()).isEqualTo(400);
        assertThat(credentials.body().get("error").asString()).isEqualTo("invalid_scope");
    }

    /**
     * OpenID Connect (issue 13, item 2): with openid, the code also gives an ID token, signed by the key
     * the discovery document points to, for this program only, naming the practitioner by a pseudonym
     * that is stable for this program, different for another, and nothing else about them.
     */
    @Test
    void withOpenidTheProgramAlsoGetsAnIdTokenNamingThePersonByAPairwisePseudonym() throws Exception {
        PracticeAgenda.Booked booked =
                practice.bookNewPatient(practice.freeSlots(20).get(3).id());
        Professionals.Login practitioner = professionals.practitioner(
                practice.agenda().practitioner().id(),
                practice.agenda().establishment().id());
        PageClient browser = new PageClient(port);
        browser.signIn(practitioner.email(), practitioner.password(), practitioner.totpSecret());

        JWTClaimsSet first = idToken(browser, clientId, key, "nonce-" + UUID.randomUUID(), booked);
        JWTClaimsSet again = idToken(browser, clientId, key, "nonce-" + UUID.randomUUID(), booked);
        assertThat(again.getSubject()).as("stable for the program").isEqualTo(first.getSubject());
        assertThat(first.getSubject())
                .startsWith("s1")
                .doesNotContain(practitioner.userId().toString())
                .doesNotContain(practitioner.userId().toString().replace("-", ""));

        ECKey otherKey = Programs.ecKey();
        String other = approvedProgram(otherKey);
        JWTClaimsSet elsewhere = idToken(browser, other, otherKey, "nonce-" + UUID.randomUUID(), booked);
        assertThat(elsewhere.getSubject()).as("pairwise").isNotEqualTo(first.getSubject());
    }

    /** One authorization with openid, the code exchanged, the ID token checked and returned. */
    private JWTClaimsSet idToken(
            PageClient browser, String client, ECKey clientKey, String nonce, PracticeAgenda.Booked booked)
            throws Exception {
        Pkce pkce = Pkce.fresh();
        String path = authorizePath(client, SCOPES + " openid", CALLBACK, pkce.challenge(), "S256", "oidc") + "&nonce="
                + URLEncoder.encode(nonce, StandardCharsets.UTF_8);
        PageClient.Page consent = follow(browser, browser.get(path));
        assertThat(consent.body()).contains("openid");
        Map<String, String> redirect = query(allow(browser, client, consent));
        Programs.Answer token = exchange(client, clientKey, redirect.get("code"), pkce.verifier());
        assertThat(token.status()).as(token.raw()).isEqualTo(200);
        assertThat(token.body().has("refresh_token")).isFalse();
        // The access token works as without openid.
        assertThat(Programs.get(
                                base + "/fhir/Appointment/" + booked.appointmentId(),
                                token.body().get("access_token").asString())
                        .status())
                .isEqualTo(200);
        String accessSubject = SignedJWT.parse(token.body().get("access_token").asString())
                .getJWTClaimsSet()
                .getSubject();

        // Verified with the key the discovery document points to.
        var discovery =
                Programs.get(base + "/.well-known/openid-configuration", null).body();
        JWKSet published = JWKSet.parse(
                Programs.get(discovery.get("jwks_uri").asString(), null).raw());
        SignedJWT id = SignedJWT.parse(token.body().get("id_token").asString());
        assertThat(id.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES384);
        ECKey signer = (ECKey) published.getKeyByKeyId(id.getHeader().getKeyID());
        assertThat(id.verify(new ECDSAVerifier(signer))).isTrue();
        JWTClaimsSet claims = id.getJWTClaimsSet();
        assertThat(claims.getIssuer())
                .isEqualTo(discovery.get("issuer").asString())
                .isEqualTo(base);
        assertThat(claims.getAudience()).containsExactly(client);
        assertThat(claims.getStringClaim("azp")).isEqualTo(client);
        assertThat(claims.getStringClaim("nonce")).isEqualTo(nonce);
        assertThat(claims.getExpirationTime().getTime() - claims.getIssueTime().getTime())
                .isLessThanOrEqualTo(300_000L);
        // Nothing about the person but the pseudonym: exactly the claims discovery lists, no more.
        assertThat(Programs.strings(discovery.get("claims_supported")))
                .containsAll(claims.getClaims().keySet());
        assertThat(claims.getClaims().keySet())
                .containsExactlyInAnyOrder("iss", "sub", "aud", "exp", "iat", "azp", "nonce", "jti");
        assertThat(accessSubject).as("the access token names the person alike").isEqualTo(claims.getSubject());
        return claims;
    }

    private String approvedProgram(ECKey programKey) {
        Api.Response requested = api.post(
                "/api/v1/establishment/clients",
                Map.of(
                        "name", "Agenda Bis " + UUID.randomUUID().toString().substring(0, 8),
                        "purpose", "Shows the practitioner's day in other practice software",
                        "scopes", List.of(SCOPES.split(" ")),
                        "jwks", Programs.publicJwks(programKey),
                        "redirectUris", List.of(CALLBACK)),
                adminToken);
        assertThat(requested.status()).as(requested.raw()).isEqualTo(201);
        String id = requested.body().get("clientId").asString();
        assertThat(api.post("/api/v1/security/clients/" + id + "/approve", Map.of(), officerToken)
                        .status())
                .isEqualTo(200);
        return id;
    }

    private String authorizePath(String scope, String redirectUri, String challenge, String method, String state) {
        return authorizePath(clientId, scope, redirectUri, challenge, method, state);
    }

    private String authorizePath(
            String client, String scope, String redirectUri, String challenge, String method, String state) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("response_type", "code");
        params.put("client_id", client);
        params.put("redirect_uri", redirectUri);
        params.put("scope", scope);
        params.put("state", state);
        if (challenge != null) {
            params.put("code_challenge", challenge);
        }
        if (method != null) {
            params.put("code_challenge_method", method);
        }
        StringBuilder path = new StringBuilder("/oauth2/authorize?");
        params.forEach((name, value) -> path.append(name)
                .append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8))
                .append('&'));
        return path.substring(0, path.length() - 1);
    }

    /** Follows redirects within Carnet as a browser would; stops at a page, or at a redirect out of Carnet. */
    private PageClient.Page follow(PageClient browser, PageClient.Page page) {
        PageClient.Page current = page;
        for (int hops = 0; hops < 10 && current.status() == 302 && current.location() != null; hops++) {
            String location = current.location();
            if (location.startsWith(base)) {
                location = location.substring(base.length());
            } else if (!location.startsWith("/")) {
                return current;
            }
            current = browser.get(location);
        }
        return current;
    }

    /** Allows on the consent page: every scope it lists, with its state; returns where Carnet sends the browser. */
    private String allow(PageClient browser, PageClient.Page consent) {
        return allow(browser, clientId, consent);
    }

    private String allow(PageClient browser, String client, PageClient.Page consent) {
        Matcher state = STATE.matcher(consent.body());
        assertThat(state.find()).as("a consent page").isTrue();
        List<Map.Entry<String, String>> form = new ArrayList<>();
        form.add(Map.entry("client_id", client));
        form.add(Map.entry("state", state.group(1)));
        Matcher scope = Pattern.compile("name=\"scope\" value=\"([^\"]+)\"").matcher(consent.body());
        while (scope.find()) {
            form.add(Map.entry("scope", scope.group(1)));
        }
        PageClient.Page answer = browser.postFields("/oauth2/authorize", form);
        assertThat(answer.status()).isEqualTo(302);
        assertThat(answer.location()).startsWith(CALLBACK);
        return answer.location();
    }

    private Programs.Answer exchange(String code, String verifier) {
        return exchange(clientId, key, code, verifier);
    }

    private Programs.Answer exchange(String client, ECKey clientKey, String code, String verifier) {
        return Programs.postForm(
                tokenEndpoint,
                Programs.withAssertion(
                        Programs.sign(
                                clientKey,
                                Programs.claims(client, tokenEndpoint).build()),
                        Map.of(
                                "grant_type", "authorization_code",
                                "code", code,
                                "redirect_uri", CALLBACK,
                                "code_verifier", verifier)));
    }

    private static Map<String, String> query(String location) {
        assertThat(location).as("a redirect").isNotNull();
        String query = URI.create(location).getRawQuery();
        Map<String, String> values = new LinkedHashMap<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                values.put(
                        URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    private List<Map<String, Object>> audited() {
        return jdbc.sql("SELECT actor_type, on_behalf_of, outcome, fields FROM audit_log WHERE actor_id = ?")
                .param(UUID.fromString(clientId))
                .query()
                .listOfRows();
    }
}
