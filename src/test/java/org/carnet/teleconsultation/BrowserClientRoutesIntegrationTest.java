package org.carnet.teleconsultation;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.carnet.support.Api;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.carnet.support.PageClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;

/**
 * The pages' session routes under /e2e and their scripts: a write without the page's CSRF token is
 * refused and changes nothing, a stranger without a session gets nothing, and each script's integrity
 * attribute is the hash of the script actually served.
 */
@CarnetIntegrationTest
class BrowserClientRoutesIntegrationTest {

    private static final Pattern SCRIPT = Pattern.compile("<script[^>]*>");
    private static final Pattern SRC = Pattern.compile("src=\"(/js/[a-z0-9-]+\\.js)\"");
    private static final Pattern INTEGRITY = Pattern.compile("integrity=\"([^\"]+)\"");

    @Value("${local.server.port}")
    int port;

    @Test
    void aWriteWithoutTheCsrfTokenIsRefusedAndPublishesNothing() {
        Api api = new Api(port);
        Map<String, Object> registration = Fixtures.aRegistration();
        Fixtures.Patient patient = Fixtures.registered(api, registration);
        PageClient pages = new PageClient(port);
        pages.signIn(patient.email(), (String) registration.get("password"), null);
        assertThat(pages.get("/account/keys").status()).isEqualTo(200);

        // A cross-site form riding on the session: no token, no publication.
        PageClient.Page forged = pages.postWithoutCsrf("/e2e/keys/me", Map.of("encryptionKey", "x"));
        assertThat(forged.status()).isEqualTo(403);
        assertThat(api.get("/api/v1/teleconsultations/keys/patient/" + patient.account(), patient.token())
                        .status())
                .isEqualTo(404);
        // Nor an account key set up, nor a device registered or linked.
        assertThat(pages.postWithoutCsrf("/e2e/keys/me/account", Map.of("encryptionKey", "x"))
                        .status())
                .isEqualTo(403);
        assertThat(pages.postWithoutCsrf("/e2e/keys/me/devices", Map.of("deviceKey", "x"))
                        .status())
                .isEqualTo(403);
        assertThat(pages.postWithoutCsrf("/e2e/keys/me/devices/" + "A".repeat(43) + "/wraps", Map.of("wraps", "x"))
                        .status())
                .isEqualTo(403);
        assertThat(api.get("/api/v1/teleconsultations/keys/me/devices", patient.token())
                        .body()
                        .size())
                .isZero();
        // Nor a message or a document into an exchange.
        assertThat(pages.postWithoutCsrf(
                                "/e2e/consultations/" + java.util.UUID.randomUUID() + "/messages",
                                Map.of("messageId", "x"))
                        .status())
                .isEqualTo(403);
        assertThat(pages.postWithoutCsrf(
                                "/e2e/consultations/" + java.util.UUID.randomUUID() + "/documents",
                                Map.of("documentId", "x"))
                        .status())
                .isEqualTo(403);
        // Without a session the routes give nothing but the way to sign in.
        PageClient stranger = new PageClient(port);
        assertThat(stranger.get("/e2e/keys/patient/" + patient.account()).status())
                .isEqualTo(302);
    }

    @Test
    void eachScriptsIntegrityIsTheHashOfTheScriptServed() throws Exception {
        Api api = new Api(port);
        Map<String, Object> registration = Fixtures.aRegistration();
        Fixtures.Patient patient = Fixtures.registered(api, registration);
        PageClient pages = new PageClient(port);
        pages.signIn(patient.email(), (String) registration.get("password"), null);
        String page = pages.get("/account/keys").body();

        Matcher scripts = SCRIPT.matcher(page);
        int checked = 0;
        HttpClient http = HttpClient.newHttpClient();
        while (scripts.find()) {
            Matcher src = SRC.matcher(scripts.group());
            Matcher integrity = INTEGRITY.matcher(scripts.group());
            assertThat(src.find()).as("a script of Carnet's").isTrue();
            assertThat(integrity.find()).as(src.group(1) + " has its integrity").isTrue();
            byte[] served = http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + src.group(1)))
                                    .build(),
                            HttpResponse.BodyHandlers.ofByteArray())
                    .body();
            String expected = "sha384-"
                    + Base64.getEncoder()
                            .encodeToString(MessageDigest.getInstance("SHA-384").digest(served));
            assertThat(integrity.group(1)).as(src.group(1)).isEqualTo(expected);
            checked++;
        }
        assertThat(checked)
                .as("e2e.js, e2e-account.js and e2e-keys.js, each with its integrity")
                .isEqualTo(3);
    }
}
