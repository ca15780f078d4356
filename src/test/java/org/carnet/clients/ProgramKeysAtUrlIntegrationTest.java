package org.carnet.clients;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import java.util.LinkedHashMap;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Issue 13, item 1: a program registered with the URL where it publishes its keys (a JWKS URL) instead
 * of the keys themselves. Carnet reads its key server when it checks an assertion, follows a rotation,
 * does not let a flood of bad assertions turn into a flood of fetches, refuses a key server that serves
 * anything but good public keys (invalid_client, never a 500), and refuses at registration a URL that
 * points into its own network. The key server is {@link KeyServer}, on 127.0.0.1, the one host the
 * tests' configuration allows.
 */
@CarnetIntegrationTest
@DirtiesContext // its administrator and officer logins must not reach tests that count the demo ones
class ProgramKeysAtUrlIntegrationTest {

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

    Api api;
    String tokenEndpoint;
    Professionals.Login admin;
    Professionals.Login officer;
    String adminToken;
    String officerToken;
    KeyServer keyServer;

    @BeforeEach
    void anAdministratorAnOfficerAndAKeyServer() throws Exception {
        api = new Api(port);
        tokenEndpoint = "http://127.0.0.1:" + port + "/oauth2/token";
        Professionals professionals = new Professionals(logins, transactions);
        UUID establishment = new Fixtures(directory, agendas)
                .aPractitionerWithSlots()
                .establishment()
                .id();
        admin = professionals.staff(Role.ESTABLISHMENT_ADMIN, establishment);
        officer = professionals.staff(Role.SECURITY_OFFICER, null);
        adminToken = api.token(admin);
        officerToken = api.token(officer);
        keyServer = new KeyServer();
    }

    @AfterEach
    void stopTheKeyServer() {
        keyServer.close();
    }

    @Test
    void anAssertionSignedByAKeyAtTheUrlGetsATokenAndARotatedKeyIsPickedUp() {
        ECKey first = Programs.ecKey();
        keyServer.serve("/agenda/jwks.json", jwks(first));
        String url = keyServer.url("/agenda/jwks.json");
        Api.Response requested = request(Map.of("jwksUri", url));
        assertThat(requested.status()).as(requested.raw()).isEqualTo(201);
        assertThat(requested.body().get("jwksUri").asString()).isEqualTo(url);
        assertThat(requested.body().get("keyIds").isEmpty()).isTrue();
        String client = requested.body().get("clientId").asString();
        // The officer sees the URL they approve.
        assertThat(api.get("/api/v1/security/clients", officerToken).body().valueStream())
                .anySatisfy(c -> {
                    assertThat(c.get("clientId").asString()).isEqualTo(client);
                    assertThat(c.get("jwksUri").asString()).isEqualTo(url);
                });
        approve(client);

        assertThat(token(client, first).status()).isEqualTo(200);
        assertThat(token(client, first).status()).isEqualTo(200);
        assertThat(keyServer.fetches("/agenda/jwks.json"))
                .as("kept, not fetched per assertion")
                .isEqualTo(1);

        // The program rotates its key at its URL: Carnet fetches again for the unknown kid.
        RSAKey second = Programs.rsaKey();
        keyServer.serve("/agenda/jwks.json", jwks(second));
        Programs.Answer rotated = token(client, second);
        assertThat(rotated.status()).as(rotated.raw()).isEqualTo(200);
        assertThat(keyServer.fetches("/agenda/jwks.json")).isEqualTo(2);
        // The retired key no longer works, and a stream of assertions with unknown keys fetches nothing more.
        assertRefused(token(client, first));
        for (int i = 0; i < 5; i++) {
            assertRefused(token(client, Programs.ecKey()));
        }
        assertThat(keyServer.fetches("/agenda/jwks.json")).as("rate limited").isEqualTo(2);
        assertThat(token(client, second).status()).isEqualTo(200);
    }

    @Test
    void aKeyServerServingAnythingButGoodPublicKeysGetsTheTokenRequestRefused() {
        ECKey key = Programs.ecKey();
        Map<String, String> served = new LinkedHashMap<>();
        served.put("/garbage", "<html>this is not a JWK Set</html>");
        served.put("/empty", "{\"keys\": []}");
        served.put("/private", new JWKSet(key).toString(false));
        served.put("/huge", "{\"keys\": [], \"padding\": \"" + "x".repeat(70_000) + "\"}");
        keyServer.redirect("/moved", keyServer.url("/good"));
        keyServer.serve("/good", jwks(key));
        for (String path : List.of("/garbage", "/empty", "/private", "/huge", "/missing", "/moved")) {
            if (served.containsKey(path)) {
                keyServer.serve(path, served.get(path));
            }
            String client = approved(Map.of("jwksUri", keyServer.url(path)));
            Programs.Answer refused = token(client, key);
            assertThat(refused.status()).as(path + ": " + refused.raw()).isEqualTo(401);
            assertThat(refused.body().get("error").asString()).isEqualTo("invalid_client");
            assertThat(refused.raw()).doesNotContain("access_token").doesNotContain("x".repeat(100));
        }
        assertThat(keyServer.fetches("/good")).as("no redirect followed").isZero();
        String good = approved(Map.of("jwksUri", keyServer.url("/good")));
        assertThat(token(good, key).status()).isEqualTo(200);
    }

