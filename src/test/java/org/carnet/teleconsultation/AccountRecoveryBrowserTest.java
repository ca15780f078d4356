package org.carnet.teleconsultation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import java.util.List;
import java.util.UUID;
import org.carnet.support.Browser;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.carnet.support.RequiresChromium;
import org.carnet.support.SignIn;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;

/**
 * The account key in headless Chromium (docs/e2e.md, "Account key, devices and recovery"): a patient whose
 * browser profile is wiped gets every past message back with the recovery code (one of them sent while no
 * device of theirs was open), a wrong code is refused visibly, and a second device linked from the first
 * (each in its own profile, fingerprints compared) reads the past messages too.
 */
@CarnetIntegrationTest
@RequiresChromium
@DirtiesContext // its professional logins must not reach tests that count the demo ones
class AccountRecoveryBrowserTest extends ConsultationInBrowsers {

    @Test
    void theRecoveryCodeRestoresEveryPastMessageInAWipedProfileAndAWrongCodeIsRefused() {
        practitionerBrowser = Browser.start(port);
        SignIn.professional(practitionerBrowser, practitioner);
        createKeys(practitionerBrowser);
        String password = (String) registration.get("password");
        SignIn.patient(patientBrowser, patient.email(), password);
        String accountKid = createKeys(patientBrowser);
        String code = patientBrowser.text(By.id("recovery-code"));
        assertThat(code).matches("([0-9A-HJKMNP-TV-Z]{4}-){7}[0-9A-HJKMNP-TV-Z]{4}");
        patientBrowser.checkPage("e2e-keys-recovery-code");
        patientBrowser.click(By.id("code-saved"));
        assertThat(patientBrowser
                        .driver()
                        .findElement(By.id("recovery-code-box"))
                        .isDisplayed())
                .isFalse();
        UUID appointment = book();

        patientBrowser.open("/me/teleconsultations/" + appointment);
        patientBrowser.click(By.id("exchange-set-up"));
        opened(patientBrowser);
        send(patientBrowser, "Bonjour, j'ai de la fièvre", 1);

        // The patient's browser is gone with its profile; the practitioner answers meanwhile.
        patientBrowser.close();
        patientBrowser = null;
        practitionerBrowser.open("/agenda/teleconsultations/" + appointment);
        opened(practitionerBrowser);
        send(practitionerBrowser, "Prenez votre température ce soir", 2);

        // A fresh profile: no key here. A wrong code (well formed) is refused and changes nothing.
        patientBrowser = Browser.start(port);
        SignIn.patient(patientBrowser, patient.email(), password);
        patientBrowser.open("/account/keys");
        state(patientBrowser, "elsewhere");
        assertThat(patientBrowser.driver().findElement(By.id("create-keys")).isDisplayed())
                .as("no new keys offered over the account's")
                .isFalse();
        patientBrowser.checkPage("e2e-keys-recover");
        String wrong = anotherCode(code);
        patientBrowser.driver().findElement(By.id("recovery-input")).sendKeys(wrong);
        patientBrowser.click(By.id("recover-submit"));
        patientBrowser.waitUntil(ExpectedConditions.attributeToBe(By.id("e2e-keys"), "data-error", "wrong-code"));
        assertThat(patientBrowser.text(By.cssSelector("#keys-error [data-code='wrong-code']")))
                .contains("n’ouvre pas");
        assertThat(patientBrowser.driver().findElement(By.id("e2e-keys")).getAttribute("data-state"))
                .isEqualTo("elsewhere");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM account_devices WHERE subject_id = ?")
                        .param(patient.account())
                        .query(Integer.class)
                        .single())
                .as("a wrong code registers no device")
                .isEqualTo(1);
        patientBrowser.checkPage("e2e-keys-wrong-code");

