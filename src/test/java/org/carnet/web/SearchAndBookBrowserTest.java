package org.carnet.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.carnet.demo.DemoAccounts;
import org.carnet.directory.Directory;
import org.carnet.identity.Logins;
import org.carnet.scheduling.Agendas;
import org.carnet.support.Api;
import org.carnet.support.Browser;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.carnet.support.Professionals;
import org.carnet.support.RequiresChromium;
import org.carnet.support.SignIn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/** A patient finds a GP in Lyon, books, sees and cancels the appointment, in a real (headless) browser. */
@CarnetIntegrationTest
@RequiresChromium
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SearchAndBookBrowserTest {

    static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    @Value("${local.server.port}")
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Directory directory;

    @Autowired
    Agendas agendas;

    @Autowired
    Logins logins;

    @Autowired
    TransactionTemplate transactions;

    Browser browser;
    WebDriver driver;

    @BeforeAll
    void startBrowser() {
        browser = Browser.start(port);
        driver = browser.driver();
    }

    @BeforeEach
    void signedOut() {
        browser.resize(1280, 1000);
        SignIn.out(browser);
    }

    @AfterAll
    void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void aPatientSearchesBooksSeesAndCancelsAnAppointment() {
        browser.open("/");
        assertThat(driver.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("fr");
        assertThat(browser.text(By.tagName("h1"))).isEqualTo("Trouver un praticien");
        browser.checkPage("01-home");

        assertThat(driver.findElements(By.cssSelector("#city-suggestions option[value=Lyon]")))
                .hasSize(1);
        assertThat(driver.findElements(By.cssSelector("#specialty-suggestions option")))
                .hasSizeGreaterThan(10);
        driver.findElement(By.id("specialty")).sendKeys("medecin generaliste");
        driver.findElement(By.id("city")).sendKeys("Lyon");
        browser.click(By.id("search-submit"));
        browser.waitUntil(ExpectedConditions.urlContains("/search"));
        browser.waitUntil(ExpectedConditions.presenceOfElementLocated(By.cssSelector("a.slot")));
        assertThat(browser.text(By.id("result-count"))).isEqualTo("2 praticiens disponibles");
        assertThat(driver.findElement(By.id("specialty")).getAttribute("value")).isEqualTo("Médecin généraliste");
        assertThat(browser.text(By.tagName("main"))).contains("Lyon");
        assertThat(driver.findElements(By.cssSelector(".result .week-day"))).hasSize(14);
        assertThat(driver.findElements(By.id("previous-week"))).isEmpty();
        browser.checkPage("02-results");
        browser.click(By.id("next-week"));
        browser.waitUntil(ExpectedConditions.urlContains("from="));
        browser.visible(By.id("previous-week"));
        browser.checkPage("02-results-next-week");
        WebElement previous = driver.findElement(By.id("previous-week"));
        previous.click();
        browser.waitUntilGone(previous);
        browser.waitUntil(ExpectedConditions.presenceOfElementLocated(By.cssSelector("a.slot")));
        assertThat(driver.findElements(By.id("previous-week"))).isEmpty();

        browser.click(By.cssSelector("a.slot"));
        browser.visible(By.id("book-selected"));
        assertThat(browser.text(By.id("teleconsultation-offered"))).isNotBlank();
        browser.checkPage("03-practitioner");

        // A slot of the last day shown, well before the cancellation cut-off whatever the time of day.
        List<WebElement> days = driver.findElements(By.cssSelector(".day"));
        days.get(days.size() - 1).findElement(By.cssSelector("a.slot")).click();
        browser.waitUntil(ExpectedConditions.urlContains("/login"));
        browser.checkPage("03-login");
        SignIn.fillForm(browser, DemoAccounts.PATIENT_EMAIL, DemoAccounts.PATIENT_PASSWORD);

        browser.waitUntil(ExpectedConditions.urlContains("/book/"));
        browser.visible(By.id("booking-form"));
        browser.click(By.id("confirm-booking"));
        browser.visible(By.id("motiveId-error"));
        assertThat(driver.findElement(By.id("motive-0")).getAttribute("aria-describedby"))
                .isEqualTo("motiveId-error");

        // No comment field: the patient's words go into a teleconsultation's encrypted exchange instead.
        assertThat(driver.findElements(By.cssSelector("#booking-form textarea, [name=comment]")))
                .isEmpty();
        assertThat(browser.text(By.id("no-comment"))).contains("chiffré de bout en bout");
        browser.click(By.id("motive-0"));
        browser.checkPage("04-booking");
        browser.click(By.id("confirm-booking"));

        browser.waitUntil(ExpectedConditions.urlContains("/confirmation"));
        String appointmentId = driver.getCurrentUrl().replaceAll(".*/me/appointments/([^/]+)/confirmation.*", "$1");
        assertThat(browser.text(By.id("confirmation-heading"))).isEqualTo("Votre rendez-vous est confirmé");
        String motive = browser.text(By.id("confirmation-motive"));
        assertThat(motive).isNotBlank();
        browser.checkPage("05-confirmation");
        String ics = download(driver.findElement(By.id("add-to-calendar")).getAttribute("href"));
        assertThat(ics).startsWith("BEGIN:VCALENDAR").contains("UID:" + appointmentId + "@carnet");
        assertThat(ics).doesNotContain(motive).doesNotContain("Claire").doesNotContain("Exemple");

        browser.click(By.id("to-appointments"));
        browser.waitUntil(ExpectedConditions.urlContains("/me/appointments"));
        WebElement appointment = browser.visible(By.id("appointment-" + appointmentId));
        assertThat(appointment.getText()).contains("Confirmé");
        browser.checkPage("06-my-appointments");
        String before = appointment.findElement(By.tagName("strong")).getText();

        appointment.findElement(By.cssSelector("a.reschedule")).click();
        browser.visible(By.id("reschedule-form"));
        browser.checkPage("06-reschedule");
        WebElement nextWeek = driver.findElement(By.id("next-week"));
        nextWeek.click(); // a week ahead: well before the cancellation cut-off
        browser.waitUntilGone(nextWeek);
        browser.click(By.cssSelector("#reschedule-form button.slot"));
        assertThat(browser.text(By.id("notice"))).isEqualTo("Le rendez-vous a été déplacé.");
        appointment = driver.findElement(By.id("appointment-" + appointmentId));
        assertThat(appointment.findElement(By.tagName("strong")).getText()).isNotEqualTo(before);

        browser.click(By.id("nav-account"));
        assertThat(browser.text(By.id("profile-name"))).isEqualTo("Claire Exemple");
        browser.checkPage("06-account");
        browser.click(By.id("account-appointments"));
        appointment = browser.visible(By.id("appointment-" + appointmentId));

        appointment.findElement(By.cssSelector("button.cancel")).click();
        browser.visible(By.id("notice"));
        assertThat(browser.text(By.id("notice"))).isEqualTo("Le rendez-vous a été annulé.");
        WebElement cancelled = driver.findElement(By.id("appointment-" + appointmentId));
        assertThat(cancelled.getText()).contains("Annulé");
        assertThat(cancelled.findElements(By.cssSelector("button.cancel"))).isEmpty();
        browser.checkPage("07-cancelled");
    }

    @Test
    void theHomePageSpeaksEnglishWhenAskedAndRemembersIt() {
        browser.open("/?lang=en");
        assertThat(driver.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("en");
        assertThat(browser.text(By.tagName("h1"))).isEqualTo("Find a practitioner");
        assertThat(browser.text(By.cssSelector("label[for=specialty]"))).isEqualTo("Specialty");
        browser.checkPage("08-home-en");

        browser.open("/");
        assertThat(browser.text(By.tagName("h1"))).isEqualTo("Find a practitioner");

        browser.open("/?lang=fr");
        assertThat(browser.text(By.tagName("h1"))).isEqualTo("Trouver un praticien");

        browser.open("/search?specialty=no-such-specialty&city=Lyon");
        assertThat(browser.text(By.id("specialty-error"))).isEqualTo("Choisissez une spécialité dans la liste.");
        assertThat(driver.findElement(By.id("city")).getAttribute("value")).isEqualTo("Lyon");
    }

    @Test
    void aVisitorRegistersAfterFixingTheFormOnANarrowScreenThenConfirmsTheAddressBeforeBooking() {
        Fixtures.Agenda agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        String slotId = Fixtures.freeSlotIdsFromTomorrow(new Api(port), agenda).get(0);
        String email = "new-" + UUID.randomUUID() + "@example.test";
        browser.resize(375, 900);
        browser.open("/register");
        driver.findElement(By.id("email")).sendKeys(email);
        driver.findElement(By.id("password")).sendKeys("too short");
        driver.findElement(By.id("firstName")).sendKeys("Testfirst");
        driver.findElement(By.cssSelector("input[name=sex][value=X]")).click();
        driver.findElement(By.id("phone")).sendKeys("+33 6 11 22 33 44");
        browser.click(By.id("register-submit"));

        browser.visible(By.id("password-error"));
        assertThat(browser.text(By.id("lastName-error"))).isEqualTo("Ce champ est obligatoire.");
        assertThat(driver.findElement(By.id("birthDate-error")).isDisplayed()).isTrue();
        assertThat(driver.findElement(By.id("lastName")).getAttribute("aria-describedby"))
                .isEqualTo("lastName-error");
        assertThat(driver.findElement(By.id("firstName")).getAttribute("value")).isEqualTo("Testfirst");
        assertThat(driver.findElement(By.id("password")).getAttribute("value")).isEmpty();
        assertThat(driver.findElements(By.id("email-error"))).isEmpty();
        Object pageWidth = ((JavascriptExecutor) driver).executeScript("return document.documentElement.scrollWidth");
        assertThat(((Number) pageWidth).intValue()).isLessThanOrEqualTo(375);
        browser.checkPage("09-register-errors");

        driver.findElement(By.id("password")).sendKeys("correct horse battery staple");
        driver.findElement(By.id("lastName")).sendKeys("Testlast");
        ((JavascriptExecutor) driver)
                .executeScript("arguments[0].value = '1990-02-03'", driver.findElement(By.id("birthDate")));
        browser.click(By.id("register-submit"));
        browser.waitUntil(ExpectedConditions.urlContains("/login"));
        assertThat(browser.text(By.id("registered"))).contains("code à 6 chiffres");
        browser.resize(1280, 900);

        // Signed in, the new patient cannot book until the address is confirmed.
        SignIn.patient(browser, email, "correct horse battery staple");
        browser.open("/book/" + slotId);
        browser.click(By.id("motive-0"));
        browser.click(By.id("confirm-booking"));
        assertThat(browser.text(By.id("address-not-confirmed"))).startsWith("Aucun rendez-vous n’a été pris");
        browser.click(By.cssSelector("#address-not-confirmed a"));
        browser.visible(By.id("confirm-form"));
        browser.checkPage("15-confirm-address");

        String code = Fixtures.confirmationCode(email);
        String wrong = code.equals("000000") ? "111111" : "000000";
        driver.findElement(By.id("code")).sendKeys(wrong);
        browser.click(By.id("confirm-submit"));
        assertThat(browser.text(By.id("code-error"))).startsWith("Ce n’est pas le code envoyé");
        driver.findElement(By.id("code")).sendKeys(code);
        browser.click(By.id("confirm-submit"));
        assertThat(browser.text(By.id("address-confirmed"))).startsWith("Votre adresse e-mail est confirmée");

        browser.open("/book/" + slotId);
        browser.click(By.id("motive-0"));
        browser.click(By.id("confirm-booking"));
        browser.waitUntil(ExpectedConditions.urlContains("/confirmation"));
    }

    @Test
    void aPractitionerSeesTheNameOfTheirPatientInTheirAgenda() {
        Api api = new Api(port);
        Fixtures.Agenda agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        Map<String, Object> patient = Fixtures.aRegistration();
        patient.put("firstName", "Agendafirst");
        Fixtures.registered(api, patient);
        String token = api.token((String) patient.get("email"), (String) patient.get("password"));
        JsonNode slot = Fixtures.freeSlotsFrom(api, agenda, LocalDate.now(PARIS).plusDays(7))
                .get(0);
        Api.Response booked = api.post(
                "/api/v1/appointments",
                Map.of(
                        "slotId",
                        slot.get("id").asString(),
                        "motiveId",
                        agenda.motive().id().toString()),
                token);
        assertThat(booked.status()).isEqualTo(201);
        LocalDate day =
                Instant.parse(slot.get("start").asString()).atZone(PARIS).toLocalDate();

        SignIn.professional(
                browser,
                new Professionals(logins, transactions)
                        .practitioner(
                                agenda.practitioner().id(),
                                agenda.establishment().id()));
        browser.open("/agenda?view=week&date=" + day);

        WebElement row = browser.visible(By.id("slot-" + slot.get("id").asString()));
        assertThat(row.getAttribute("class")).isEqualTo("slot-booked");
        assertThat(row.getText()).contains("Réservé").contains("Agendafirst Testlast");
        assertThat(driver.findElements(By.cssSelector("tr.slot-free"))).isNotEmpty();
        browser.checkPage("10-agenda-week");
        browser.click(By.id("logout"));
        browser.visible(By.id("nav-login"));
        Integer reads = jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE establishment_id = ? AND purpose = 'agenda'"
                        + " AND action = 'READ' AND resource = 'patient-file' AND fields = 'first_name,last_name'")
                .param(agenda.establishment().id())
                .query(Integer.class)
                .single();
        assertThat(reads).isPositive();
    }

    @Test
    void aSlotTakenWhileThePatientChoosesIsReportedAndNothingIsBooked() {
        Api api = new Api(port);
        Fixtures.Agenda agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        String slotId = Fixtures.freeSlotIdsFromTomorrow(api, agenda).get(0);
        Map<String, Object> patient = Fixtures.aRegistration();
        Fixtures.registered(api, patient);

        SignIn.patient(browser, (String) patient.get("email"), (String) patient.get("password"));
        browser.open("/book/" + slotId);
        browser.click(By.id("motive-0"));

        Map<String, Object> someoneElse = Fixtures.aRegistration();
        Fixtures.registered(api, someoneElse);
        String otherToken = api.token((String) someoneElse.get("email"), (String) someoneElse.get("password"));
        Map<String, String> booking =
                Map.of("slotId", slotId, "motiveId", agenda.motive().id().toString());
        assertThat(api.post("/api/v1/appointments", booking, otherToken).status())
                .isEqualTo(201);

        browser.click(By.id("confirm-booking"));
        assertThat(browser.text(By.id("booking-error"))).startsWith("Ce créneau vient d’être réservé");
        assertThat(driver.findElement(By.id("slot-unavailable")).isDisplayed()).isTrue();
        browser.checkPage("11-slot-taken");
        String token = api.token((String) patient.get("email"), (String) patient.get("password"));
        assertThat(api.get("/api/v1/me/appointments", token).body()).isEmpty();
        assertThat(api.get("/api/v1/me/appointments", otherToken).body())
                .singleElement()
                .satisfies(theirs -> assertThat(theirs.get("slotId").asString()).isEqualTo(slotId));
    }

    @Test
    void aMissingPageAndTheEnglishPagesPassTheChecksToo() {
        browser.open("/practitioners/00000000-0000-0000-0000-000000000000");
        assertThat(browser.text(By.tagName("h1"))).isEqualTo("Page introuvable");
        browser.checkPage("12-not-found");
        browser.open("/search?specialty=pediatre&city=Paris&lang=en");
        assertThat(browser.text(By.tagName("h1"))).startsWith("Practitioners:");
        browser.checkPage("13-results-en");
        browser.open("/register?lang=en");
        browser.checkPage("14-register-en");
        browser.open("/?lang=fr");
    }

    @Test
    void theAccessibilityCheckReportsAViolationWhenThereIsOne() {
        browser.open("/");
        ((JavascriptExecutor) driver)
                .executeScript("document.querySelector('label[for=city]').remove();"
                        + " document.getElementById('main').appendChild(document.createElement('img'));");
        assertThat(org.carnet.support.Axe.seriousViolations(driver))
                .anySatisfy(v -> assertThat(v).startsWith("image-alt"))
                .anySatisfy(v -> assertThat(v).startsWith("label"));
    }

    @Test
    void pagesThatShowPersonalDataAreNeverCached() throws IOException, InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        for (String path : List.of("/me/appointments", "/book/00000000-0000-0000-0000-000000000000", "/agenda")) {
            HttpResponse<Void> response = client.send(
                    HttpRequest.newBuilder(URI.create(browser.url(path))).build(),
                    HttpResponse.BodyHandlers.discarding());
            assertThat(response.headers().firstValue("Cache-Control"))
                    .hasValueSatisfying(value -> assertThat(value).contains("no-store"));
        }
    }

    /** Fetches a same-origin address with the browser's session, as a download would. */
    private String download(String href) {
        return (String) ((JavascriptExecutor) driver)
                .executeAsyncScript(
                        "const done = arguments[arguments.length - 1];"
                                + " fetch(arguments[0]).then(r => r.text()).then(done, e => done('failed'));",
                        href);
    }
}
