package org.carnet.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
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
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Value;

/** A patient adds a child to their account and books for the child with the keyboard only. */
@CarnetIntegrationTest
@RequiresChromium
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RelativesBrowserTest {

    @Value("${local.server.port}")
    int port;

    WebDriver driver;
    WebDriverWait wait;

    @BeforeAll
    void startBrowser() {
        driver = Browser.start();
        wait = new WebDriverWait(driver, Duration.ofSeconds(20));
    }

    @AfterAll
    void stopBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }

    @Test
    void aPatientAddsAChildThenBooksForTheChildWithTheKeyboardOnly() {
        Map<String, Object> registration = Fixtures.aRegistration();
        Api api = new Api(port);
        assertThat(api.post("/api/v1/patients", registration, null).status()).isEqualTo(201);
        SignIn.patient(driver, base(), (String) registration.get("email"), (String) registration.get("password"));

        open("/me");
        assertThat(text(By.id("no-relatives"))).isEqualTo("Aucun proche enregistré.");
        driver.findElement(By.id("firstName")).sendKeys("Léo");
        driver.findElement(By.cssSelector("input[name=relationship][value=CHILD]"))
                .sendKeys(Keys.SPACE);
        driver.findElement(By.id("add-relative")).sendKeys(Keys.ENTER);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("lastName-error")));
        assertThat(text(By.id("lastName-error"))).isEqualTo("Ce champ est obligatoire.");
        assertThat(driver.findElement(By.id("birthDate")).getAttribute("aria-describedby"))
                .isEqualTo("birthDate-error");
        assertThat(driver.findElement(By.id("firstName")).getAttribute("value")).isEqualTo("Léo");
        assertThat(driver.findElement(By.cssSelector("input[name=relationship][value=CHILD]"))
                        .isSelected())
                .isTrue();
        Browser.checkPage(driver, "20-account-relative-errors");

        driver.findElement(By.id("lastName")).sendKeys("Testlast");
        ((JavascriptExecutor) driver)
                .executeScript("arguments[0].value = '2019-07-14'", driver.findElement(By.id("birthDate")));
        driver.findElement(By.id("add-relative")).sendKeys(Keys.ENTER);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("li.relative")));
        assertThat(text(By.cssSelector("li.relative"))).contains("Léo Testlast").contains("Enfant");
        Browser.checkPage(driver, "21-account");

        // Keyboard only from the home page to the confirmation.
        open("/");
        WebElement specialty = driver.findElement(By.id("specialty"));
        specialty.sendKeys("Médecin généraliste");
        driver.findElement(By.id("city")).sendKeys("Lyon", Keys.ENTER);
        wait.until(ExpectedConditions.urlContains("/search"));
        List<WebElement> slots =
                wait.until(ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector(".result a.slot"), 0));
        slots.get(slots.size() - 1).sendKeys(Keys.ENTER);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("book-selected")))
                .sendKeys(Keys.ENTER);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("booking-form")));
        driver.findElement(By.id("for-relative-0")).sendKeys(Keys.SPACE);
        driver.findElement(By.id("motive-0")).sendKeys(Keys.SPACE);
        Browser.checkPage(driver, "22-booking-for-a-relative");
        driver.findElement(By.id("confirm-booking")).sendKeys(Keys.ENTER);

        wait.until(ExpectedConditions.urlContains("/confirmation"));
        assertThat(text(By.id("confirmation-for"))).isEqualTo("Léo Testlast");
        open("/me/appointments");
        assertThat(text(By.cssSelector(".appointment .for-whom"))).isEqualTo("Pour Léo Testlast");

        open("/me/inbox");
        assertThat(text(By.id("inbox-empty"))).isEqualTo("Aucun message.");
        Browser.checkPage(driver, "23-inbox-empty");
    }

    private void open(String path) {
        driver.get(base() + path);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.tagName("footer")));
    }

    private String text(By by) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(by)).getText();
    }

    private String base() {
        return "http://localhost:" + port;
    }
}
