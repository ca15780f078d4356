package org.carnet.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.carnet.demo.DemoAccounts;
import org.carnet.support.Browser;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.RequiresChromium;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Value;

/** A patient finds a GP in Lyon, books, sees and cancels the appointment, in a real (headless) browser. */
@CarnetIntegrationTest
@RequiresChromium
class SearchAndBookBrowserTest {

    @Value("${local.server.port}")
    int port;

    WebDriver driver;
    WebDriverWait wait;

    @BeforeEach
    void startBrowser() {
        driver = Browser.start();
        wait = new WebDriverWait(driver, Duration.ofSeconds(20));
    }

    @AfterEach
    void stopBrowser() {
        if (driver != null) {
            driver.quit();
        }
    }

    @Test
    void aPatientSearchesBooksSeesAndCancelsAnAppointment() {
        open("/");
        assertThat(driver.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("fr");
        assertThat(text(By.tagName("h1"))).isEqualTo("Trouver un praticien");
        Browser.screenshot(driver, "01-home");

        new Select(driver.findElement(By.id("specialty"))).selectByValue("medecin-generaliste");
        driver.findElement(By.id("city")).sendKeys("Lyon");
        click(By.id("search-submit"));
        wait.until(ExpectedConditions.urlContains("/search"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("a.slot")));
        assertThat(text(By.id("result-count"))).isEqualTo("2 praticiens disponibles");
        assertThat(text(By.tagName("main"))).contains("Lyon");
        Browser.screenshot(driver, "02-results");

        click(By.cssSelector("a.slot"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("book-selected")));
        Browser.screenshot(driver, "03-practitioner");

        // A slot of the last day shown, well before the cancellation cut-off whatever the time of day.
        List<WebElement> days = driver.findElements(By.cssSelector(".day"));
        days.get(days.size() - 1).findElement(By.cssSelector("a.slot")).click();
        wait.until(ExpectedConditions.urlContains("/login"));
        driver.findElement(By.id("email")).sendKeys(DemoAccounts.PATIENT_EMAIL);
        driver.findElement(By.id("password")).sendKeys(DemoAccounts.PATIENT_PASSWORD);
        click(By.id("login-submit"));

        wait.until(ExpectedConditions.urlContains("/book/"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("booking-form")));
        click(By.id("confirm-booking"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("motiveId-error")));
        assertThat(driver.findElement(By.id("motive-0")).getAttribute("aria-describedby"))
                .isEqualTo("motiveId-error");

        click(By.id("motive-0"));
        Browser.screenshot(driver, "04-booking");
        click(By.id("confirm-booking"));

        wait.until(ExpectedConditions.urlContains("/confirmation"));
        assertThat(text(By.id("confirmation-heading"))).isEqualTo("Votre rendez-vous est confirmé");
        assertThat(text(By.id("confirmation-motive"))).isNotBlank();
        Browser.screenshot(driver, "05-confirmation");

        click(By.id("to-appointments"));
        wait.until(ExpectedConditions.urlContains("/me/appointments"));
        WebElement appointment =
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".appointments .appointment")));
        assertThat(appointment.getText()).contains("Confirmé");
        Browser.screenshot(driver, "06-my-appointments");

        appointment.findElement(By.cssSelector("button.cancel")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("notice")));
        assertThat(text(By.id("notice"))).isEqualTo("Le rendez-vous a été annulé.");
        WebElement cancelled = driver.findElement(By.cssSelector(".appointments .appointment"));
        assertThat(cancelled.getText()).contains("Annulé");
        assertThat(cancelled.findElements(By.cssSelector("button.cancel"))).isEmpty();
        Browser.screenshot(driver, "07-cancelled");
    }

    @Test
    void theHomePageSpeaksEnglishWhenAskedAndRemembersIt() {
        open("/?lang=en");
        assertThat(driver.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("en");
        assertThat(text(By.tagName("h1"))).isEqualTo("Find a practitioner");
        assertThat(text(By.cssSelector("label[for=specialty]"))).isEqualTo("Specialty");
        Browser.screenshot(driver, "08-home-en");

        open("/");
        assertThat(text(By.tagName("h1"))).isEqualTo("Find a practitioner");

        open("/?lang=fr");
        assertThat(text(By.tagName("h1"))).isEqualTo("Trouver un praticien");
    }

    @Test
    void pagesThatShowPersonalDataAreNeverCached() throws IOException, InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        for (String path : List.of("/me/appointments", "/book/00000000-0000-0000-0000-000000000000", "/agenda")) {
            HttpResponse<Void> response = client.send(
                    HttpRequest.newBuilder(URI.create(base() + path)).build(), HttpResponse.BodyHandlers.discarding());
            assertThat(response.headers().firstValue("Cache-Control"))
                    .hasValueSatisfying(value -> assertThat(value).contains("no-store"));
        }
    }

    private void open(String path) {
        driver.get(base() + path);
        wait.until(ExpectedConditions.presenceOfElementLocated(By.tagName("footer")));
    }

    private void click(By by) {
        wait.until(ExpectedConditions.elementToBeClickable(by)).click();
    }

    private String text(By by) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(by)).getText();
    }

    private String base() {
        return "http://localhost:" + port;
    }
}
