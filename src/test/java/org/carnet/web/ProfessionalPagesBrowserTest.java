package org.carnet.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.UUID;
import org.carnet.demo.DemoAccounts;
import org.carnet.directory.Directory;
import org.carnet.identity.Logins;
import org.carnet.scheduling.Agendas;
import org.carnet.shared.Role;
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
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Practitioners, staff and establishment administrators at work: a practitioner blocks and unblocks a
 * slot, opens a booking, prints the day list, adds an absence over a booked appointment (listed, not
 * cancelled, the patient told in their inbox) and moves it; edits opening hours; staff book by phone
 * for a new patient; an administrator adds a practitioner, a motive and opening hours.
 */
@CarnetIntegrationTest
@RequiresChromium
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProfessionalPagesBrowserTest {

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
    void anAbsenceOverABookedAppointmentListsItAndTellsThePatient() {
        UUID practitionerId = jdbc.sql("SELECT subject_id FROM user_accounts WHERE role = 'PRACTITIONER'"
                        + " ORDER BY created_at LIMIT 1")
                .query(UUID.class)
                .single();
        Api api = new Api(port);
        Map<String, Object> registration = Fixtures.aRegistration();
        registration.put("firstName", "Absencefirst");
        assertThat(api.post("/api/v1/patients", registration, null).status()).isEqualTo(201);
        String token = api.token((String) registration.get("email"), (String) registration.get("password"));
        LocalDate inTwoDays = LocalDate.now(PARIS).plusDays(2);
        JsonNode slots = api.get("/api/v1/practitioners/" + practitionerId + "/slots?from=" + inTwoDays, null)
                .body();
        String motiveId = api.get("/api/v1/practitioners/" + practitionerId, null)
                .body()
                .get("motives")
                .get(0)
                .get("id")
                .asString();
        Api.Response booked = api.post(
                "/api/v1/appointments",
                Map.of("slotId", slots.get(0).get("id").asString(), "motiveId", motiveId),
                token);
        assertThat(booked.status()).isEqualTo(201);
        String appointmentId = booked.body().get("id").asString();
        LocalDate day = Instant.parse(slots.get(0).get("start").asString())
                .atZone(PARIS)
                .toLocalDate();

        SignIn.out(driver);
        SignIn.professional(driver, base(), DemoAccounts.PRACTITIONER_EMAIL, DemoAccounts.PRACTITIONER_PASSWORD);
        open("/agenda?date=" + day);
        Browser.checkPage(driver, "30-agenda-day");

        WebElement freeRow = driver.findElements(By.cssSelector("tr.slot-free")).get(0);
        String freeRowId = freeRow.getAttribute("id");
        freeRow.findElement(By.cssSelector("button.block")).click();
        assertThat(text(By.id("notice"))).startsWith("Le créneau est bloqué");
        assertThat(driver.findElement(By.id(freeRowId)).getAttribute("class")).isEqualTo("slot-blocked");
        WebElement blockedNotice = driver.findElement(By.id("notice"));
        driver.findElement(By.id(freeRowId))
                .findElement(By.cssSelector("button.unblock"))
                .click();
        // The notice of the page before must be gone before the new one is read.
        wait.until(ExpectedConditions.stalenessOf(blockedNotice));
        assertThat(text(By.id("notice"))).startsWith("Le créneau est de nouveau réservable");
        assertThat(driver.findElement(By.id(freeRowId)).getAttribute("class")).isEqualTo("slot-free");

        click(By.cssSelector("a[href$='/agenda/appointments/" + appointmentId + "']"));
        assertThat(text(By.id("appointment-patient"))).isEqualTo("Absencefirst Testlast");
        assertThat(text(By.id("appointment-phone"))).isEqualTo("+33 6 11 22 33 44");
        assertThat(text(By.id("appointment-motive"))).isNotBlank();
        Browser.checkPage(driver, "31-agenda-appointment");

        open("/agenda/print?date=" + day);
        assertThat(driver.findElements(By.cssSelector("tr.print-row"))).isNotEmpty();
        Browser.checkPage(driver, "32-day-list");

        open("/agenda/absences");
        setValue("startDate", day.toString());
        setValue("startTime", "00:00");
        setValue("endDate", day.toString());
        setValue("endTime", "23:59");
        click(By.id("add-absence"));
        assertThat(text(By.id("absence-recorded"))).isEqualTo("L’absence est enregistrée.");
        assertThat(text(By.id("affected"))).contains("Absencefirst Testlast");
        Browser.checkPage(driver, "33-absence-recorded");
        assertThat(api.get("/api/v1/appointments/" + appointmentId, token)
                        .body()
                        .get("status")
                        .asString())
                .isEqualTo("BOOKED");

        click(By.cssSelector("li.affected a"));
        click(By.id("practice-move"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("move-form")));
        WebElement firstWeek = driver.findElement(By.id("next-week"));
        firstWeek.click();
        wait.until(ExpectedConditions.stalenessOf(firstWeek));
        WebElement nextWeek = wait.until(ExpectedConditions.elementToBeClickable(By.id("next-week")));
        nextWeek.click(); // two weeks ahead, clear of the other tests' bookings
        wait.until(ExpectedConditions.stalenessOf(nextWeek));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("move-form")));
        Browser.checkPage(driver, "33-practice-move");
        click(By.cssSelector("#move-form button.slot"));
        assertThat(text(By.id("notice"))).startsWith("Le rendez-vous est déplacé");
        assertThat(api.get("/api/v1/appointments/" + appointmentId, token)
                        .body()
                        .get("start")
                        .asString())
                .isNotEqualTo(slots.get(0).get("start").asString());

        SignIn.out(driver);
        SignIn.patient(driver, base(), (String) registration.get("email"), (String) registration.get("password"));
        // The notices are posted by notifications once the changes have committed: reload until both are in.
        wait.until(d -> {
            open("/me/inbox");
            return text(By.id("nav-inbox")).equals("Messages (2 non lus)");
        });
        WebElement message = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("li.message")));
        assertThat(text(By.tagName("main"))).contains("doit être déplacé").contains("est déplacé");
        assertThat(driver.findElements(By.cssSelector("li.message.unread"))).hasSize(2);
        Browser.checkPage(driver, "34-inbox-absence-notice");
        message.findElement(By.cssSelector("button.mark-read")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("li.message.read")));

        open("/me/inbox?lang=en");
        assertThat(text(By.cssSelector("li.message h2"))).contains("Your appointment of");
        open("/?lang=fr");
    }

    @Test
    void aPractitionerEditsTheirOpeningHoursAndAMistakeSavesNothing() {
        Fixtures.Agenda agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        String email = "practitioner-" + UUID.randomUUID() + "@example.test";
        String password = "correct horse battery staple";
        transactions.executeWithoutResult(status -> logins.create(
                Role.PRACTITIONER,
                agenda.practitioner().id(),
                agenda.establishment().id(),
                email,
                password));

        SignIn.out(driver);
        SignIn.professional(driver, base(), email, password);
        open("/agenda/hours");
        assertThat(driver.findElement(By.id("MONDAY-opens1")).getAttribute("value"))
                .isEqualTo("08:00");
        assertThat(driver.findElement(By.id("slotMinutes")).getAttribute("value"))
                .isEqualTo("30");
        Browser.checkPage(driver, "35-opening-hours");

        setValue("MONDAY-opens1", "12:00");
        setValue("MONDAY-closes1", "09:00");
        setValue("slotMinutes", "15");
        click(By.id("save-hours"));
        assertThat(text(By.id("MONDAY-error"))).isEqualTo("L’ouverture doit précéder la fermeture.");
        assertThat(driver.findElement(By.id("MONDAY-opens1")).getAttribute("aria-describedby"))
                .isEqualTo("MONDAY-error");
        assertThat(driver.findElement(By.id("MONDAY-opens1")).getAttribute("value"))
                .isEqualTo("12:00");
        assertThat(driver.findElement(By.id("slotMinutes")).getAttribute("value"))
                .isEqualTo("15");
        Browser.checkPage(driver, "36-opening-hours-errors");
        assertThat(agendas.schedule(agenda.practitioner().id()).orElseThrow().slotMinutes())
                .isEqualTo(30);

        for (String day : new String[] {"SATURDAY", "SUNDAY"}) {
            setValue(day + "-opens1", "");
            setValue(day + "-closes1", "");
        }
        setValue("MONDAY-opens1", "09:00");
        setValue("MONDAY-closes1", "12:00");
        click(By.id("save-hours"));
        assertThat(text(By.id("notice"))).startsWith("Les horaires sont enregistrés");
        Agendas.Schedule saved = agendas.schedule(agenda.practitioner().id()).orElseThrow();
        assertThat(saved.slotMinutes()).isEqualTo(15);
        assertThat(saved.hours()).noneMatch(h -> h.day() == java.time.DayOfWeek.SATURDAY);
        SignIn.out(driver);
    }

    @Test
    void staffBookByPhoneForANewPatientThenFindTheirFileForTheNextCall() {
        Fixtures.Agenda agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        String email = "staff-" + UUID.randomUUID() + "@example.test";
        String password = "correct horse battery staple";
        transactions.executeWithoutResult(status -> logins.create(
                Role.STAFF, UUID.randomUUID(), agenda.establishment().id(), email, password));
        LocalDate tomorrow = LocalDate.now(PARIS).plusDays(1);

        SignIn.out(driver);
        SignIn.professional(driver, base(), email, password);
        open("/agenda?date=" + tomorrow);
        assertThat(driver.findElement(By.id("practitioner-choice")).getText())
                .contains(agenda.practitioner().displayName());
        Browser.checkPage(driver, "40-staff-agenda");

        click(By.cssSelector("a.phone-book"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("new-patient-form")));
        driver.findElement(By.id("search-lastName")).sendKeys("Nobodyknown");
        click(By.id("search-patient-submit"));
        assertThat(text(By.id("no-file"))).startsWith("Aucun dossier");
        Browser.checkPage(driver, "41-phone-booking");

        driver.findElement(By.id("new-firstName")).sendKeys("Phonefirst");
        click(By.id("book-new"));
        assertThat(text(By.id("new-lastName-error"))).isEqualTo("Ce champ est obligatoire.");
        assertThat(driver.findElement(By.id("new-firstName")).getAttribute("value"))
                .isEqualTo("Phonefirst");
        assertThat(driver.findElement(By.id("new-phone")).getAttribute("aria-describedby"))
                .isEqualTo("new-phone-error");
        Browser.checkPage(driver, "42-phone-booking-errors");
        Integer files = jdbc.sql("SELECT COUNT(*) FROM patient_files WHERE establishment_id = ?")
                .param(agenda.establishment().id())
                .query(Integer.class)
                .single();
        assertThat(files).isZero();

        driver.findElement(By.id("new-lastName")).sendKeys("Phoné-Last");
        setValue("new-birthDate", "1950-04-05");
        click(By.id("new-sex-F"));
        driver.findElement(By.id("new-phone")).sendKeys("+33 1 23 45 67 89");
        new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("new-motive"))).selectByIndex(1);
        click(By.id("book-new"));
        assertThat(text(By.id("notice"))).isEqualTo("Le rendez-vous est réservé.");
        assertThat(text(By.cssSelector("tr.slot-booked"))).contains("Phonefirst Phoné-Last");

        click(By.cssSelector("a.phone-book"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("search-patient")));
        driver.findElement(By.id("search-lastName")).sendKeys("phone last");
        click(By.id("search-patient-submit"));
        click(By.id("file-0"));
        new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("existing-motive"))).selectByIndex(1);
        Browser.checkPage(driver, "43-phone-booking-found");
        click(By.id("book-existing"));
        assertThat(text(By.id("notice"))).isEqualTo("Le rendez-vous est réservé.");
        assertThat(driver.findElements(By.cssSelector("tr.slot-booked"))).hasSize(2);

        // Another establishment's agenda and slots are not found, whatever id is typed.
        UUID elsewhere = jdbc.sql("SELECT subject_id FROM user_accounts WHERE role = 'PRACTITIONER'"
                        + " ORDER BY created_at LIMIT 1")
                .query(UUID.class)
                .single();
        open("/agenda?practitioner=" + elsewhere);
        assertThat(text(By.tagName("h1"))).isEqualTo("Page introuvable");
        String otherSlot = new Api(port)
                .get("/api/v1/practitioners/" + elsewhere + "/slots", null)
                .body()
                .get(0)
                .get("id")
                .asString();
        open("/agenda/phone/" + otherSlot);
        assertThat(text(By.tagName("h1"))).isEqualTo("Page introuvable");
        SignIn.out(driver);
    }

    @Test
    void anEstablishmentAdministratorAddsAPractitionerTheirMotiveAndOpeningHours() {
        Fixtures.Agenda agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        String email = "admin-" + UUID.randomUUID() + "@example.test";
        String password = "correct horse battery staple";
        transactions.executeWithoutResult(status -> logins.create(
                Role.ESTABLISHMENT_ADMIN,
                UUID.randomUUID(),
                agenda.establishment().id(),
                email,
                password));

        SignIn.out(driver);
        SignIn.professional(driver, base(), email, password);
        click(By.id("nav-establishment"));
        click(By.id("manage-practitioners"));
        assertThat(text(By.id("practitioners"))).contains(agenda.practitioner().displayName());
        driver.findElement(By.id("firstName")).sendKeys("Adminadded");
        driver.findElement(By.id("rpps")).sendKeys("12345");
        click(By.id("add-practitioner"));
        assertThat(text(By.id("rpps-error"))).startsWith("Ce numéro RPPS n’est pas valide");
        assertThat(driver.findElement(By.id("firstName")).getAttribute("value")).isEqualTo("Adminadded");
        Browser.checkPage(driver, "50-establishment-practitioners-errors");

        driver.findElement(By.id("lastName")).sendKeys("Testlast");
        driver.findElement(By.id("rpps")).clear();
        driver.findElement(By.id("rpps"))
                .sendKeys(org.carnet.directory.Rpps.of(7_000_000_000L + (System.nanoTime() % 1_000_000))
                        .value());
        new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("specialty"))).selectByValue("pediatre");
        click(By.id("add-practitioner"));
        assertThat(text(By.id("notice"))).startsWith("Le praticien est ajouté");
        WebElement row = driver.findElements(By.cssSelector("#practitioners tbody tr")).stream()
                .filter(r -> r.getText().contains("Adminadded Testlast"))
                .findFirst()
                .orElseThrow();
        row.findElement(By.cssSelector("a.motives-link")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("no-motives")));
        driver.findElement(By.id("label")).sendKeys("Première consultation");
        setValue("durationMinutes", "30");
        click(By.id("add-motive"));
        assertThat(text(By.cssSelector("li.motive")))
                .contains("Première consultation")
                .contains("30 min");
        Browser.checkPage(driver, "51-establishment-motives");

        open("/establishment/practitioners");
        driver.findElements(By.cssSelector("#practitioners tbody tr")).stream()
                .filter(r -> r.getText().contains("Adminadded Testlast"))
                .findFirst()
                .orElseThrow()
                .findElement(By.cssSelector("a.hours-link"))
                .click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("hours-form")));
        setValue("TUESDAY-opens1", "09:00");
        setValue("TUESDAY-closes1", "12:00");
        click(By.id("save-hours"));
        assertThat(text(By.id("notice"))).startsWith("Les horaires sont enregistrés");
        Browser.checkPage(driver, "52-establishment-practitioners");
        SignIn.out(driver);
    }

    private void setValue(String id, String value) {
        ((JavascriptExecutor) driver)
                .executeScript("arguments[0].value = arguments[1]", driver.findElement(By.id(id)), value);
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
