package org.carnet.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import jakarta.servlet.FilterChain;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.carnet.directory.Directory;
import org.carnet.identity.Logins;
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
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 13, items 1 and 2 (backend services): a program registered by one person and approved by
 * another, then obtaining tokens the way a SMART Backend Services program does, with a client assertion
 * signed by its own key (nimbus-jose-jwt, ES384 and RS384); and every way to get a token it should not
 * have, refused. {@link Probe}, a test-only filter at {@code /fhir/test-probe}, shows who the {@code
 * /fhir/**} chain says is calling.
 */
@CarnetIntegrationTest
@Import(ThirdPartyClientIntegrationTest.Probe.class)
@DirtiesContext // its administrator and officer logins must not reach tests that count the demo ones
class ThirdPartyClientIntegrationTest {

    /**
     * Who the {@code /fhir/**} chain authenticated, and what {@link ClientScopes} answers: a servlet
     * filter after Spring Security's, since the FHIR servlet owns every other address under /fhir.
     */
    @TestConfiguration
    static class Probe {
        @Bean
        FilterRegistrationBean<OncePerRequestFilter> fhirProbe() {
            FilterRegistrationBean<OncePerRequestFilter> registration =
                    new FilterRegistrationBean<>(new OncePerRequestFilter() {
                        @Override
                        protected void doFilterInternal(
                                HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                                throws IOException {
                            Map<String, Object> seen = ClientScopes.current()
                                    .<Map<String, Object>>map(client -> Map.of(
                                            "client", client.clientId().toString(),
                                            "establishment",
                                                    client.establishment()
                                                            .value()
                                                            .toString(),
                                            "scopes",
                                                    client.scopes().stream()
                                                            .sorted()
                                                            .toList(),
                                            "readsSlots", ClientScopes.holds("system/Slot.r"),
                                            "readsPatients", ClientScopes.holds("system/Patient.r")))
                                    .orElse(Map.of("anonymous", true));
                            response.setContentType("application/json");
                            response.getWriter()
                                    .write(JsonMapper.builder().build().writeValueAsString(seen));
                        }
                    });
            registration.addUrlPatterns("/fhir/test-probe");
            registration.setOrder(0);
            return registration;
        }
    }

    @Value("${local.server.port}")
    int port;

    @Autowired
    Directory directory;

    @Autowired
    Agendas agendas;

    @Autowired
    Logins logins;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    Api api;
    String base;
    String tokenEndpoint;
    UUID establishment;
    Professionals.Login admin;
    String adminToken;
    String otherAdminToken;
    String officerToken;

    @BeforeEach
    void twoEstablishmentsAndAnOfficer() {
        api = new Api(port);
        base = "http://127.0.0.1:" + port;
        tokenEndpoint = base + "/oauth2/token";
        Professionals professionals = new Professionals(logins, transactions);
        Fixtures fixtures = new Fixtures(directory, agendas);
        establishment = fixtures.aPractitionerWithSlots().establishment().id();
        admin = professionals.staff(Role.ESTABLISHMENT_ADMIN, establishment);
        adminToken = api.token(admin);
        otherAdminToken = api.token(professionals.staff(
                Role.ESTABLISHMENT_ADMIN,
                fixtures.aPractitionerWithSlots().establishment().id()));
        officerToken = api.token(professionals.staff(Role.SECURITY_OFFICER, null));
    }

    @Test
    void registeringIsATwoPersonActWithinOneEstablishment() {
        ECKey key = Programs.ecKey();
        Api.Response requested = request("system/Slot.rs system/Appointment.rs", key);
        assertThat(requested.status()).isEqualTo(201);
        assertThat(requested.body().get("status").asString()).isEqualTo("PENDING");
        String id = requested.body().get("clientId").asString();
        assertThat(requested.header("Location")).isEqualTo("/api/v1/establishment/clients/" + id);
        assertThat(Programs.strings(requested.body().get("keyIds"))).containsExactly(key.getKeyID());

        // The administrator cannot approve their own request; another establishment's cannot even see it.
        assertThat(api.post("/api/v1/security/clients/" + id + "/approve", Map.of(), adminToken)
                        .status())
                .isEqualTo(403);
        assertThat(api.get("/api/v1/establishment/clients/" + id, otherAdminToken)
                        .status())
                .isEqualTo(404);
        assertThat(api.get("/api/v1/establishment/clients", otherAdminToken)
                        .body()
                        .valueStream())
                .noneMatch(c -> c.get("clientId").asString().equals(id));
        // An officer cannot request one (so can never approve their own).
        assertThat(api.post("/api/v1/establishment/clients", body("system/Slot.rs", key), officerToken)
                        .status())
                .isEqualTo(403);

        Api.Response approved = decide(id, "approve");
        assertThat(approved.status()).isEqualTo(200);
        assertThat(approved.body().get("status").asString()).isEqualTo("ACTIVE");
        assertThat(decide(id, "approve").status()).as("approved once").isEqualTo(409);
        assertThat(decide(id, "refuse").status())
                .as("an active program is not refused")
                .isEqualTo(409);
        assertThat(decide(id, "reinstate").status()).as("only a suspended one").isEqualTo(409);
        assertThat(api.get("/api/v1/establishment/clients/" + id, adminToken)
                        .body()
                        .get("status")
                        .asString())
                .isEqualTo("ACTIVE");
        assertThat(decide(id, "suspend").body().get("status").asString()).isEqualTo("SUSPENDED");
        assertThat(decide(id, "reinstate").body().get("status").asString()).isEqualTo("ACTIVE");
        assertThat(decide(id, "revoke").body().get("status").asString()).isEqualTo("REVOKED");
        assertThat(decide(id, "reinstate").status()).as("revoked is final").isEqualTo(409);
        assertThat(decide(UUID.randomUUID().toString(), "approve").status()).isEqualTo(404);

        // Every change recorded, who and when; the administrator told of each in their inbox.
        List<String> changes = jdbc.sql("SELECT to_status FROM third_party_client_changes WHERE client_id = ?"
                        + " ORDER BY changed_at, id")
                .param(UUID.fromString(id))
                .query(String.class)
                .list();
        assertThat(changes).containsExactly("PENDING", "ACTIVE", "SUSPENDED", "ACTIVE", "REVOKED");
        await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> jdbc.sql("SELECT COUNT(*) FROM notices WHERE event_key LIKE ?")
                                .param("client-state-changed:" + id + ":%")
                                .query(Long.class)
                                .single(),
                        count -> count == 4);
        // A refused one stays refused.
        String other = request("system/Slot.rs", Programs.ecKey())
                .body()
                .get("clientId")
                .asString();
        assertThat(decide(other, "refuse").body().get("status").asString()).isEqualTo("REFUSED");
        assertThat(decide(other, "approve").status()).isEqualTo(409);
    }

    @Test
    void aRegistrationHoldsOnlyKnownScopesAndStrongPublicKeys() throws Exception {
        ECKey key = Programs.ecKey();
        assertThat(request("system/Slot.x", key).status()).isEqualTo(400);
        assertThat(request("system/Prescription.r", key).status()).isEqualTo(400);
        assertThat(request("system/Slot.sr", key).status())
                .as("permissions in cruds order")
                .isEqualTo(400);
        assertThat(request("user/Slot.r", key).status())
                .as("user/ scopes need a redirect URI")
                .isEqualTo(400);
        assertThat(request("system/Slot.r system/Slot.s", key).status()).isEqualTo(400);

        Map<String, Object> withPrivateKey = Map.of("keys", List.of(key.toJSONObject()));
        Api.Response leaked =
                api.post("/api/v1/establishment/clients", body("system/Slot.rs", withPrivateKey), adminToken);
        assertThat(leaked.status()).isEqualTo(400);
        assertThat(leaked.raw()).doesNotContain(key.getD().toString());

        ECKey p256 = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256)
                .keyID("p256")
                .generate();
        assertThat(request("system/Slot.rs", p256).status()).isEqualTo(400);
        KeyPairGenerator weak = KeyPairGenerator.getInstance("RSA");
        weak.initialize(1024);
        RSAKey rsa1024 = new RSAKey.Builder(
                        (RSAPublicKey) weak.generateKeyPair().getPublic())
                .keyID("weak")
                .build();
        assertThat(request("system/Slot.rs", rsa1024).status()).isEqualTo(400);
        assertThat(request("system/Slot.rs", Programs.rsaKey()).status()).isEqualTo(201);
    }

    @Test
    void aSignedAssertionGetsAFiveMinuteTokenWithExactlyTheApprovedScopes() throws Exception {
        for (JWK key : List.of(Programs.ecKey(), Programs.rsaKey())) {
            String client = approved("system/Slot.rs system/Appointment.rs", key);
            Programs.Answer answer = token(client, key, "system/Slot.rs system/Appointment.rs");
            assertThat(answer.status()).as(answer.raw()).isEqualTo(200);
            assertThat(answer.body().get("token_type").asString()).isEqualTo("Bearer");
            assertThat(answer.body().get("expires_in").asLong()).isBetween(290L, 300L);
            assertThat(answer.body().has("refresh_token")).isFalse();
            assertThat(answer.body().get("scope").asString().split(" "))
                    .containsExactlyInAnyOrder("system/Slot.rs", "system/Appointment.rs");

            String token = answer.body().get("access_token").asString();
            SignedJWT jwt = SignedJWT.parse(token);
            assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES384);
            JWKSet published =
                    JWKSet.parse(Programs.get(base + "/oauth2/jwks", null).raw());
            assertThat(published.getKeys()).allMatch(k -> !k.isPrivate());
            ECKey signer = (ECKey) published.getKeyByKeyId(jwt.getHeader().getKeyID());
            assertThat(jwt.verify(new ECDSAVerifier(signer))).isTrue();
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            assertThat(claims.getSubject()).isEqualTo(client);
            assertThat(claims.getStringClaim("client_id")).isEqualTo(client);
            assertThat(claims.getStringClaim("establishment_id")).isEqualTo(establishment.toString());
            assertThat(Duration.between(
                            claims.getIssueTime().toInstant(),
                            claims.getExpirationTime().toInstant()))
                    .isEqualTo(Duration.ofMinutes(5));

            Programs.Answer probe = Programs.get(base + "/fhir/test-probe", token);
            assertThat(probe.status()).isEqualTo(200);
            assertThat(probe.body().get("client").asString()).isEqualTo(client);
            assertThat(probe.body().get("establishment").asString()).isEqualTo(establishment.toString());
            assertThat(probe.body().get("readsSlots").asBoolean()).isTrue();
            assertThat(probe.body().get("readsPatients").asBoolean()).isFalse();

            // A token may carry fewer scopes than granted, never more.
            Programs.Answer fewer = token(client, key, "system/Slot.r");
            assertThat(fewer.body().get("scope").asString()).isEqualTo("system/Slot.r");
            assertThat(Programs.strings(Programs.get(
                                    base + "/fhir/test-probe",
                                    fewer.body().get("access_token").asString())
                            .body()
                            .get("scopes")))
                    .containsExactly("system/Slot.r");
        }
        // Without a token, only the public FHIR resources answer; this address is not one of them.
        assertUnauthorized(Programs.get(base + "/fhir/test-probe", null));
        assertThat(Programs.get(base + "/fhir/metadata", null).status()).isEqualTo(200);
        // Nothing readable at rest: only the token's hash is kept.
        assertThat(jdbc.sql("SELECT COUNT(*) FROM third_party_client_tokens")
                        .query(Long.class)
                        .single())
                .isGreaterThanOrEqualTo(4);
    }

    @Test
    void everyWrongAssertionOrRequestIsRefused() throws Exception {
        ECKey key = Programs.ecKey();
        String client = approved("system/Slot.rs", key);

        // Signed by another key than the registered one.
        assertRefused(Programs.postForm(
                tokenEndpoint,
                Programs.tokenRequest(
                        Programs.sign(
                                Programs.ecKey(),
                                Programs.claims(client, tokenEndpoint).build()),
                        "system/Slot.rs")));
        // Replayed: the same assertion a second time.
        String once = Programs.sign(key, Programs.claims(client, tokenEndpoint).build());
        assertThat(Programs.postForm(tokenEndpoint, Programs.tokenRequest(once, "system/Slot.rs"))
                        .status())
                .isEqualTo(200);
        assertRefused(Programs.postForm(tokenEndpoint, Programs.tokenRequest(once, "system/Slot.rs")));
        // Meant for another audience.
        assertRefused(
                assertion(key, Programs.claims(client, base + "/somewhere-else").build()));
        assertRefused(assertion(key, Programs.claims(client, base).build()));
        // Expired, or valid for longer than 5 minutes, or without exp or jti.
        Instant now = Instant.now();
        assertRefused(assertion(
                key,
                Programs.claims(client, tokenEndpoint)
                        .issueTime(Date.from(now.minusSeconds(600)))
                        .expirationTime(Date.from(now.minusSeconds(120)))
                        .build()));
        assertRefused(assertion(
                key,
                Programs.claims(client, tokenEndpoint)
                        .expirationTime(Date.from(now.plusSeconds(900)))
                        .build()));
        assertRefused(assertion(
                key, Programs.claims(client, tokenEndpoint).expirationTime(null).build()));
        assertRefused(assertion(
                key, Programs.claims(client, tokenEndpoint).jwtID(null).build()));
        // Another program's id as issuer or subject.
        assertNoToken(assertion(
                key,
                Programs.claims(client, tokenEndpoint)
                        .subject(UUID.randomUUID().toString())
                        .build()));
        // This program's key, naming another program.
        String someoneElse = approved("system/Slot.rs", Programs.ecKey());
        assertRefused(assertion(key, Programs.claims(someoneElse, tokenEndpoint).build()));
        // HS256 keyed with the public key's bytes, and alg none.
        JWTClaimsSet claims = Programs.claims(client, tokenEndpoint).build();
        SignedJWT hmac = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        hmac.sign(new MACSigner(
                java.util.Arrays.copyOf(key.toPublicJWK().toJSONString().getBytes(), 64)));
        assertRefused(Programs.postForm(tokenEndpoint, Programs.tokenRequest(hmac.serialize(), "system/Slot.rs")));
        String none = new PlainJWT(
                        new PlainHeader(),
                        Programs.claims(client, tokenEndpoint).build())
                .serialize();
        assertRefused(Programs.postForm(tokenEndpoint, Programs.tokenRequest(none, "system/Slot.rs")));
        // ES384 is the only EC algorithm: the same key signing ES512 is refused, and so is RS256 for RSA.
        RSAKey rsa = Programs.rsaKey();
        String rsaClient = approved("system/Slot.rs", rsa);
        assertRefused(Programs.postForm(
                tokenEndpoint,
                Programs.tokenRequest(
                        Programs.sign(
                                rsa,
                                JWSAlgorithm.RS256,
                                Programs.claims(rsaClient, tokenEndpoint).build()),
                        "system/Slot.rs")));
        assertThat(token(rsaClient, rsa, "system/Slot.rs").status()).isEqualTo(200);

        // Scopes beyond the registration.
        Programs.Answer beyond = token(client, key, "system/Slot.rs system/Patient.r");
        assertThat(beyond.status()).isEqualTo(400);
        assertThat(beyond.body().get("error").asString()).isEqualTo("invalid_scope");
        assertThat(token(client, key, "system/Slot.rsc").status()).isEqualTo(400);

        // A program that is pending, or refused, gets nothing.
        ECKey pendingKey = Programs.ecKey();
        String pending =
                request("system/Slot.rs", pendingKey).body().get("clientId").asString();
        assertRefused(token(pending, pendingKey, "system/Slot.rs"));
        assertThat(decide(pending, "refuse").status()).isEqualTo(200);
        assertRefused(token(pending, pendingKey, "system/Slot.rs"));
        // And the right assertion still works after all that.
        assertThat(token(client, key, "system/Slot.rs").status()).isEqualTo(200);
    }

    @Test
    void revocationAndIntrospectionAnswerAboutTheProgramsOwnTokens() {
        ECKey key = Programs.ecKey();
        String client = approved("system/Slot.rs", key);
        String token =
                token(client, key, "system/Slot.rs").body().get("access_token").asString();

        Programs.Answer active = introspect(client, key, token);
        assertThat(active.status()).isEqualTo(200);
        assertThat(active.body().get("active").asBoolean()).isTrue();
        assertThat(active.body().get("client_id").asString()).isEqualTo(client);
        assertThat(active.body().get("scope").asString()).isEqualTo("system/Slot.rs");
        assertThat(active.body().get("establishment_id").asString()).isEqualTo(establishment.toString());

        // Another program learns nothing about it, and cannot revoke it.
        ECKey otherKey = Programs.ecKey();
        String other = approved("system/Slot.rs", otherKey);
        assertThat(introspect(other, otherKey, token).body().get("active").asBoolean())
                .isFalse();
        Programs.Answer notTheirs = Programs.postForm(
                base + "/oauth2/revoke",
                Programs.withAssertion(
                        Programs.sign(
                                otherKey, Programs.claims(other, tokenEndpoint).build()),
                        Map.of("token", token)));
        assertThat(notTheirs.status()).isEqualTo(400);
        assertThat(notTheirs.body().get("error").asString()).isEqualTo("invalid_client");
        assertThat(Programs.get(base + "/fhir/test-probe", token).status()).isEqualTo(200);

        Programs.Answer revoked = Programs.postForm(
                base + "/oauth2/revoke",
                Programs.withAssertion(
                        Programs.sign(
                                key, Programs.claims(client, tokenEndpoint).build()),
                        Map.of("token", token)));
        assertThat(revoked.status()).isEqualTo(200);
        assertThat(introspect(client, key, token).body().get("active").asBoolean())
                .isFalse();
        assertUnauthorized(Programs.get(base + "/fhir/test-probe", token));
        // An unknown or forged token is refused too, never taken as anonymous.
        assertUnauthorized(Programs.get(base + "/fhir/test-probe", token.substring(0, token.length() - 4) + "AAAA"));
        assertUnauthorized(Programs.get(base + "/fhir/test-probe", "not-a-token"));
    }

    @Test
    void aSuspendedProgramsTokenIsRefusedOnItsNextCall() {
        ECKey key = Programs.ecKey();
        String client = approved("system/Slot.rs", key);
        String token =
                token(client, key, "system/Slot.rs").body().get("access_token").asString();
        assertThat(Programs.get(base + "/fhir/test-probe", token).status()).isEqualTo(200);

        assertThat(decide(client, "suspend").status()).isEqualTo(200);
        assertUnauthorized(Programs.get(base + "/fhir/test-probe", token));
        assertRefused(token(client, key, "system/Slot.rs"));

        // Reinstated, it gets new tokens; the old one stays revoked.
        assertThat(decide(client, "reinstate").status()).isEqualTo(200);
        assertUnauthorized(Programs.get(base + "/fhir/test-probe", token));
        String fresh =
                token(client, key, "system/Slot.rs").body().get("access_token").asString();
        assertThat(Programs.get(base + "/fhir/test-probe", fresh).status()).isEqualTo(200);

        assertThat(decide(client, "revoke").status()).isEqualTo(200);
        assertUnauthorized(Programs.get(base + "/fhir/test-probe", fresh));

        // The program's state alone stops its tokens, whatever else marks them (checked on every request).
        ECKey otherKey = Programs.ecKey();
        String other = approved("system/Slot.rs", otherKey);
        String live = token(other, otherKey, "system/Slot.rs")
                .body()
                .get("access_token")
                .asString();
        jdbc.sql("UPDATE third_party_clients SET status = 'SUSPENDED' WHERE id = ?")
                .param(UUID.fromString(other))
                .update();
        assertUnauthorized(Programs.get(base + "/fhir/test-probe", live));
        assertThat(api.get("/api/v1/establishment/clients/" + client, adminToken)
                        .body()
                        .get("tokensIssued")
                        .asLong())
                .isEqualTo(2);
    }

    @Test
    void discoveryDescribesExactlyWhatTheServerAccepts() {
        ECKey key = Programs.ecKey();
        String client = approved("system/Slot.rs", key);
        for (String path : List.of(
                "/.well-known/smart-configuration",
                "/.well-known/oauth-authorization-server",
                "/.well-known/openid-configuration")) {
            JsonNode metadata = Programs.get(base + path, null).body();
            assertThat(metadata.get("issuer").asString()).isEqualTo(base);
            // The token endpoint it names is where tokens come from, and the aud an assertion must carry.
            String endpoint = metadata.get("token_endpoint").asString();
            assertThat(endpoint).isEqualTo(tokenEndpoint);
            assertThat(Programs.postForm(
                                    endpoint,
                                    Programs.tokenRequest(
                                            Programs.sign(
                                                    key,
                                                    Programs.claims(client, endpoint)
                                                            .build()),
                                            "system/Slot.rs"))
                            .status())
                    .isEqualTo(200);
            assertThat(Programs.strings(metadata.get("grant_types_supported")))
                    .containsExactlyInAnyOrder("authorization_code", "client_credentials");
            assertThat(Programs.strings(metadata.get("response_types_supported")))
                    .containsExactly("code");
            assertThat(Programs.strings(metadata.get("code_challenge_methods_supported")))
                    .containsExactly("S256");
            assertThat(metadata.get("authorization_endpoint").asString()).isEqualTo(base + "/oauth2/authorize");
            assertThat(metadata.has("refresh_token")).isFalse();
            assertThat(Programs.strings(metadata.get("token_endpoint_auth_methods_supported")))
                    .containsExactly("private_key_jwt");
            assertThat(Programs.strings(metadata.get("token_endpoint_auth_signing_alg_values_supported")))
                    .containsExactlyInAnyOrder("ES384", "RS384");
            assertThat(Programs.strings(metadata.get("scopes_supported")))
                    .contains(
                            "system/Slot.cruds",
                            "system/Patient.cruds",
                            "system/Appointment.cruds",
                            "carnet/Patient.contact",
                            "carnet/Appointment.motive")
                    .contains("user/Slot.cruds", "user/Appointment.cruds")
                    .contains("openid")
                    .allMatch(scope -> scope.startsWith("system/")
                            || scope.startsWith("user/")
                            || scope.startsWith("carnet/")
                            || scope.equals("openid"));
            assertThat(Programs.get(metadata.get("jwks_uri").asString(), null).status())
                    .isEqualTo(200);
            assertThat(metadata.get("introspection_endpoint").asString()).isEqualTo(base + "/oauth2/introspect");
            assertThat(metadata.get("revocation_endpoint").asString()).isEqualTo(base + "/oauth2/revoke");
            // Every endpoint it names answers (without credentials: a refusal, never a 404); none it does not serve.
            for (String named : List.of("introspection_endpoint", "revocation_endpoint")) {
                assertThat(Programs.postForm(metadata.get(named).asString(), Map.of("token", "x"))
                                .status())
                        .as(named)
                        .isEqualTo(401);
            }
            assertThat(Programs.get(metadata.get("authorization_endpoint").asString(), null)
                            .status())
                    .as("it answers: a request without client_id is refused")
                    .isEqualTo(400);
            assertThat(metadata.has("userinfo_endpoint")).isFalse();
            assertThat(metadata.has("registration_endpoint")).isFalse();
            assertThat(metadata.has("end_session_endpoint")).isFalse();
        }
        JsonNode openid =
                Programs.get(base + "/.well-known/openid-configuration", null).body();
        assertThat(Programs.strings(openid.get("subject_types_supported"))).containsExactly("pairwise");
        assertThat(Programs.strings(openid.get("id_token_signing_alg_values_supported")))
                .containsExactly("ES384");
        // A backend-services token never comes with an ID token, and openid is no scope for it.
        Programs.Answer backend = token(client, key, "system/Slot.rs");
        assertThat(backend.status()).isEqualTo(200);
        assertThat(backend.body().has("id_token")).isFalse();
        // No userinfo endpoint: nothing answers there with a program's token (the page chain sends it to sign in).
        assertThat(Programs.get(
                                base + "/userinfo",
                                backend.body().get("access_token").asString())
                        .status())
                .isEqualTo(302);
        Programs.Answer openidScope = token(client, key, "openid");
        assertThat(openidScope.status()).isEqualTo(400);
        assertThat(openidScope.body().get("error").asString()).isEqualTo("invalid_scope");
        assertThat(Programs.strings(Programs.get(base + "/.well-known/smart-configuration", null)
                        .body()
                        .get("capabilities")))
                .containsExactlyInAnyOrder(
                        "launch-standalone", "client-confidential-asymmetric", "permission-v2", "permission-user")
                .noneMatch(capability -> capability.startsWith("context-")
                        || capability.equals("permission-offline")
                        || capability.equals("client-public"));

        // What it does not list, it does not accept: other grants, a client secret.
        Programs.Answer refreshGrant = Programs.postForm(
                tokenEndpoint,
                Programs.withAssertion(
                        Programs.sign(
                                key, Programs.claims(client, tokenEndpoint).build()),
                        Map.of("grant_type", "refresh_token", "refresh_token", "x")));
        assertThat(refreshGrant.status()).isEqualTo(400);
        Programs.Answer codeGrant = Programs.postForm(
                tokenEndpoint,
                Programs.withAssertion(
                        Programs.sign(
                                key, Programs.claims(client, tokenEndpoint).build()),
                        Map.of("grant_type", "authorization_code", "code", "x", "redirect_uri", base + "/")));
        assertThat(codeGrant.status()).isEqualTo(400);
        assertRefused(Programs.postForm(
                tokenEndpoint,
                Map.of("grant_type", "client_credentials", "client_id", client, "client_secret", "guess")));
        // The authorization endpoint is for programs registered for the authorization code. This one (client
        // credentials only) and an unknown one get a 400 with an OAuth2 error that echoes nothing, sent nowhere.
        String elsewhere = "https://elsewhere.example/callback";
        String unknown = UUID.randomUUID().toString();
        for (String query : List.of(
                "response_type=code&client_id=" + client,
                "response_type=code&client_id=" + client + "&state=st-probe&redirect_uri=" + elsewhere,
                "response_type=code&client_id=" + client + "&state=st-probe&scope=user/Slot.rs"
                        + "&code_challenge_method=S256&code_challenge=" + "a".repeat(43),
                "response_type=code&client_id=" + unknown + "&state=st-probe&redirect_uri=" + elsewhere)) {
            Programs.Answer authorize = Programs.get(base + "/oauth2/authorize?" + query, null);
            assertThat(authorize.status()).as(query).isEqualTo(400);
            assertThat(authorize.headers().firstValue("Location")).as(query).isEmpty();
            assertThat(authorize.body().get("error").asString())
                    .as(query)
                    .isEqualTo(query.contains(client) ? "unauthorized_client" : "invalid_request");
            assertThat(authorize.raw()).doesNotContain("st-probe", "elsewhere", "Slot", client, unknown);
        }
    }

    @Test
    void thePagesLetTheAdministratorRequestAndTheOfficerDecide() {
        PageClient adminPages = new PageClient(port);
        adminPages.signIn(admin.email(), admin.password(), admin.totpSecret());
        assertThat(adminPages.get("/establishment/clients").status()).isEqualTo(200);
        ECKey key = Programs.ecKey();
        String name = "Rappels " + UUID.randomUUID();
        // A private key pasted by mistake is refused, and not shown back.
        PageClient.Page leaked = adminPages.post(
                "/establishment/clients",
                Map.of(
                        "name",
                        name,
                        "purpose",
                        "Sends reminders",
                        "scopes",
                        "system/Appointment.rs",
                        "jwks",
                        Programs.JSON.writeValueAsString(Map.of("keys", List.of(key.toJSONObject())))));
        assertThat(leaked.status()).isEqualTo(400);
        assertThat(leaked.body()).doesNotContain(key.getD().toString()).contains("client-error");
        adminPages.get("/establishment/clients");
        PageClient.Page requested = adminPages.post(
                "/establishment/clients",
                Map.of(
                        "name",
                        name,
                        "purpose",
                        "Sends reminders",
                        "scopes",
                        "system/Appointment.rs system/Slot.rs",
                        "jwks",
                        Programs.JSON.writeValueAsString(Programs.publicJwks(key))));
        assertThat(requested.status()).isEqualTo(302);
        String listed = adminPages.get("/establishment/clients").body();
        assertThat(listed).contains(name).contains("En attente").contains("client-requested");
        String id = jdbc.sql("SELECT id FROM third_party_clients WHERE program = ?")
                .param(name)
                .query(UUID.class)
                .single()
                .toString();
        assertThat(adminPages.get("/security/clients").status()).isEqualTo(403);

        PageClient officerPages = new PageClient(port);
        Professionals.Login officer = new Professionals(logins, transactions).staff(Role.SECURITY_OFFICER, null);
        officerPages.signIn(officer.email(), officer.password(), officer.totpSecret());
        assertThat(officerPages.get("/security/clients").body()).contains(name).contains("approve-client");
        assertThat(officerPages
                        .post("/security/clients/" + id + "/approve", Map.of())
                        .status())
                .isEqualTo(302);
        assertThat(officerPages.get("/security/clients").body()).contains("client-decided");
        assertThat(officerPages
                        .post("/security/clients/" + id + "/approve", Map.of())
                        .status())
                .isEqualTo(302);
        assertThat(officerPages.get("/security/clients").body()).contains("client-conflict");
        assertThat(adminPages.get("/establishment/clients").body()).contains("Actif");
        assertThat(token(id, key, "system/Slot.rs").status()).isEqualTo(200);
    }

    // ---- helpers

    private Api.Response request(String scopes, JWK key) {
        return api.post("/api/v1/establishment/clients", body(scopes, key), adminToken);
    }

    private static Map<String, Object> body(String scopes, JWK key) {
        return body(scopes, Programs.publicJwks(key));
    }

    private static Map<String, Object> body(String scopes, Map<String, Object> jwks) {
        return Map.of(
                "name",
                "Agenda Sync " + UUID.randomUUID(),
                "purpose",
                "Copies the practice's appointments into its agenda",
                "scopes",
                List.of(scopes.split(" ")),
                "jwks",
                jwks);
    }

    private Api.Response decide(String client, String decision) {
        return api.post("/api/v1/security/clients/" + client + "/" + decision, Map.of(), officerToken);
    }

    private String approved(String scopes, JWK key) {
        Api.Response requested = request(scopes, key);
        assertThat(requested.status()).as(requested.raw()).isEqualTo(201);
        String id = requested.body().get("clientId").asString();
        assertThat(decide(id, "approve").status()).isEqualTo(200);
        return id;
    }

    private Programs.Answer token(String client, JWK key, String scope) {
        return Programs.postForm(
                tokenEndpoint,
                Programs.tokenRequest(
                        Programs.sign(
                                key, Programs.claims(client, tokenEndpoint).build()),
                        scope));
    }

    private Programs.Answer assertion(JWK key, JWTClaimsSet claims) {
        return Programs.postForm(tokenEndpoint, Programs.tokenRequest(Programs.sign(key, claims), "system/Slot.rs"));
    }

    private Programs.Answer introspect(String client, JWK key, String token) {
        return Programs.postForm(
                base + "/oauth2/introspect",
                Programs.withAssertion(
                        Programs.sign(
                                key, Programs.claims(client, tokenEndpoint).build()),
                        Map.of("token", token)));
    }

    private static void assertRefused(Programs.Answer answer) {
        assertThat(answer.status()).as(answer.raw()).isEqualTo(401);
        assertThat(answer.body().get("error").asString()).isEqualTo("invalid_client");
        assertThat(answer.raw()).doesNotContain("access_token");
    }

    /** Refused one way or another: a malformed request (400) or a failed client authentication (401). */
    private static void assertNoToken(Programs.Answer answer) {
        assertThat(answer.status()).as(answer.raw()).isIn(400, 401);
        assertThat(answer.body().get("error").asString()).isIn("invalid_request", "invalid_client");
        assertThat(answer.raw()).doesNotContain("access_token");
    }

    private static void assertUnauthorized(Programs.Answer answer) {
        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(header -> assertThat(header).startsWith("Bearer"));
    }
}
