package org.carnet.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
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

    WebDriver driver;
    WebDriverWait wait;

    @BeforeEach
    void startBrowser() {
        driver = Browser.start();
        wait = new WebDriverWait(driver, Duration.ofSeconds(20));
    }

    @AfterEach
    void stopBrowser() {
        driver.quit();
    }

    @Test
    void aPractitionerBreaksTheGlassAndTheAdministratorSeesIt() {
        String base = "http://localhost:" + port;
        Api api = new Api(port);
        Fixtures.Agenda agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        UUID establishment = agenda.establishment().id();
        Map<String, Object> registration = Fixtures.aRegistration();
        api.post("/api/v1/patients", registration, null);
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

        driver.get(base + "/login");
        driver.findElement(By.id("email")).sendKeys(doctor.email());
        driver.findElement(By.id("password")).sendKeys(doctor.password());
        driver.findElement(By.id("login-submit")).click();
        wait.until(ExpectedConditions.urlContains("/login/code"));
        Browser.checkPage(driver, "65-login-code");
        Browser.enterSecondFactor(driver, doctor.totpSecret());

        driver.get(base + "/agenda/patients/" + patientId);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("file-locked")));
        Browser.checkPage(driver, "66-patient-file-locked");
        driver.findElement(By.id("reason")).sendKeys("Appel du SAMU, patient inconscient");
        driver.findElement(By.id("break-the-glass")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("broke-the-glass")));
        assertThat(driver.findElement(By.id("file-name")).getText()).contains("Testlast");
        Browser.checkPage(driver, "67-patient-file");
        driver.findElement(By.id("logout")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("nav-login")));

        Professionals.Login admin = professionals.staff(Role.ESTABLISHMENT_ADMIN, establishment);
        Browser.signIn(driver, base, admin.email(), admin.password(), admin.totpSecret());
        driver.get(base + "/establishment");
        assertThat(driver.findElement(By.id("reviews")).getText())
                .contains("Garde Denuit")
                .contains("Appel du SAMU");
        Browser.checkPage(driver, "68-establishment");
    }
}
