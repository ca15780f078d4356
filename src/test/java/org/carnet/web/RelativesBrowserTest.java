package org.carnet.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.carnet.directory.Directory;
import org.carnet.directory.Specialty;
import org.carnet.scheduling.Agendas;
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
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

/** A patient adds a child to their account and books for the child with the keyboard only. */
@CarnetIntegrationTest
@RequiresChromium
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RelativesBrowserTest {

    @Value("${local.server.port}")
    int port;

    @Autowired
    Directory directory;

    @Autowired
    Agendas agendas;

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
    void aPatientAddsAChildThenBooksForTheChildWithTheKeyboardOnly() {
        Map<String, Object> registration = Fixtures.aRegistration();
        Api api = new Api(port);
        Fixtures.registered(api, registration);
        SignIn.patient(browser, (String) registration.get("email"), (String) registration.get("password"));

        browser.open("/me");
        assertThat(browser.text(By.id("no-relatives"))).isEqualTo("Aucun proche enregistré.");
        driver.findElement(By.id("firstName")).sendKeys("Léo");
        driver.findElement(By.cssSelector("input[name=relationship][value=CHILD]"))
                .sendKeys(Keys.SPACE);
        driver.findElement(By.id("add-relative")).sendKeys(Keys.ENTER);
        browser.visible(By.id("lastName-error"));
        assertThat(browser.text(By.id("lastName-error"))).isEqualTo("Ce champ est obligatoire.");
        assertThat(driver.findElement(By.id("birthDate")).getAttribute("aria-describedby"))
                .isEqualTo("birthDate-error");
        assertThat(driver.findElement(By.id("firstName")).getAttribute("value")).isEqualTo("Léo");
        assertThat(driver.findElement(By.cssSelector("input[name=relationship][value=CHILD]"))
                        .isSelected())
                .isTrue();
        browser.checkPage("20-account-relative-errors");

        driver.findElement(By.id("lastName")).sendKeys("Testlast");
        ((JavascriptExecutor) driver)
                .executeScript("arguments[0].value = '2019-07-14'", driver.findElement(By.id("birthDate")));
        driver.findElement(By.id("add-relative")).sendKeys(Keys.ENTER);
        browser.visible(By.cssSelector("li.relative"));
        assertThat(browser.text(By.cssSelector("li.relative")))
                .contains("Léo Testlast")
                .contains("Enfant");
        browser.checkPage("21-account");

        // Keyboard only from the home page to the confirmation, with a GP of the test's own town.
        new Fixtures(directory, agendas).aPractitionerWithSlots(Specialty.MEDECIN_GENERALISTE, "Testbourg", "99200");
        browser.open("/");
        WebElement specialty = driver.findElement(By.id("specialty"));
        specialty.sendKeys("Médecin généraliste");
        driver.findElement(By.id("city")).sendKeys("Testbourg", Keys.ENTER);
        browser.waitUntil(ExpectedConditions.urlContains("/search"));
        List<WebElement> slots =
                browser.waitUntil(ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector(".result a.slot"), 0));
        slots.get(slots.size() - 1).sendKeys(Keys.ENTER);
        browser.visible(By.id("book-selected")).sendKeys(Keys.ENTER);
        browser.visible(By.id("booking-form"));
        driver.findElement(By.id("for-relative-0")).sendKeys(Keys.SPACE);
        driver.findElement(By.id("motive-0")).sendKeys(Keys.SPACE);
        browser.checkPage("22-booking-for-a-relative");
        driver.findElement(By.id("confirm-booking")).sendKeys(Keys.ENTER);

        browser.waitUntil(ExpectedConditions.urlContains("/confirmation"));
        assertThat(browser.text(By.id("confirmation-for"))).isEqualTo("Léo Testlast");
        browser.open("/me/appointments");
        assertThat(browser.text(By.cssSelector(".appointment .for-whom"))).isEqualTo("Pour Léo Testlast");

        // The booking's confirmation reaches the inbox once notifications has handled the booking.
        browser.waitUntil(d -> {
            browser.open("/me/inbox");
            return !d.findElements(By.cssSelector("li.message")).isEmpty();
        });
        assertThat(browser.text(By.cssSelector("li.message h2"))).contains("Rendez-vous confirmé le");
        browser.checkPage("23-inbox-confirmation");
    }
}