    @Test
    void aUrlIntoCarnetsOwnNetworkOrNotHttpsIsRefusedAtRegistration() {
        ECKey key = Programs.ecKey();
        for (String url : List.of(
                "https://localhost/jwks.json",
                "https://127.0.0.2/jwks.json",
                "https://[::1]/jwks.json",
                "https://169.254.169.254/latest/meta-data",
                "https://10.0.0.7/jwks.json",
                "https://192.168.1.20/jwks.json",
                "https://172.16.0.1/jwks.json",
                "https://[fd00::1]/jwks.json",
                "https://0.0.0.0/jwks.json",
                "http://keys.example.com/jwks.json",
                "ftp://keys.example.com/jwks.json",
                "https://user@keys.example.com/jwks.json",
                "/jwks.json",
                "https://keys.example.com/" + "x".repeat(500))) {
            Api.Response refused = request(Map.of("jwksUri", url));
            assertThat(refused.status()).as(url).isEqualTo(400);
            assertThat(refused.raw()).as(url).contains("jwksUri");
        }
        // Exactly one of the two.
        Api.Response both = request(Map.of("jwksUri", keyServer.url("/k"), "jwks", Programs.publicJwks(key)));
        assertThat(both.status()).isEqualTo(400);
        assertThat(both.raw()).contains("jwksUri");
        Api.Response neither = request(Map.of());
        assertThat(neither.status()).isEqualTo(400);
        assertThat(neither.raw()).contains("jwks");
        assertThat(keyServer.fetches("/k")).isZero();
    }

    @Test
    void theRegistrationPageTakesAUrlAndTheOfficerSeesIt() {
        PageClient adminPages = new PageClient(port);
        adminPages.signIn(admin.email(), admin.password(), admin.totpSecret());
        ECKey key = Programs.ecKey();
        keyServer.serve("/page/jwks.json", jwks(key));
        String name = "Rappels " + UUID.randomUUID();
        Map<String, String> form = new LinkedHashMap<>();
        form.put("name", name);
        form.put("purpose", "Sends reminders");
        form.put("scopes", "system/Appointment.rs");
        form.put("jwksUri", "https://169.254.169.254/latest/meta-data");
        adminPages.get("/establishment/clients");
        PageClient.Page refused = adminPages.post("/establishment/clients", form);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains("client-error").contains("169.254.169.254");
        form.put("jwksUri", keyServer.url("/page/jwks.json"));
        adminPages.get("/establishment/clients");
        assertThat(adminPages.post("/establishment/clients", form).status()).isEqualTo(302);

        PageClient officerPages = new PageClient(port);
        officerPages.signIn(officer.email(), officer.password(), officer.totpSecret());
        assertThat(officerPages.get("/security/clients").body())
                .contains(name)
                .contains(keyServer.url("/page/jwks.json"));
    }

    // ---- helpers

    private static String jwks(JWK... keys) {
        return Programs.JSON.writeValueAsString(Programs.publicJwks(keys));
    }

    private Api.Response request(Map<String, Object> keys) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "Agenda Sync " + UUID.randomUUID());
        body.put("purpose", "Copies the practice's appointments into its agenda");
        body.put("scopes", List.of("system/Slot.rs"));
        body.putAll(keys);
        return api.post("/api/v1/establishment/clients", body, adminToken);
    }

    private void approve(String client) {
        assertThat(api.post("/api/v1/security/clients/" + client + "/approve", Map.of(), officerToken)
                        .status())
                .isEqualTo(200);
    }

    private String approved(Map<String, Object> keys) {
        Api.Response requested = request(keys);
        assertThat(requested.status()).as(requested.raw()).isEqualTo(201);
        String client = requested.body().get("clientId").asString();
        approve(client);
        return client;
    }

    private Programs.Answer token(String client, JWK key) {
        return Programs.postForm(
                tokenEndpoint,
                Programs.tokenRequest(
                        Programs.sign(
                                key, Programs.claims(client, tokenEndpoint).build()),
                        "system/Slot.rs"));
    }

    private static void assertRefused(Programs.Answer answer) {
        assertThat(answer.status()).as(answer.raw()).isEqualTo(401);
        assertThat(answer.body().get("error").asString()).isEqualTo("invalid_client");
    }
}
