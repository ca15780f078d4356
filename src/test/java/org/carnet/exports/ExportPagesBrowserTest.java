package org.carnet.exports;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.carnet.directory.Directory;
import org.carnet.identity.Logins;
import org.carnet.patients.PatientFiles;
import org.carnet.scheduling.Agendas;
import org.carnet.shared.Role;
import org.carnet.support.Browser;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.carnet.support.Professionals;
import org.carnet.support.RequiresChromium;
import org.carnet.support.SignIn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * An export's life on the pages: the administrator asks for it (a bad key is refused on the form), the
 * security officer approves it and reads the one-time link, the recipient downloads it, and the
 * officer's leak check names that export from the leaked patients file, and no export from an
 * unrelated sample.
 */
@CarnetIntegrationTest
@DirtiesContext // its many patient files and logins must not reach other tests
@RequiresChromium
class ExportPagesBrowserTest {

    static final int PATIENTS = 1600;

    @Value("${local.server.port}")
    int port;

    @Autowired
    Directory directory;

    @Autowired
    Agendas agendas;

    @Autowired
    Logins logins;

    @Autowired
    PatientFiles patientFiles;

    @Autowired
    TransactionTemplate transactions;

    Browser browser;

    @AfterEach
    void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void anAdministratorAsksAnOfficerApprovesTheRecipientDownloadsAndTheLeakIsTracedBack() throws Exception {
        Professionals professionals = new Professionals(logins, transactions);
        Fixtures.Agenda agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        Professionals.Login admin = professionals.staff(
                Role.ESTABLISHMENT_ADMIN, agenda.establishment().id());
        SyntheticPatients.file(
                patientFiles,
                transactions,
                agenda.establishment().id(),
                admin.userId(),
                SyntheticPatients.people(PATIENTS, 11));
        TestRecipient vendor = new TestRecipient("Vendor <vendor@example.test>");

        browser = Browser.start(port);
        SignIn.professional(browser, admin);
        browser.open("/establishment");
        browser.click(By.id("establishment-exports"));
        assertThat(browser.text(By.tagName("h1"))).isEqualTo("Exports de l’établissement");
        browser.visible(By.id("no-exports"));

        // A key that is no OpenPGP key: refused on the form, nothing requested.
        fill("Logiciel Exemple", "not a key", LocalDate.now().minusYears(1), LocalDate.now());
        browser.click(By.id("scope-PATIENTS"));
        browser.click(By.id("request-export"));
        assertThat(browser.text(By.id("recipientKey-error"))).startsWith("Collez une clé publique OpenPGP");
        assertThat(browser.driver().findElement(By.id("recipient")).getAttribute("value"))
                .isEqualTo("Logiciel Exemple");
        browser.visible(By.id("no-exports"));
        browser.checkPage("80-export-request-refused");

        fill("Logiciel Exemple", vendor.publicKey(), LocalDate.now().minusYears(1), LocalDate.now());
        browser.click(By.id("request-export"));
        assertThat(browser.text(By.id("notice"))).startsWith("Export demandé");
        WebElement row = browser.visible(By.cssSelector("#exports tbody tr"));
        assertThat(row.getText()).contains("Logiciel Exemple").contains("dossiers patients");
        assertThat(row.findElement(By.className("status")).getText()).isEqualTo("en attente d’approbation");
        browser.checkPage("81-establishment-exports");
        SignIn.out(browser);

        SignIn.professional(browser, professionals.staff(Role.SECURITY_OFFICER, null));
        browser.open("/security/exports");
        browser.click(By.id("security-nav-exports"));
        browser.click(By.cssSelector("#exports button.approve"));
        String link = browser.text(By.id("download-url"));
        assertThat(link)
                .matches("http://(localhost|127\\.0\\.0\\.1):" + port + "/api/v1/exports/download/[A-Za-z0-9_-]{43}");
        assertThat(browser.text(By.cssSelector("#exports .status"))).isEqualTo("approuvé, lien envoyé");
        assertThat(browser.driver().findElements(By.cssSelector("#exports button.approve")))
                .isEmpty();
        browser.checkPage("82-security-export-approved");
        // The link was shown once: the list no longer holds it.
        browser.open("/security/exports");
        assertThat(browser.driver().findElements(By.id("download-url"))).isEmpty();

        HttpResponse<byte[]> download = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(link)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(download.statusCode()).isEqualTo(200);
        String patients =
                ExportApiIntegrationTest.unzip(vendor.open(download.body())).get("patients.csv");
        Path leaked = Files.createTempFile("leaked", ".csv");
        try {
            Files.writeString(leaked, patients);

            browser.click(By.id("security-nav-leak-trace"));
            browser.driver().findElement(By.id("trace-file")).sendKeys(leaked.toString());
            browser.click(By.id("trace"));
            assertThat(browser.text(By.id("trace-outcome"))).isEqualTo("Ce fichier provient d’un export de Carnet.");
            assertThat(browser.text(By.id("trace-recipient"))).startsWith("Logiciel Exemple");
            assertThat(browser.text(By.id("trace-establishment")))
                    .isEqualTo(agenda.establishment().name());
            browser.checkPage("83-security-leak-traced");
        } finally {
            Files.delete(leaked);
        }

        // A pasted sample of people of the same shape that no export holds: named as no export's.
        StringBuilder unrelated = new StringBuilder("first_name,last_name,birth_date,phone\n");
        for (SyntheticPatients.Person p : SyntheticPatients.people(200, 99)) {
            unrelated
                    .append(String.join(
                            ",",
                            List.of(p.firstName(), p.lastName(), p.birthDate().toString(), p.phone())))
                    .append('\n');
        }
        browser.open("/security/leak-trace");
        browser.setValue("sample", unrelated.toString());
        browser.click(By.id("trace"));
        assertThat(browser.text(By.id("trace-outcome"))).startsWith("Ce fichier ne provient d’aucun export");
    }

    private void fill(String recipient, String key, LocalDate from, LocalDate to) {
        browser.driver().findElement(By.id("recipient")).clear();
        browser.driver().findElement(By.id("recipient")).sendKeys(recipient);
        browser.setValue("recipientKey", key);
        browser.setValue("from", from.toString());
        browser.setValue("to", to.toString());
    }
}
