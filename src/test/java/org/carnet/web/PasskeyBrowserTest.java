package org.carnet.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.carnet.support.Api;
import org.carnet.support.Browser;
import org.carnet.support.Fixtures;
import org.carnet.support.SignIn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * A patient registers a passkey (Chromium's virtual authenticator stands in for a phone) after giving
 * their password again, signs out, signs in with the passkey alone, and removes it.
 */
class PasskeyBrowserTest extends PasskeyPages {

    Browser browser;

    @BeforeEach
    void startBrowser() {
        browser = Browser.start(PORT);
        authenticator(browser, true);
    }

    @AfterEach
    void stopBrowser() {
        browser.close();
    }

    @Test
    void aPatientAddsAPasskeySignsInWithItAndRemovesIt() {
        Map<String, Object> registration = Fixtures.aRegistration();
        new Api(PORT).post("/api/v1/patients", registration, null);
        SignIn.patient(browser, (String) registration.get("email"), (String) registration.get("password"));

        browser.open("/account/security");
        assertThat(browser.driver().findElement(By.id("no-passkeys")).isDisplayed())
                .isTrue();
        browser.checkPage("64-passkey-confirm");
        browser.visible(By.id("passkey-password")).sendKeys((String) registration.get("password"));
        browser.click(By.id("passkey-confirm"));
        browser.visible(By.id("passkey-label")).sendKeys("Téléphone de test");
        browser.click(By.id("passkey-register"));
        browser.waitUntil(ExpectedConditions.urlContains("changed=passkey"));
        assertThat(browser.text(By.id("passkeys"))).contains("Téléphone de test");
        browser.checkPage("63-passkeys");

        browser.click(By.id("logout"));
        browser.visible(By.id("nav-login"));
        browser.open("/login");
        browser.click(By.id("passkey-signin"));
        browser.visible(By.id("nav-appointments"));
        browser.open("/me/appointments");
        assertThat(browser.driver().getCurrentUrl()).endsWith("/me/appointments");

        browser.open("/account/security");
        browser.click(By.cssSelector("#passkeys button"));
        browser.visible(By.id("no-passkeys"));
    }
}
