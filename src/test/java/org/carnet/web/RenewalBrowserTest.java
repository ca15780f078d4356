package org.carnet.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.carnet.identity.AccountContainment;
import org.carnet.support.Api;
import org.carnet.support.Browser;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.carnet.support.RequiresChromium;
import org.carnet.support.SignIn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A patient whose credentials a security officer required renewed: the sign-in opens only the renewal page
 * (French and English, 375 and 1280 px, axe-clean), which refuses the old password and then signs them in.
 */
@CarnetIntegrationTest
@RequiresChromium
class RenewalBrowserTest {

    @Value("${local.server.port}")
    int port;

    @Autowired
    AccountContainment containment;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    JdbcClient jdbc;

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
    void aPatientAskedForNewCredentialsChoosesANewPasswordBeforeAnythingElse() {
        Fixtures.Patient patient = Fixtures.aPatient(new Api(port));
        UUID login = jdbc.sql("SELECT id FROM user_accounts WHERE subject_id = ?")
                .param(patient.account())
                .query(UUID.class)
                .single();
        transactions.executeWithoutResult(status -> containment.requireRenewal(login));

        SignIn.withPassword(browser, patient.email(), "correct horse battery staple");
        browser.waitUntil(ExpectedConditions.urlContains("/account/renew"));
        assertThat(browser.text(By.tagName("h1"))).isEqualTo("Renouveler mes identifiants");
        browser.checkPage("renewal");
        browser.visit("/me/appointments");
        browser.waitUntil(ExpectedConditions.urlContains("/account/renew"));

        browser.open("/account/renew?lang=en");
        assertThat(browser.text(By.tagName("h1"))).isEqualTo("Renew my credentials");
        browser.driver().findElement(By.id("password")).sendKeys("correct horse battery staple");
        browser.click(By.id("renew-submit"));
        assertThat(browser.visible(By.id("password-error")).getText()).contains("different from the old one");
        browser.checkPage("renewal-refused");

        browser.driver().findElement(By.id("password")).sendKeys("a renewed synthetic password");
        browser.click(By.id("renew-submit"));
        browser.waitUntil(ExpectedConditions.urlContains("/me/appointments"));
        browser.visible(By.id("logout"));
    }
}
