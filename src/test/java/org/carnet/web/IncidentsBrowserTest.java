package org.carnet.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.carnet.breach.Rule;
import org.carnet.breach.internal.IncidentRecorder;
import org.carnet.breach.internal.RuleHit;
import org.carnet.identity.Logins;
import org.carnet.shared.Role;
import org.carnet.support.Api;
import org.carnet.support.Browser;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Professionals;
import org.carnet.support.RequiresChromium;
import org.carnet.support.SignIn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * In Chromium, in French and in English: the security officer's console lists an open incident with
 * its countdown to the Article 33 deadline and the rule that fired, and ends the suspect account's
 * sessions in one click, which the timeline then shows. Every page is checked by axe at 375 and 1280 px.
 */
@CarnetIntegrationTest
@RequiresChromium
@TestPropertySource(properties = "carnet.breach.enabled=true")
class IncidentsBrowserTest {

    @Value("${local.server.port}")
    int port;

    @Autowired
    Logins logins;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    IncidentRecorder recorder;

    Browser browser;

    @BeforeEach
    void startBrowser() {
        browser = Browser.start(port);
    }

    @AfterEach
    void stopBrowser() {
        browser.close();
    }

    @Test
    void theOfficerSeesTheClockAndEndsTheSuspectsSessions() {
        Professionals professionals = new Professionals(logins, transactions);
        UUID establishment = UUID.randomUUID();
        Professionals.Login suspect = professionals.staff(Role.STAFF, establishment);
        String stolen = new Api(port).token(suspect);
        UUID incident = recorder.record(new RuleHit(
                Rule.NIGHT_BULK_READ,
                "user:" + suspect.userId(),
                null,
                suspect.userId(),
                Set.of(establishment),
                Instant.now(),
                "41 distinct patients read at night"));

        SignIn.professional(browser, professionals.staff(Role.SECURITY_OFFICER, null));
        browser.open("/security/incidents");
        By card = By.id("incident-" + incident);
        assertThat(browser.text(card))
                .contains("Incident grave")
                .contains("Il reste 71 h")
                .contains("Lecture massive la nuit")
                .contains(establishment.toString());
        browser.checkPage("90-security-incidents");

        browser.click(By.cssSelector("#incident-" + incident + " button.end-sessions"));
        assertThat(browser.text(By.id("incident-done"))).contains("sessions");
        assertThat(browser.text(card)).contains("Fermer toutes les sessions du compte");
        assertThat(new Api(port).get("/api/v1/me", stolen).status()).isEqualTo(401);

        browser.open("/security/incidents?lang=en");
        assertThat(browser.text(card))
                .contains("Severe incident")
                .contains("71 h")
                .contains("Bulk reading at night")
                .contains("End all the account's sessions");
        browser.checkPage("91-security-incidents-en");
    }
}