        // The right code, typed in lower case and without dashes: the same account key, on this device.
        WebElement input = patientBrowser.driver().findElement(By.id("recovery-input"));
        input.clear();
        input.sendKeys(code.replace("-", "").toLowerCase(java.util.Locale.ROOT));
        patientBrowser.click(By.id("recover-submit"));
        state(patientBrowser, "ready");
        assertThat(patientBrowser.text(By.id("device-kid"))).isEqualTo(accountKid);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM account_devices WHERE subject_id = ? AND linked_at IS NOT NULL")
                        .param(patient.account())
                        .query(Integer.class)
                        .single())
                .as("this device is linked: the account key is wrapped to it")
                .isEqualTo(2);

        patientBrowser.open("/me/teleconsultations/" + appointment);
        opened(patientBrowser);
        messages(patientBrowser, 2);
        assertThat(patientBrowser.text(By.cssSelector("#messages li:nth-child(1) .text")))
                .isEqualTo("Bonjour, j'ai de la fièvre");
        assertThat(patientBrowser.text(By.cssSelector("#messages li:nth-child(2) .text")))
                .isEqualTo("Prenez votre température ce soir");
    }

    @Test
    void aSecondDeviceLinkedFromTheFirstAfterComparingFingerprintsShowsThePastMessages() throws Exception {
        // The practitioner's client is the Java one here: one browser per device of the patient's.
        JoseClient.Keys practitionerKeys = JoseClient.Keys.generate();
        assertThat(api.post(BASE + "/keys/me", practitionerKeys.publication(), practitionerToken)
                        .status())
                .isEqualTo(200);
        String password = (String) registration.get("password");
        SignIn.patient(patientBrowser, patient.email(), password);
        String accountKid = createKeys(patientBrowser);
        String firstCode = patientBrowser.text(By.id("recovery-code"));
        patientBrowser.click(By.id("code-saved"));
        UUID appointment = book();
        patientBrowser.open("/me/teleconsultations/" + appointment);
        patientBrowser.click(By.id("exchange-set-up"));
        opened(patientBrowser);
        send(patientBrowser, "Message du premier appareil", 1);
        OctetSequenceKey key = JoseClient.unwrap(
                api.get(BASE + "/" + appointment + "/keys/mine", practitionerToken)
                        .body()
                        .get("envelope"),
                practitionerKeys.encryption(),
                appointment,
                "practitioner:" + agenda.practitioner().id());
        postAsPractitioner(key, appointment, "Réponse du praticien");

        // The second device (its own profile) asks to be linked and shows its fingerprint.
        try (Browser second = Browser.start(port)) {
            SignIn.patient(second, patient.email(), password);
            second.open("/account/keys");
            state(second, "elsewhere");
            second.click(By.id("link-request"));
            String fingerprint = second.text(By.id("link-kid"));
            assertThat(fingerprint).matches("[A-Za-z0-9_-]{43}");
            assertThat(second.text(By.id("this-device-kid"))).isEqualTo(fingerprint);

            // The first device lists it as waiting, with the same fingerprint; its user approves it.
            patientBrowser.open("/account/keys");
            state(patientBrowser, "ready");
            By waiting = By.cssSelector("#devices li[data-device='" + fingerprint + "']");
            WebElement row = patientBrowser.visible(waiting);
            assertThat(row.getAttribute("data-status")).isEqualTo("pending");
            assertThat(row.findElement(By.className("fingerprint")).getText()).isEqualTo(fingerprint);
            patientBrowser.checkPage("e2e-keys-devices");
            row.findElement(By.className("approve")).click();
            patientBrowser.waitUntil(ExpectedConditions.attributeToBe(
                    By.cssSelector("#devices li[data-device='" + fingerprint + "']"), "data-status", "linked"));

            second.click(By.id("link-check"));
            state(second, "ready");
            assertThat(second.text(By.id("device-kid"))).isEqualTo(accountKid);
            second.open("/me/teleconsultations/" + appointment);
            opened(second);
            messages(second, 2);
            assertThat(second.text(By.cssSelector("#messages li:nth-child(1) .text")))
                    .isEqualTo("Message du premier appareil");
            assertThat(second.text(By.cssSelector("#messages li:nth-child(2) .text")))
                    .isEqualTo("Réponse du praticien");

            // The first device removes the second (say it was stolen). Its own row asks for a confirmation
            // first; the other is removed at once, and the page offers a new account key version.
            patientBrowser.open("/account/keys");
            state(patientBrowser, "ready");
            String mine = patientBrowser.text(By.id("this-device-kid"));
            WebElement own = patientBrowser.visible(deviceRow(mine));
            own.findElement(By.className("remove")).click();
            assertThat(own.findElement(By.className("confirm-remove")).isDisplayed())
                    .isTrue();
            assertThat(removedDevices())
                    .as("nothing removed before the confirmation")
                    .isZero();
            patientBrowser
                    .visible(deviceRow(fingerprint))
                    .findElement(By.className("remove"))
                    .click();
            patientBrowser.visible(By.id("removed-box"));
            patientBrowser.waitUntil(ExpectedConditions.attributeToBe(By.id("devices"), "data-count", "1"));
            assertThat(removedDevices()).isEqualTo(1);
            assertThat(jdbc.sql("SELECT COUNT(*) FROM account_key_wraps WHERE recipient = ?")
                            .param("device:" + fingerprint)
                            .query(Integer.class)
                            .single())
                    .isZero();
            patientBrowser.checkPage("e2e-keys-removed");
            patientBrowser.click(By.id("rekey"));
            patientBrowser.visible(By.id("recovery-code"));
            assertThat(api.get(BASE + "/keys/patient/" + patient.account(), patient.token())
                            .body()
                            .get("version")
                            .asInt())
                    .as("a new account key version")
                    .isEqualTo(2);

            // A new recovery code made on this device (its proof signed in the browser): both versions are
            // wrapped under it, and the two codes shown before open nothing any more.
            String rekeyCode = patientBrowser.text(By.id("recovery-code"));
            patientBrowser.click(By.id("code-saved"));
            patientBrowser.click(By.id("new-code"));
            patientBrowser.waitUntil(d -> {
                String shown = d.findElement(By.id("recovery-code")).getText();
                return !shown.isEmpty() && !shown.equals(rekeyCode);
            });
            String newCode = patientBrowser.text(By.id("recovery-code"));
            String account = AccountKeyClient.account(patient.account());
            JsonNode recovery =
                    api.get(BASE + "/keys/me/recovery", patient.token()).body();
            assertThat(recovery.size()).isEqualTo(2);
            for (JsonNode wrap : recovery) {
                assertThat(AccountKeyClient.openWithCode(wrap.get("envelope"), account, newCode.replace("-", "")))
                        .isNotEmpty();
                for (String old : List.of(firstCode, rekeyCode)) {
                    assertThatThrownBy(() ->
                                    AccountKeyClient.openWithCode(wrap.get("envelope"), account, old.replace("-", "")))
                            .isInstanceOf(JOSEException.class);
                }
            }
        }
    }

    private static By deviceRow(String deviceKid) {
        return By.cssSelector("#devices li[data-device='" + deviceKid + "']");
    }

    private int removedDevices() {
        return jdbc.sql("SELECT COUNT(*) FROM account_devices WHERE subject_id = ? AND removed_at IS NOT NULL")
                .param(patient.account())
                .query(Integer.class)
                .single();
    }

    @Test
    void aDeviceKeyPublishedAsTheAccountKeyMovesToAnAccountKeyAndStillOpensItsConsultations() throws Exception {
        JoseClient.Keys practitionerKeys = JoseClient.Keys.generate();
        assertThat(api.post(BASE + "/keys/me", practitionerKeys.publication(), practitionerToken)
                        .status())
                .isEqualTo(200);
        SignIn.patient(patientBrowser, patient.email(), (String) registration.get("password"));
        patientBrowser.open("/account/keys");
        state(patientBrowser, "none");
        // What the keys page did before the account key: this device's key published as the account's.
        Object made = ((org.openqa.selenium.JavascriptExecutor) patientBrowser.driver())
                .executeAsyncScript("var done = arguments[arguments.length - 1];"
                        + " var root = document.getElementById('e2e-keys');"
                        + " var csrf = {header: root.dataset.csrfHeader, token: root.dataset.csrfToken};"
                        + " CarnetE2e.createDeviceKeys(root.dataset.subjectKind + ':' + root.dataset.subjectId)"
                        + ".then(function (d) { return CarnetE2e.postJson('/e2e/keys/me', d.publication, csrf); })"
                        + ".then(function (entry) { done(entry.encryptionKid); }, function (e) { done('failed'); });");
        String oldKid = String.valueOf(made);
        assertThat(oldKid).matches("[A-Za-z0-9_-]{43}");
        UUID appointment = book();
        patientBrowser.open("/me/teleconsultations/" + appointment);
        patientBrowser.click(By.id("exchange-set-up"));
        opened(patientBrowser);
        send(patientBrowser, "Message chiffré pour l'ancienne clé", 1);

        // The keys page offers the move; it publishes a new account key version with a recovery code.
        patientBrowser.open("/account/keys");
        state(patientBrowser, "legacy");
        assertThat(patientBrowser.text(By.id("device-kid"))).isEqualTo(oldKid);
        patientBrowser.checkPage("e2e-keys-legacy");
        patientBrowser.click(By.id("upgrade-keys"));
        state(patientBrowser, "ready");
        assertThat(patientBrowser.text(By.id("recovery-code"))).hasSize(39);
        String accountKid = patientBrowser.text(By.id("device-kid"));
        assertThat(accountKid).isNotEqualTo(oldKid);
        assertThat(patientBrowser.text(By.id("directory-kid"))).isEqualTo(accountKid);
        assertThat(api.get(BASE + "/keys/patient/" + patient.account(), patient.token())
                        .body()
                        .get("version")
                        .asInt())
                .isEqualTo(2);

        // The consultation wrapped to the old key still opens on this device, and a new one uses the account key.
        patientBrowser.open("/me/teleconsultations/" + appointment);
        opened(patientBrowser);
        messages(patientBrowser, 1);
        assertThat(patientBrowser.text(By.cssSelector("#messages li:nth-child(1) .text")))
                .isEqualTo("Message chiffré pour l'ancienne clé");
        UUID later = Fixtures.book(
                api,
                patient,
                agenda,
                Fixtures.freeSlotIdsFromTomorrow(api, agenda).get(0));
        patientBrowser.open("/me/teleconsultations/" + later);
        patientBrowser.click(By.id("exchange-set-up"));
        opened(patientBrowser);
        assertThat(jdbc.sql(
                                "SELECT envelope FROM consultation_keys WHERE appointment_id = ? AND recipient_kind = 'PATIENT'")
                        .param(later)
                        .query(String.class)
                        .single())
                .as("the new consultation is wrapped to the account key")
                .isNotNull();
        assertThat(api.get(BASE + "/" + later + "/keys/mine", patient.token())
                        .body()
                        .get("keyVersion")
                        .asInt())
                .isEqualTo(2);
    }

    private UUID book() {
        return Fixtures.book(
                api,
                patient,
                agenda,
                Fixtures.freeSlotIdsFromTomorrow(api, agenda).get(0));
    }

    /** A well-formed recovery code that is not this one (its first character changed). */
    private static String anotherCode(String code) {
        char first = code.charAt(0) == '7' ? '8' : '7';
        return first + code.substring(1);
    }

    private static void state(Browser browser, String state) {
        browser.waitUntil(ExpectedConditions.or(
                ExpectedConditions.attributeToBe(By.id("e2e-keys"), "data-state", state),
                ExpectedConditions.attributeToBeNotEmpty(
                        browser.driver().findElement(By.id("e2e-keys")), "data-error")));
        assertThat(browser.driver().findElement(By.id("e2e-keys")).getAttribute("data-error"))
                .as("the keys page's refusal")
                .isNull();
        assertThat(browser.driver().findElement(By.id("e2e-keys")).getAttribute("data-state"))
                .isEqualTo(state);
    }

    private static void opened(Browser browser) {
        browser.waitUntil(ExpectedConditions.or(
                ExpectedConditions.attributeToBe(By.id("exchange"), "data-opened", "true"),
                ExpectedConditions.attributeToBeNotEmpty(
                        browser.driver().findElement(By.id("exchange")), "data-error")));
        assertThat(browser.driver().findElement(By.id("exchange")).getAttribute("data-error"))
                .as("the page's refusal")
                .isNull();
    }

    private static void messages(Browser browser, int count) {
        browser.waitUntil(ExpectedConditions.attributeToBe(By.id("messages"), "data-count", String.valueOf(count)));
    }

    private static void send(Browser browser, String text, int count) {
        browser.driver().findElement(By.id("message-text")).sendKeys(text);
        browser.click(By.id("message-submit"));
        messages(browser, count);
    }

    private void postAsPractitioner(OctetSequenceKey key, UUID appointment, String text) {
        JoseClient.postMessage(api, key, appointment, text, practitionerToken);
    }
}
