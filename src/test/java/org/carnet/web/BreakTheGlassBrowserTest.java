package org.carnet.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;
import org.carnet.directory.Directory;
import org.carnet.directory.Practitioner;
import org.carnet.directory.Rpps;
import org.carnet.directory.Specialty;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * In Chromium: a practitioner without care relationship types the code, meets the locked file,
 * breaks the glass with a reason; the administrator sees it to review. Every page is checked by axe.
 */
@CarnetIntegrationTest
@RequiresChromium
class BreakTheGlassBrowserTest {

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

    @BeforeEach
    void startBrowser() {
        browser = Browser.start(port);
    }

    @AfterEach
    void stopBrowser() {
        browser.close();
    }

    @Test
    void aPractitionerBreaksTheGlassAndTheAdministratorSeesIt() {
        Api api = new Api(port);
        Fixtures.Agenda agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        UUID establishment = agenda.establishment().id();
        Map<String, Object> registration = Fixtures.aRegistration();
        Fixtures.registered(api, registration);
        String token = api.token((String) registration.get("email"), (String) registration.get("password"));
        String patientId = api.get("/api/v1/me", token).body().get("id").asString();
        api.post(
                "/api/v1/appointments",
                Map.of(
                        "slotId", Fixtures.freeSlotIdsFromTomorrow(api, agenda).get(0),
                        "motiveId", agenda.motive().id().toString()),
                token);
        Practitioner colleague = directory.addPractitioner(
                establishment,
                Rpps.of(6_000_000_000L + System.nanoTime() % 1_000_000),
                "Garde",
                "Denuit",
                Specialty.MEDECIN_GENERALISTE);
        Professionals professionals = new Professionals(logins, transactions);
        Professionals.Login doctor = professionals.practitioner(colleague.id(), establishment);

        SignIn.withPassword(browser, doctor.email(), doctor.password());
        browser.waitUntil(ExpectedConditions.urlContains("/login/code"));
        browser.checkPage("65-login-code");
        SignIn.secondFactor(browser, doctor.totpSecret());

        browser.open("/agenda/patients/" + patientId);
        browser.visible(By.id("file-locked"));
        browser.checkPage("66-patient-file-locked");
        browser.driver().findElement(By.id("reason")).sendKeys("Appel du SAMU, patient inconscient");
        browser.click(By.id("break-the-glass"));
        browser.visible(By.id("broke-the-glass"));
        assertThat(browser.text(By.id("file-name"))).contains("Testlast");
        browser.checkPage("67-patient-file");
        browser.click(By.id("logout"));
        browser.visible(By.id("nav-login"));

        SignIn.professional(browser, professionals.staff(Role.ESTABLISHMENT_ADMIN, establishment));
        browser.open("/establishment");
        assertThat(browser.text(By.id("reviews"))).contains("Garde Denuit").contains("Appel du SAMU");
        browser.checkPage("68-establishment");
    }
}
