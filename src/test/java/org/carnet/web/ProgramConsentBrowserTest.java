package org.carnet.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.ECKey;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.carnet.clients.Programs;
import org.carnet.directory.Directory;
import org.carnet.identity.Logins;
import org.carnet.scheduling.Agendas;
import org.carnet.shared.Role;
import org.carnet.support.Api;
import org.carnet.support.Browser;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.carnet.support.Professionals;
import org.carnet.support.RequiresChromium;
import org.carnet.support.SignIn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A professional letting a program act for them, in Chromium: Carnet's sign-in, then the consent page
 * (checked like every page: axe-core, 375 px), then the browser really reaches the program's loopback
 * redirect URI with the code, which a Content-Security-Policy of {@code form-action 'self'} alone would
 * have stopped.
 */
@CarnetIntegrationTest
@DirtiesContext // its administrator and officer logins must not reach tests that count the demo ones
@RequiresChromium
class ProgramConsentBrowserTest {

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

    Browser browser;
    HttpServer program;

    @AfterEach
    void close() {
        if (browser != null) {
            browser.close();
        }
        if (program != null) {
            program.stop(0);
        }
    }

    @Test
    void aPractitionerConsentsAndTheProgramReceivesItsCode() throws Exception {
        CompletableFuture<String> received = new CompletableFuture<>();
        program = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        program.createContext("/callback", exchange -> {
            received.complete(exchange.getRequestURI().getRawQuery());
            byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        program.start();
        String callback = "http://127.0.0.1:" + program.getAddress().getPort() + "/callback";

        Api api = new Api(port);
        Professionals professionals = new Professionals(logins, transactions);
        Fixtures.Agenda agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        UUID establishment = agenda.establishment().id();
        String admin = api.token(professionals.staff(Role.ESTABLISHMENT_ADMIN, establishment));
        String officer = api.token(professionals.staff(Role.SECURITY_OFFICER, null));
        ECKey key = Programs.ecKey();
        Api.Response requested = api.post(
                "/api/v1/establishment/clients",
                Map.of(
                        "name", "Cabinet Pro",
                        "purpose", "Shows the practitioner's day",
                        "scopes", List.of("user/Appointment.rs", "carnet/Appointment.motive"),
                        "jwks", Programs.publicJwks(key),
                        "redirectUris", List.of(callback)),
                admin);
        assertThat(requested.status()).as(requested.raw()).isEqualTo(201);
        String clientId = requested.body().get("clientId").asString();
        assertThat(api.post("/api/v1/security/clients/" + clientId + "/approve", Map.of(), officer)
                        .status())
                .isEqualTo(200);
        Professionals.Login practitioner =
                professionals.practitioner(agenda.practitioner().id(), establishment);

        browser = Browser.start(port);
        browser.open("/oauth2/authorize?response_type=code&client_id=" + clientId + "&redirect_uri="
                + URLEncoder.encode(callback, StandardCharsets.UTF_8)
                + "&scope=" + URLEncoder.encode("user/Appointment.rs carnet/Appointment.motive", StandardCharsets.UTF_8)
                + "&state=browser-state&code_challenge=" + "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
                + "&code_challenge_method=S256");
        SignIn.fillForm(browser, practitioner.email(), practitioner.password());
        SignIn.secondFactor(browser, practitioner.totpSecret());
        browser.visible(By.id("consent-allow-button"));
        assertThat(browser.text(By.id("consent-program"))).isEqualTo("Cabinet Pro");
        assertThat(browser.text(By.id("consent-rights"))).contains("user/Appointment.rs", "carnet/Appointment.motive");
        browser.checkPage("oauth-consent");

        browser.click(By.id("consent-allow-button"));
        String query = received.get(30, TimeUnit.SECONDS);
        assertThat(query).contains("code=").contains("state=browser-state").doesNotContain("error");
    }
}
