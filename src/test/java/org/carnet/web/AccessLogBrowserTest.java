package org.carnet.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.carnet.audit.AccessEvent;
import org.carnet.audit.AuditLog;
import org.carnet.directory.Directory;
import org.carnet.identity.Logins;
import org.carnet.scheduling.Agendas;
import org.carnet.shared.Action;
import org.carnet.shared.EstablishmentId;
import org.carnet.shared.Field;
import org.carnet.shared.PatientRef;
import org.carnet.shared.Purpose;
import org.carnet.shared.Resource;
import org.carnet.shared.Role;
import org.carnet.support.Api;
import org.carnet.support.Browser;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.carnet.support.Professionals;
import org.carnet.support.RequiresChromium;
import org.carnet.support.SignIn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.transaction.support.TransactionTemplate;

/** The patient's "who accessed my data" page, the administrator's log search and the security officer's check. */
@CarnetIntegrationTest
@DirtiesContext // its practitioner and administrator logins must not reach tests that count the demo ones
@RequiresChromium
class AccessLogBrowserTest {

    @Value("${local.server.port}")
    int port;

    @Autowired
    Directory directory;

    @Autowired
    Agendas agendas;

    @Autowired
    Logins logins;

    @Autowired
    AuditLog auditLog;

    @Autowired
    TransactionTemplate transactions;

    Browser browser;
    Fixtures.Agenda agenda;
    Map<String, Object> registration;
    UUID patient;

    @BeforeEach
    void aPatientWhoseFileAPractitionerRead() {
        browser = Browser.start(port);
        Api api = new Api(port);
        agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        registration = Fixtures.aRegistration();
        patient = Fixtures.registered(api, registration).account();
        String token = api.token((String) registration.get("email"), (String) registration.get("password"));
        api.post(
                "/api/v1/appointments",
                Map.of(
                        "slotId",
                        Fixtures.freeSlotIdsFromTomorrow(api, agenda).get(0),
                        "motiveId",
                        agenda.motive().id().toString()),
                token);
        UUID practitioner = new Professionals(logins, transactions)
                .practitioner(agenda.practitioner().id(), agenda.establishment().id())
                .userId();
        transactions.executeWithoutResult(status -> auditLog.record(new AccessEvent(
                logins.byId(practitioner).orElseThrow(),
                null,
                PatientRef.account(patient),
                EstablishmentId.of(agenda.establishment().id()),
                Action.READ,
                Resource.PATIENT_FILE,
                List.of(Field.FIRST_NAME, Field.LAST_NAME),
                Purpose.AGENDA,
                AccessEvent.Outcome.ALLOWED)));
    }

    @AfterEach
    void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void aPatientSeesWhichPractitionerReadTheirFileAndWhy() {
        SignIn.patient(browser, (String) registration.get("email"), (String) registration.get("password"));
        browser.click(By.id("nav-access-log"));

        WebElement table = browser.visible(By.id("access-log"));
        assertThat(browser.text(By.tagName("h1"))).isEqualTo("Qui a accédé à mes données");
        WebElement read = table.findElements(By.cssSelector("tbody tr")).stream()
                .filter(row -> row.getText().contains(agenda.practitioner().displayName()))
                .findFirst()
                .orElseThrow();
        assertThat(read.getText())
                .contains(agenda.establishment().name())
                .contains("Praticien — " + agenda.practitioner().displayName())
                .contains("Lecture — dossier patient (first_name, last_name)")
                .contains("Agenda du praticien")
                .contains("Autorisé");
        assertThat(table.getText()).contains("Prise de rendez-vous").contains("Création du compte");
        browser.checkPage("70-my-access-log");
    }

    @Test
    void anAdministratorSearchesTheLogByPatientAndAction() {
        Professionals.Login admin = new Professionals(logins, transactions)
                .staff(Role.ESTABLISHMENT_ADMIN, agenda.establishment().id());
        SignIn.professional(browser, admin);
        browser.open("/establishment/access-log");
        browser.visible(By.id("access-log-search"));

        browser.driver().findElement(By.id("patient")).sendKeys(patient.toString());
        new Select(browser.driver().findElement(By.id("action"))).selectByValue("READ");
        browser.click(By.id("search-submit"));

        browser.waitUntil(ExpectedConditions.urlContains("action=READ"));
        WebElement table = browser.visible(By.id("access-log"));
        List<WebElement> rows = table.findElements(By.cssSelector("tbody tr"));
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).getText())
                .contains(agenda.practitioner().displayName())
                .contains(patient.toString());
        assertThat(browser.text(By.id("result-count"))).startsWith("1 entrée");
        assertThat(browser.driver().findElement(By.id("export-csv")).getAttribute("href"))
                .contains("/establishment/access-log.csv")
                .contains("patient=" + patient)
                .contains("action=READ");
        browser.checkPage("71-establishment-access-log");
    }

    @Test
    void theSecurityOfficerVerifiesTheLogFromTheirPage() {
        SignIn.professional(browser, new Professionals(logins, transactions).staff(Role.SECURITY_OFFICER, null));
        browser.open("/security/audit");
        browser.click(By.id("verify"));

        assertThat(browser.text(By.id("verification-outcome"))).startsWith("Journal intact");
        assertThat(browser.text(By.id("witness-status"))).startsWith("Vérifié contre le témoin");
        assertThat(browser.driver().findElements(By.id("no-witness"))).isEmpty();
        assertThat(browser.driver().findElement(By.id("download-checkpoints")).getAttribute("href"))
                .endsWith("/security/audit/checkpoints.txt");
        browser.checkPage("72-security-verify");
    }
}
