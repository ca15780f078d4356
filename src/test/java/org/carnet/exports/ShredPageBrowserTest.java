package org.carnet.exports;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Crypto-shredding from the security officer's pages: from a downloaded export, a confirmation page that
 * names the establishment and says what becomes unreadable; refused (and nothing destroyed) while the
 * export was received too recently, refused without the confirmation ticked, then done once the waiting
 * time has passed; in French and in English.
 */
@CarnetIntegrationTest
@DirtiesContext // a closed establishment and its destroyed keys must not reach other tests
@RequiresChromium
class ShredPageBrowserTest {

    @Value("${local.server.port}")
    int port;

    @Autowired
    Directory directory;

    @Autowired
    Agendas agendas;

    @Autowired
    Logins logins;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    JdbcClient jdbc;

    Browser browser;

    @AfterEach
    void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void theOfficerIsRefusedTooEarlyThenDestroysTheKeysAfterConfirming() throws Exception {
        Professionals professionals = new Professionals(logins, transactions);
        Fixtures.Agenda leaving = new Fixtures(directory, agendas).aPractitionerWithSlots();
        Professionals.Login officer = professionals.staff(Role.SECURITY_OFFICER, null);
        UUID export = downloadedExport(leaving, professionals, officer);
        String name = leaving.establishment().name();

        browser = Browser.start(port);
        SignIn.professional(browser, officer);
        browser.open("/security/exports");
        browser.click(By.cssSelector("#export-" + export + " a.shred"));
        assertThat(browser.text(By.tagName("h1"))).isEqualTo("Détruire les clés de " + name);
        assertThat(browser.text(By.id("shred-establishment"))).startsWith(name);
        assertThat(browser.text(By.id("shred-effects")))
                .contains("dossiers patients")
                .contains("illisibles");
        browser.checkPage("90-shred-confirm");

        // Without the box ticked: nothing happens.
        browser.click(By.id("shred-submit"));
        assertThat(browser.text(By.id("shred-confirm-error"))).isEqualTo("Cochez la case pour confirmer.");
        assertThat(dataKeys(leaving)).isEqualTo(1);

        // Downloaded just now: refused, and said so; nothing destroyed.
        browser.click(By.id("shred-confirm"));
        browser.click(By.id("shred-submit"));
        assertThat(browser.text(By.id("shred-error")))
                .startsWith("Refusé : aucun export de ses dossiers patients n’a été téléchargé")
                .contains("30 jours");
        assertThat(dataKeys(leaving)).isEqualTo(1);
        browser.checkPage("91-shred-refused");

        // In English, the same refusal.
        browser.open("/security/establishments/" + leaving.establishment().id() + "/shred?lang=en");
        assertThat(browser.text(By.tagName("h1"))).isEqualTo("Destroy the keys of " + name);
        browser.click(By.id("shred-confirm"));
        browser.click(By.id("shred-submit"));
        assertThat(browser.text(By.id("shred-error")))
                .startsWith("Refused: no export of its patient files was downloaded")
                .contains("30 days");
        browser.checkPage("92-shred-refused-en");

        // A month later (the download moved back in time): destroyed from the page.
        jdbc.sql("UPDATE exports SET downloaded_at = ? WHERE id = ?")
                .params(OffsetDateTime.now(ZoneOffset.UTC).minusDays(31), export)
                .update();
        browser.open("/security/establishments/" + leaving.establishment().id() + "/shred");
        browser.click(By.id("shred-confirm"));
        browser.click(By.id("shred-submit"));
        assertThat(browser.text(By.id("shred-done")))
                .isEqualTo("The keys of " + name + " are destroyed; the establishment is closed.");
        assertThat(dataKeys(leaving)).isZero();
        assertThat(browser.driver().findElements(By.id("shred-form"))).isEmpty();
        browser.checkPage("93-shred-done-en");

        browser.open("/security/establishments/" + leaving.establishment().id() + "/shred?lang=fr");
        assertThat(browser.text(By.id("shred-destroyed")))
                .isEqualTo("Les clés de cet établissement sont déjà détruites.");
        browser.checkPage("94-shred-already-done");
    }

    /** An export of the establishment's patient files, requested, approved and downloaded just now. */
    private UUID downloadedExport(Fixtures.Agenda agenda, Professionals professionals, Professionals.Login officer)
            throws Exception {
        Api api = new Api(port);
        // A patient's appointment: something sealed under the establishment's key.
        Fixtures.book(
                api,
                Fixtures.aPatient(api),
                agenda,
                Fixtures.freeSlotIdsFromTomorrow(api, agenda).get(0));
        String admin = api.token(professionals.staff(
                Role.ESTABLISHMENT_ADMIN, agenda.establishment().id()));
        UUID export = UUID.fromString(api.post(
                        "/api/v1/establishment/exports",
                        Map.of(
                                "recipient", "Éditeur Exemple",
                                "recipientKey", new TestRecipient("Vendor <vendor@example.test>").publicKey(),
                                "scope", List.of("PATIENTS"),
                                "from", LocalDate.now().minusDays(1).toString(),
                                "to", LocalDate.now().plusDays(1).toString()),
                        admin)
                .body()
                .get("id")
                .asString());
        String link = api.post("/api/v1/security/exports/" + export + "/approve", Map.of(), api.token(officer))
                .body()
                .get("downloadUrl")
                .asString();
        HttpResponse<byte[]> download = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + link))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        assertThat(download.statusCode()).isEqualTo(200);
        return export;
    }

    private int dataKeys(Fixtures.Agenda agenda) {
        return jdbc.sql("SELECT COUNT(*) FROM data_keys WHERE owner_type = 'ESTABLISHMENT' AND owner_id = ?")
                .param(agenda.establishment().id())
                .query(Integer.class)
                .single();
    }
}
