package org.carnet.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.carnet.directory.Directory;
import org.carnet.identity.Logins;
import org.carnet.scheduling.Agendas;
import org.carnet.support.Browser;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.carnet.support.Professionals;
import org.carnet.support.RequiresChromium;
import org.carnet.support.TotpCodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.transaction.support.TransactionTemplate;

/** A practitioner's first sign-in: enrol an authenticator app, keep the recovery codes, sign in again with a code. */
@CarnetIntegrationTest
@RequiresChromium
class SecondFactorBrowserTest {

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
        wait = new WebDriverWait(driver, Duration.ofSeconds(40));
    }

    @AfterEach
    void stopBrowser() {
        driver.quit();
    }

    @Test
    void aPractitionerEnrolsTotpSignsOutAndSignsInWithACode() {
        Fixtures.Agenda agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        Professionals.Login practitioner = new Professionals(logins, transactions)
                .practitionerWithoutSecondFactor(
                        agenda.practitioner().id(), agenda.establishment().id());
        String base = "http://localhost:" + port;

        Browser.signIn(driver, base, practitioner.email(), practitioner.password(), null);
        wait.until(ExpectedConditions.urlContains("/account/security/totp"));
        assertThat(driver.findElement(By.id("totp-mandatory")).getText()).contains("obligatoire");
        WebElement qr = driver.findElement(By.id("totp-qr"));
        assertThat(qr.getAttribute("src")).startsWith("data:image/svg+xml;base64,");
        Browser.checkPage(driver, "60-totp-enrolment");

        // Nothing else opens before enrolment.
        driver.get(base + "/agenda");
        wait.until(ExpectedConditions.urlContains("/account/security/totp"));

        String secret = driver.findElement(By.id("totp-secret")).getText().replace(" ", "");
        driver.findElement(By.id("code")).sendKeys("000000");
        driver.findElement(By.id("totp-submit")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("code-error")));
        driver.findElement(By.id("code")).sendKeys(TotpCodes.now(secret));
        driver.findElement(By.id("totp-submit")).click();

        List<WebElement> codes =
                wait.until(ExpectedConditions.presenceOfAllElementsLocatedBy(By.cssSelector("#recovery-codes code")));
        assertThat(codes).hasSize(10);
        assertThat(codes.get(0).getText()).matches("[a-z2-9]{5}-[a-z2-9]{5}");
        Browser.checkPage(driver, "61-recovery-codes");
        driver.findElement(By.id("recovery-continue")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("nav-agenda")));

        driver.findElement(By.id("logout")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("nav-login")));

        Browser.signIn(driver, base, practitioner.email(), practitioner.password(), secret);
        wait.until(ExpectedConditions.urlContains("/agenda"));
        assertThat(driver.findElements(By.id("nav-agenda"))).isNotEmpty();

        driver.get(base + "/account/security");
        assertThat(driver.findElement(By.id("second-factor-on")).getText()).contains("10");
        assertThat(driver.findElements(By.id("remove-totp-form"))).isEmpty();
        Browser.checkPage(driver, "62-account-security");
    }
}
