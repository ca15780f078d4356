package org.carnet.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.carnet.directory.Directory;
import org.carnet.identity.Logins;
import org.carnet.scheduling.Agendas;
import org.carnet.support.Browser;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.carnet.support.Professionals;
import org.carnet.support.RequiresChromium;
import org.carnet.support.SignIn;
import org.carnet.support.TotpCodes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
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
    void aPractitionerEnrolsTotpSignsOutAndSignsInWithACode() {
        Fixtures.Agenda agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        Professionals.Login practitioner = new Professionals(logins, transactions)
                .practitionerWithoutSecondFactor(
                        agenda.practitioner().id(), agenda.establishment().id());
        SignIn.withPassword(browser, practitioner.email(), practitioner.password());
        browser.waitUntil(ExpectedConditions.urlContains("/account/security/totp"));
        assertThat(browser.text(By.id("totp-mandatory"))).contains("obligatoire");
        WebElement qr = browser.driver().findElement(By.id("totp-qr"));
        assertThat(qr.getAttribute("src")).startsWith("data:image/svg+xml;base64,");
        browser.checkPage("60-totp-enrolment");

        // Nothing else opens before enrolment.
        browser.visit("/agenda");
        browser.waitUntil(ExpectedConditions.urlContains("/account/security/totp"));

        String secret = browser.text(By.id("totp-secret")).replace(" ", "");
        browser.driver().findElement(By.id("code")).sendKeys("000000");
        browser.click(By.id("totp-submit"));
        browser.visible(By.id("code-error"));
        browser.driver().findElement(By.id("code")).sendKeys(TotpCodes.now(secret));
        browser.click(By.id("totp-submit"));

        List<WebElement> codes = browser.waitUntil(
                ExpectedConditions.presenceOfAllElementsLocatedBy(By.cssSelector("#recovery-codes code")));
        assertThat(codes).hasSize(10);
        // 28 characters without look-alikes, in seven groups of four.
        assertThat(codes.get(0).getText()).matches("([a-km-np-z2-9]{4}-){6}[a-km-np-z2-9]{4}");
        browser.checkPage("61-recovery-codes");
        browser.click(By.id("recovery-continue"));
        browser.visible(By.id("nav-agenda"));

        browser.click(By.id("logout"));
        browser.visible(By.id("nav-login"));

        SignIn.withPassword(browser, practitioner.email(), practitioner.password());
        SignIn.secondFactor(browser, secret);
        browser.waitUntil(ExpectedConditions.urlContains("/agenda"));
        assertThat(browser.driver().findElements(By.id("nav-agenda"))).isNotEmpty();

        browser.open("/account/security");
        assertThat(browser.text(By.id("second-factor-on"))).contains("10");
        assertThat(browser.driver().findElements(By.id("remove-totp-form"))).isEmpty();
        browser.checkPage("62-account-security");
    }
}
