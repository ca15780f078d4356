package org.carnet.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.carnet.support.Api;
import org.carnet.support.Browser;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.carnet.support.RequiresChromium;
import org.carnet.support.SignIn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.annotation.DirtiesContext;

/**
 * From their account page a patient opens the readable copy of their data, then erases their account:
 * refused without the confirmation and the right password, then done, and they are signed out for good.
 */
@CarnetIntegrationTest
@RequiresChromium
@DirtiesContext // an erased account's destroyed keys must not reach other tests
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DataSubjectRightsBrowserTest {

    @Value("${local.server.port}")
    int port;

    Browser browser;
    WebDriver driver;

    @BeforeAll
    void startBrowser() {
        browser = Browser.start(port);
        driver = browser.driver();
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void aPatientReadsTheCopyOfTheirDataThenErasesTheirAccount() {
        Map<String, Object> registration = Fixtures.aRegistration();
        String email = (String) registration.get("email");
        String password = (String) registration.get("password");
        Fixtures.registered(new Api(port), registration);
        SignIn.patient(browser, email, password);

        browser.open("/me");
        driver.findElement(By.id("account-data-copy")).sendKeys(Keys.ENTER);
        browser.waitUntil(ExpectedConditions.urlContains("/me/data-copy"));
        assertThat(browser.text(By.id("data-copy-profile")))
                .contains("Testfirst Testlast")
                .contains(email);
        assertThat(browser.text(By.id("data-copy-questionnaires"))).contains("chiffrés de bout en bout");
        assertThat(driver.findElement(By.id("data-copy-download")).getAttribute("href"))
                .endsWith("/me/data-copy?download=true");
        browser.checkPage("60-data-copy");

        browser.open("/me");
        driver.findElement(By.id("account-erasure")).sendKeys(Keys.ENTER);
        browser.visible(By.id("erasure-form"));
        // Without the box ticked, and with a wrong password: refused, each said where it belongs.
        driver.findElement(By.id("erasure-password")).sendKeys(password);
        driver.findElement(By.id("erasure-submit")).sendKeys(Keys.ENTER);
        browser.visible(By.id("erasure-confirm-error"));
        driver.findElement(By.id("erasure-confirm")).sendKeys(Keys.SPACE);
        driver.findElement(By.id("erasure-password")).sendKeys("not the password at all");
        driver.findElement(By.id("erasure-submit")).sendKeys(Keys.ENTER);
        browser.visible(By.id("erasure-password-error"));
        browser.checkPage("61-erasure-refused");

        driver.findElement(By.id("erasure-confirm")).sendKeys(Keys.SPACE);
        driver.findElement(By.id("erasure-password")).sendKeys(password);
        driver.findElement(By.id("erasure-submit")).sendKeys(Keys.ENTER);
        browser.visible(By.id("erased"));
        browser.checkPage("62-erased");

        // Signed out for good: the account pages ask for a sign-in, which is refused.
        browser.open("/me");
        browser.waitUntil(ExpectedConditions.urlContains("/login"));
    }
}
