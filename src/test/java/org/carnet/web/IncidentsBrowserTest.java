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
 * sessions in one click, which the timeline then shows; downloads the Article 33 draft, tells the exposed
 * patients, closes the incident and finds it in the breach register. Every page is checked by axe at 375
 * and 1280 px.
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
    void theOfficerSeesTheClockAndEndsTheSuspectsSessions() throws Exception {
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

        browser.clickToNewPage(By.cssSelector("#incident-" + incident + " button.end-sessions"));
        assertThat(browser.text(By.id("incident-done"))).contains("sessions");
        assertThat(browser.text(card)).contains("Fermer toutes les sessions du compte");
        assertThat(new Api(port).get("/api/v1/me", stolen).status()).isEqualTo(401);

        // Notify: the establishment's Article 33 draft downloads as a PDF with the page session, and the
        // decision to tell the exposed patients (none here: the account read nobody) is on the timeline.
        String draft = browser.visible(By.cssSelector("#incident-" + incident + " a.article-33"))
                .getAttribute("href");
        assertThat(draft).contains("establishment=" + establishment);
        assertThat(pdfStart(draft)).isEqualTo("%PDF-");
        browser.click(By.cssSelector("#incident-" + incident + " a.article-33-page"));
        assertThat(browser.text(By.id("article-33")))
                .contains("Notification initiale")
                .contains("Nombre approximatif de personnes concernées : 0")
                .contains("fin de toutes les sessions");
        browser.checkPage("90b-article-33");
        browser.open("/security/incidents");
        browser.clickToNewPage(By.cssSelector("#incident-" + incident + " button.article-34"));
        assertThat(browser.text(By.id("incident-told"))).contains("Patients informés : 0");
        assertThat(browser.text(card)).contains("patients exposés informés");

        browser.open("/security/incidents?lang=en");
        assertThat(browser.text(card))
                .contains("Severe incident")
                .contains("71 h")
                .contains("Bulk reading at night")
                .contains("End all the account's sessions")
                .contains("Tell the exposed patients");
        browser.checkPage("91-security-incidents-en");

        // Closed, it leaves the console and stays in the breach register, with its decisions pending.
        browser.clickToNewPage(By.cssSelector("#incident-" + incident + " button.close-incident"));
        assertThat(browser.text(By.id("incident-done"))).contains("closed");
        assertThat(browser.driver().findElements(card)).isEmpty();
        browser.click(By.id("breach-register-link"));
        assertThat(browser.text(By.tagName("h1"))).isEqualTo("Data breach register");
        By row = By.id("register-" + incident);
        assertThat(browser.text(row))
                .contains("Closed")
                .contains("Bulk reading at night")
                .contains("awaiting a decision")
                .contains("end-sessions");
        browser.checkPage("92-breach-register-en");
        browser.open("/security/incidents/register?lang=fr");
        assertThat(browser.text(row)).contains("Clos").contains("en attente de décision");
        browser.checkPage("93-breach-register");
    }

    @Test
    void theOfficerPutsAnEstablishmentInReadOnlyModeLiftsItAndRecordsTheCnilDecision() {
        Professionals professionals = new Professionals(logins, transactions);
        UUID establishment = UUID.randomUUID();
        Professionals.Login suspect = professionals.staff(Role.STAFF, establishment);
        String member = new Api(port).token(professionals.staff(Role.ESTABLISHMENT_ADMIN, establishment));
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
        String at = "#establishment-" + incident + "-" + establishment;

        browser.clickToNewPage(By.cssSelector(at + " button.read-only-establishment"));
        assertThat(browser.text(By.id("incident-done"))).contains("lecture seule");
        assertThat(browser.text(By.cssSelector(at + " .read-only-state"))).contains("En lecture seule");
        assertThat(browser.text(By.id("incident-" + incident))).contains("Passer l’établissement en lecture seule");
        browser.checkPage("90c-security-incidents-read-only");
        browser.clickToNewPage(By.cssSelector(at + " button.lift-read-only"));
        assertThat(browser.text(By.id("incident-done"))).contains("Lecture seule levée");
        assertThat(browser.driver().findElements(By.cssSelector(at + " .read-only-state")))
                .isEmpty();

        browser.clickToNewPage(By.cssSelector(at + " button.end-establishment-sessions"));
        assertThat(browser.text(By.id("incident-done"))).contains("Les sessions des patients ne sont pas touchées");
        assertThat(new Api(port).get("/api/v1/me", member).status()).isEqualTo(401);

        // The decision about notifying the CNIL: notified without the reference is explained beside the form.
        browser.open("/security/incidents?lang=en");
        String form = "#decision-" + incident + "-" + establishment;
        browser.click(By.cssSelector(form + " input[value=NOTIFIED]"));
        browser.clickToNewPage(By.cssSelector(form + " button.record-decision"));
        assertThat(browser.text(By.cssSelector(form + " .error-box")))
                .contains("Give the reference of the CNIL's acknowledgement");
        browser.checkPage("91b-security-incidents-decision-error-en");
        browser.click(By.cssSelector(form + " input[value=NOTIFIED]"));
        browser.visible(By.cssSelector(form + " input[name=reference]")).sendKeys("CNIL-2026-000123");
        browser.clickToNewPage(By.cssSelector(form + " button.record-decision"));
        assertThat(browser.text(By.id("incident-done"))).contains("Decision recorded: the CNIL was notified");
        assertThat(browser.text(By.id("incident-" + incident))).contains("CNIL notified (Article 33)");
        browser.click(By.id("breach-register-link"));
        assertThat(browser.text(By.id("register-" + incident))).contains("CNIL-2026-000123");
    }

    @Test
    void anIncidentAboutAnExportNamesItAndLeadsToItsRecipientAndApprover() {
        Professionals professionals = new Professionals(logins, transactions);
        UUID establishment = UUID.randomUUID();
        UUID export = UUID.randomUUID();
        UUID incident = recorder.record(new RuleHit(
                Rule.EXPORT_UNEXPECTED_PLACE,
                "export:" + export,
                null,
                null,
                Set.of(establishment),
                Instant.now(),
                "a download of export " + export + " refused: from 203.0.113.7"));

        SignIn.professional(browser, professionals.staff(Role.SECURITY_OFFICER, null));
        browser.open("/security/incidents");
        By card = By.id("incident-" + incident);
        assertThat(browser.text(card))
                .contains("Incident grave")
                .contains("Téléchargement d’un export tenté depuis un réseau que son destinataire n’a pas déclaré")
                .contains(export.toString());
        browser.checkPage("90d-security-incidents-export");
        browser.open("/security/incidents?lang=en");
        assertThat(browser.text(card))
                .contains("An export's download attempted from a network its recipient did not declare")
                .contains("its recipient, requester and approver");
        browser.checkPage("91c-security-incidents-export-en");
        browser.click(By.cssSelector("#incident-" + incident + " dd a"));
        assertThat(browser.driver().getCurrentUrl()).endsWith("/security/exports");
    }

    /** The first bytes of what the page link serves to the signed-in officer's browser session. */
    String pdfStart(String url) throws Exception {
        String cookies = browser.driver().manage().getCookies().stream()
                .map(c -> c.getName() + "=" + c.getValue())
                .collect(java.util.stream.Collectors.joining("; "));
        java.net.http.HttpResponse<byte[]> answer = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                                .header("Cookie", cookies)
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(answer.statusCode()).isEqualTo(200);
        return new String(answer.body(), 0, 5, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
