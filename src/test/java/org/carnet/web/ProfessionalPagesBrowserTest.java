package org.carnet.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Map;
import java.util.UUID;
import org.carnet.directory.Directory;
import org.carnet.identity.Logins;
import org.carnet.scheduling.Agendas;
import org.carnet.shared.Role;
import org.carnet.support.Api;
import org.carnet.support.Browser;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.carnet.support.Professionals;
import org.carnet.support.RequiresChromium;
import org.carnet.support.SignIn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
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
    void anAbsenceOverABookedAppointmentListsItAndTellsThePatient() {
        Fixtures.Agenda agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        Api api = new Api(port);
        Map<String, Object> registration = Fixtures.aRegistration();
        registration.put("firstName", "Absencefirst");
        Fixtures.registered(api, registration);
        String token = api.token((String) registration.get("email"), (String) registration.get("password"));
        JsonNode slot = Fixtures.freeSlotsFrom(api, agenda, LocalDate.now(PARIS).plusDays(2))
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
        String appointmentId = booked.body().get("id").asString();
        LocalDate day =
                Instant.parse(slot.get("start").asString()).atZone(PARIS).toLocalDate();

        SignIn.out(browser);
        SignIn.professional(
                browser,
                new Professionals(logins, transactions)
                        .practitioner(
                                agenda.practitioner().id(),
                                agenda.establishment().id()));
        browser.open("/agenda?date=" + day);
        browser.checkPage("30-agenda-day");

        WebElement freeRow = driver.findElements(By.cssSelector("tr.slot-free")).get(0);
        String freeRowId = freeRow.getAttribute("id");
        freeRow.findElement(By.cssSelector("button.block")).click();
        assertThat(browser.text(By.id("notice"))).startsWith("Le créneau est bloqué");
        assertThat(driver.findElement(By.id(freeRowId)).getAttribute("class")).isEqualTo("slot-blocked");
        WebElement blockedNotice = driver.findElement(By.id("notice"));
        driver.findElement(By.id(freeRowId))
                .findElement(By.cssSelector("button.unblock"))
                .click();
        // The notice of the page before must be gone before the new one is read.
        browser.waitUntilGone(blockedNotice);
        assertThat(browser.text(By.id("notice"))).startsWith("Le créneau est de nouveau réservable");
        assertThat(driver.findElement(By.id(freeRowId)).getAttribute("class")).isEqualTo("slot-free");

        browser.click(By.cssSelector("a[href$='/agenda/appointments/" + appointmentId + "']"));
        assertThat(browser.text(By.id("appointment-patient"))).isEqualTo("Absencefirst Testlast");
        assertThat(browser.text(By.id("appointment-phone"))).isEqualTo("+33 6 11 22 33 44");
        assertThat(browser.text(By.id("appointment-motive"))).isNotBlank();
        browser.checkPage("31-agenda-appointment");

        browser.open("/agenda/print?date=" + day);
        assertThat(driver.findElements(By.cssSelector("tr.print-row"))).isNotEmpty();
        browser.checkPage("32-day-list");

        browser.open("/agenda/absences");
        browser.setValue("startDate", day.toString());
        browser.setValue("startTime", "00:00");
        browser.setValue("endDate", day.toString());
        browser.setValue("endTime", "23:59");
        browser.click(By.id("add-absence"));
        assertThat(browser.text(By.id("absence-recorded"))).isEqualTo("L’absence est enregistrée.");
        assertThat(browser.text(By.id("affected"))).contains("Absencefirst Testlast");
        browser.checkPage("33-absence-recorded");
        assertThat(api.get("/api/v1/appointments/" + appointmentId, token)
                        .body()
                        .get("status")
                        .asString())
                .isEqualTo("BOOKED");

        browser.click(By.cssSelector("li.affected a"));
        browser.click(By.id("practice-move"));
        browser.visible(By.id("move-form"));
        WebElement firstWeek = driver.findElement(By.id("next-week"));
        firstWeek.click();
        browser.waitUntilGone(firstWeek);
        WebElement nextWeek = browser.waitUntil(ExpectedConditions.elementToBeClickable(By.id("next-week")));
        nextWeek.click(); // two weeks ahead, well clear of the absence
        browser.waitUntilGone(nextWeek);
        browser.visible(By.id("move-form"));
        browser.checkPage("33-practice-move");
        browser.click(By.cssSelector("#move-form button.slot"));
        assertThat(browser.text(By.id("notice"))).startsWith("Le rendez-vous est déplacé");
        assertThat(api.get("/api/v1/appointments/" + appointmentId, token)
                        .body()
                        .get("start")
                        .asString())
                .isNotEqualTo(slot.get("start").asString());

        SignIn.out(browser);
        SignIn.patient(browser, (String) registration.get("email"), (String) registration.get("password"));
        // The notices are posted by notifications once the changes have committed: reload until the
        // booking's confirmation, the absence and the move are in.
        browser.waitUntil(d -> {
            browser.open("/me/inbox");
            return browser.text(By.id("nav-inbox")).equals("Messages (3 non lus)");
        });
        WebElement message = browser.visible(By.cssSelector("li.message"));
        assertThat(browser.text(By.tagName("main")))
                .contains("doit être déplacé")
                .contains("est déplacé")
                .contains("est confirmé")
                .contains("Code de vérification de ce message : CRN-");
        assertThat(driver.findElements(By.cssSelector("li.message.unread"))).hasSize(3);
        browser.checkPage("34-inbox-absence-notice");
        message.findElement(By.cssSelector("button.mark-read")).click();
        browser.waitUntil(ExpectedConditions.presenceOfElementLocated(By.cssSelector("li.message.read")));

        browser.open("/me/inbox?lang=en");
        assertThat(browser.text(By.cssSelector("li.message h2"))).contains("Your appointment of");
        browser.open("/?lang=fr");
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

        SignIn.out(browser);
        SignIn.professional(browser, email, password, null);
        browser.open("/agenda/hours");
        assertThat(driver.findElement(By.id("MONDAY-opens1")).getAttribute("value"))
                .isEqualTo("08:00");
        assertThat(driver.findElement(By.id("slotMinutes")).getAttribute("value"))
                .isEqualTo("30");
        browser.checkPage("35-opening-hours");

        browser.setValue("MONDAY-opens1", "12:00");
        browser.setValue("MONDAY-closes1", "09:00");
        browser.setValue("slotMinutes", "15");
        browser.click(By.id("save-hours"));
        assertThat(browser.text(By.id("MONDAY-error"))).isEqualTo("L’ouverture doit précéder la fermeture.");
        assertThat(driver.findElement(By.id("MONDAY-opens1")).getAttribute("aria-describedby"))
                .isEqualTo("MONDAY-error");
        assertThat(driver.findElement(By.id("MONDAY-opens1")).getAttribute("value"))
                .isEqualTo("12:00");
        assertThat(driver.findElement(By.id("slotMinutes")).getAttribute("value"))
                .isEqualTo("15");
        browser.checkPage("36-opening-hours-errors");
        assertThat(agendas.schedule(agenda.practitioner().id()).orElseThrow().slotMinutes())
                .isEqualTo(30);

        for (String day : new String[] {"SATURDAY", "SUNDAY"}) {
            browser.setValue(day + "-opens1", "");
            browser.setValue(day + "-closes1", "");
        }
        browser.setValue("MONDAY-opens1", "09:00");
        browser.setValue("MONDAY-closes1", "12:00");
        browser.click(By.id("save-hours"));
        assertThat(browser.text(By.id("notice"))).startsWith("Les horaires sont enregistrés");
        Agendas.Schedule saved = agendas.schedule(agenda.practitioner().id()).orElseThrow();
        assertThat(saved.slotMinutes()).isEqualTo(15);
        assertThat(saved.hours()).noneMatch(h -> h.day() == java.time.DayOfWeek.SATURDAY);
        SignIn.out(browser);
    }

    @Test
    void staffBookByPhoneForANewPatientThenFindTheirFileForTheNextCall() {
        Fixtures.Agenda agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        String email = "staff-" + UUID.randomUUID() + "@example.test";
        String password = "correct horse battery staple";
        transactions.executeWithoutResult(status -> logins.create(
                Role.STAFF, UUID.randomUUID(), agenda.establishment().id(), email, password));
        LocalDate tomorrow = LocalDate.now(PARIS).plusDays(1);

        SignIn.out(browser);
        SignIn.professional(browser, email, password, null);
        browser.open("/agenda?date=" + tomorrow);
        assertThat(driver.findElement(By.id("practitioner-choice")).getText())
                .contains(agenda.practitioner().displayName());
        browser.checkPage("40-staff-agenda");

        browser.click(By.cssSelector("a.phone-book"));
        browser.visible(By.id("new-patient-form"));
        driver.findElement(By.id("search-lastName")).sendKeys("Nobodyknown");
        browser.click(By.id("search-patient-submit"));
        assertThat(browser.text(By.id("no-file"))).startsWith("Aucun dossier");
        browser.checkPage("41-phone-booking");

        driver.findElement(By.id("new-firstName")).sendKeys("Phonefirst");
        browser.click(By.id("book-new"));
        assertThat(browser.text(By.id("new-lastName-error"))).isEqualTo("Ce champ est obligatoire.");
        assertThat(driver.findElement(By.id("new-firstName")).getAttribute("value"))
                .isEqualTo("Phonefirst");
        assertThat(driver.findElement(By.id("new-phone")).getAttribute("aria-describedby"))
                .isEqualTo("new-phone-error");
        browser.checkPage("42-phone-booking-errors");
        Integer files = jdbc.sql("SELECT COUNT(*) FROM patient_files WHERE establishment_id = ?")
                .param(agenda.establishment().id())
                .query(Integer.class)
                .single();
        assertThat(files).isZero();

        driver.findElement(By.id("new-lastName")).sendKeys("Phoné-Last");
        browser.setValue("new-birthDate", "1950-04-05");
        browser.click(By.id("new-sex-F"));
        driver.findElement(By.id("new-phone")).sendKeys("+33 1 23 45 67 89");
        new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("new-motive"))).selectByIndex(1);
        browser.click(By.id("book-new"));
        assertThat(browser.text(By.id("notice"))).isEqualTo("Le rendez-vous est réservé.");
        assertThat(browser.text(By.cssSelector("tr.slot-booked"))).contains("Phonefirst Phoné-Last");

        browser.click(By.cssSelector("a.phone-book"));
        browser.visible(By.id("search-patient"));
        driver.findElement(By.id("search-lastName")).sendKeys("phone last");
        browser.click(By.id("search-patient-submit"));
        browser.click(By.id("file-0"));
        new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("existing-motive"))).selectByIndex(1);
        browser.checkPage("43-phone-booking-found");
        browser.click(By.id("book-existing"));
        assertThat(browser.text(By.id("notice"))).isEqualTo("Le rendez-vous est réservé.");
        assertThat(driver.findElements(By.cssSelector("tr.slot-booked"))).hasSize(2);

        // Another establishment's agenda and slots are not found, whatever id is typed.
        UUID elsewhere = new Fixtures(directory, agendas)
                .aPractitionerWithSlots()
                .practitioner()
                .id();
        browser.open("/agenda?practitioner=" + elsewhere);
        assertThat(browser.text(By.tagName("h1"))).isEqualTo("Page introuvable");
        String otherSlot = new Api(port)
                .get("/api/v1/practitioners/" + elsewhere + "/slots", null)
                .body()
                .get(0)
                .get("id")
                .asString();
        browser.open("/agenda/phone/" + otherSlot);
        assertThat(browser.text(By.tagName("h1"))).isEqualTo("Page introuvable");
        SignIn.out(browser);
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

        SignIn.out(browser);
        SignIn.professional(browser, email, password, null);
        browser.click(By.id("nav-establishment"));
        browser.click(By.id("manage-practitioners"));
        assertThat(browser.text(By.id("practitioners")))
                .contains(agenda.practitioner().displayName());
        driver.findElement(By.id("firstName")).sendKeys("Adminadded");
        driver.findElement(By.id("rpps")).sendKeys("12345");
        browser.click(By.id("add-practitioner"));
        assertThat(browser.text(By.id("rpps-error"))).startsWith("Ce numéro RPPS n’est pas valide");
        assertThat(driver.findElement(By.id("firstName")).getAttribute("value")).isEqualTo("Adminadded");
        browser.checkPage("50-establishment-practitioners-errors");

        driver.findElement(By.id("lastName")).sendKeys("Testlast");
        driver.findElement(By.id("rpps")).clear();
        driver.findElement(By.id("rpps"))
                .sendKeys(org.carnet.directory.Rpps.of(7_000_000_000L + (System.nanoTime() % 1_000_000))
                        .value());
        new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("specialty"))).selectByValue("pediatre");
        browser.click(By.id("add-practitioner"));
        assertThat(browser.text(By.id("notice"))).startsWith("Le praticien est ajouté");
        WebElement row = driver.findElements(By.cssSelector("#practitioners tbody tr")).stream()
                .filter(r -> r.getText().contains("Adminadded Testlast"))
                .findFirst()
                .orElseThrow();
        row.findElement(By.cssSelector("a.motives-link")).click();
        browser.visible(By.id("no-motives"));
        driver.findElement(By.id("label")).sendKeys("Première consultation");
        browser.setValue("durationMinutes", "30");
        browser.click(By.id("add-motive"));
        assertThat(browser.text(By.cssSelector("li.motive")))
                .contains("Première consultation")
                .contains("30 min");
        browser.checkPage("51-establishment-motives");

        browser.open("/establishment/practitioners");
        driver.findElements(By.cssSelector("#practitioners tbody tr")).stream()
                .filter(r -> r.getText().contains("Adminadded Testlast"))
                .findFirst()
                .orElseThrow()
                .findElement(By.cssSelector("a.hours-link"))
                .click();
        browser.visible(By.id("hours-form"));
        browser.setValue("TUESDAY-opens1", "09:00");
        browser.setValue("TUESDAY-closes1", "12:00");
        browser.click(By.id("save-hours"));
        assertThat(browser.text(By.id("notice"))).startsWith("Les horaires sont enregistrés");
        browser.checkPage("52-establishment-practitioners");
        SignIn.out(browser);
    }
}
