package org.carnet.teleconsultation;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.OctetSequenceKey;
import java.util.Map;
import java.util.UUID;
import org.carnet.shared.Role;
import org.carnet.support.Api;
import org.carnet.support.Browser;
import org.carnet.support.Canaries;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.carnet.support.Professionals;
import org.carnet.support.RequiresChromium;
import org.carnet.support.SignIn;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;

/**
 * The establishment key in headless Chromium (docs/e2e.md, "The establishment key"): the administrator's
 * browser makes it, shows the offline code and wraps it to the practitioners; a colleague of the appointment's
 * practitioner, in their own browser, opens the consultation's message through it (continuity of care); after
 * the colleague's departure the administrator's browser renews it with the code, and the new version is wrapped
 * to the one who stays only.
 */
@CarnetIntegrationTest
@RequiresChromium
@DirtiesContext // its professional logins must not reach tests that count the demo ones
class EstablishmentKeyBrowserTest extends ConsultationInBrowsers {

    @Test
    void theAdministratorMakesTheKeyAndAColleagueReadsTheConsultationThroughIt() {
        String canary = Canaries.aCanary();
        UUID establishment = agenda.establishment().id();
        Professionals professionals = new Professionals(logins, transactions);
        Professionals.Login admin = professionals.staff(Role.ESTABLISHMENT_ADMIN, establishment);
        Fixtures.Agenda colleague = new Fixtures(directory, agendas).aColleagueWithSlots(agenda);
        Professionals.Login colleagueLogin =
                professionals.practitioner(colleague.practitioner().id(), establishment);
        JoseClient.Keys patientKeys = JoseClient.Keys.generate();
        JoseClient.Keys practitionerKeys = JoseClient.Keys.generate();
        assertThat(api.post(BASE + "/keys/me", patientKeys.publication(), patient.token())
                        .status())
                .isEqualTo(200);
        assertThat(api.post(BASE + "/keys/me", practitionerKeys.publication(), practitionerToken)
                        .status())
                .isEqualTo(200);
        UUID appointment = Fixtures.book(
                api,
                patient,
                agenda,
                Fixtures.freeSlotIdsFromTomorrow(api, agenda).get(0));
        // The colleague is in care of the patient: an appointment with them too.
        Fixtures.book(
                api,
                patient,
                colleague,
                Fixtures.freeSlotIdsFromTomorrow(api, colleague).get(0));

        // The colleague makes their account key in their browser.
        practitionerBrowser = Browser.start(port);
        SignIn.professional(practitionerBrowser, colleagueLogin);
        createKeys(practitionerBrowser);

        // The administrator's browser makes the establishment key: the code is shown once.
        Browser adminBrowser = patientBrowser;
        SignIn.professional(adminBrowser, admin);
        adminBrowser.open("/establishment");
        adminBrowser.clickToNewPage(By.id("establishment-keys"));
        adminBrowser.click(By.id("make-establishment-key"));
        adminBrowser.waitUntil(
                d -> "made".equals(d.findElement(By.id("establishment-key")).getAttribute("data-state"))
                        || d.findElement(By.id("establishment-key")).getAttribute("data-error") != null);
        assertThat(adminBrowser.driver().findElement(By.id("establishment-key")).getAttribute("data-error"))
                .isNull();
        String code = adminBrowser.text(By.id("recovery-code"));
        assertThat(code).matches("([0-9A-HJKMNP-TV-Z]{4}-){7}[0-9A-HJKMNP-TV-Z]{4}");
        adminBrowser.checkPage("e2e-establishment-key-code");
        adminBrowser.clickToNewPage(By.id("code-saved"));
        adminBrowser.checkPage("e2e-establishment-key");
        JsonNode status = status(admin);
        int first = status.get("current").get("version").asInt();
        assertThat(holds(status, colleague.practitioner().id())).isEqualTo("[" + first + "]");
        assertThat(holds(status, agenda.practitioner().id())).isEqualTo("[" + first + "]");

        // The patient's (Java) client wraps a consultation to the browser-made establishment key and writes.
        OctetSequenceKey key = JoseClient.newConsultationKey(appointment);
        Api.Response stored = api.post(
                BASE + "/" + appointment + "/keys",
                Map.of(
                        "patient", wrapTo(key, appointment, "patient", patient.account()),
                        "practitioner",
                                wrapTo(
                                        key,
                                        appointment,
                                        "practitioner",
                                        agenda.practitioner().id()),
                        "establishment", wrapTo(key, appointment, "establishment", establishment)),
                patient.token());
        assertThat(stored.status()).as(stored.raw()).isEqualTo(201);
        JoseClient.postMessage(api, key, appointment, canary, patient.token());

        // The colleague, who holds no wrap of the consultation key, opens it through the establishment key.
        practitionerBrowser.open("/agenda/teleconsultations/" + appointment);
        practitionerBrowser.waitUntil(ExpectedConditions.or(
                ExpectedConditions.attributeToBe(By.id("exchange"), "data-opened", "true"),
                ExpectedConditions.attributeToBeNotEmpty(
                        practitionerBrowser.driver().findElement(By.id("exchange")), "data-error")));
        assertThat(practitionerBrowser.driver().findElement(By.id("exchange")).getAttribute("data-error"))
                .isNull();
        practitionerBrowser.waitUntil(ExpectedConditions.attributeToBe(By.id("messages"), "data-count", "1"));
        assertThat(practitionerBrowser.text(By.cssSelector("#messages li:nth-child(1) .text")))
                .isEqualTo(canary);

        // The colleague leaves; the administrator's next visit renews the key with the code.
        adminBrowser.clickToNewPage(By.id("depart-" + colleague.practitioner().id()));
        adminBrowser.visible(By.id("rotation-due"));
        adminBrowser
                .driver()
                .findElement(By.id("establishment-code"))
                .sendKeys(code.toLowerCase(java.util.Locale.ROOT).replace("-", ""));
        adminBrowser.click(By.id("rotate-establishment-key"));
        adminBrowser.waitUntil(
                d -> "rotated".equals(d.findElement(By.id("establishment-key")).getAttribute("data-state"))
                        || d.findElement(By.id("establishment-key")).getAttribute("data-error") != null);
        assertThat(adminBrowser.driver().findElement(By.id("establishment-key")).getAttribute("data-error"))
                .isNull();
        JsonNode rotated = status(admin);
        int second = rotated.get("current").get("version").asInt();
        assertThat(second).isEqualTo(first + 1);
        assertThat(rotated.get("rotationDue").asBoolean()).isFalse();
        assertThat(holds(rotated, agenda.practitioner().id())).isEqualTo("[" + first + "," + second + "]");
        assertThat(holds(rotated, colleague.practitioner().id())).isEqualTo("[" + first + "]");
    }

    private JsonNode status(Professionals.Login admin) {
        return api.get(BASE + "/keys/establishment/status", api.token(admin)).body();
    }

    private static String holds(JsonNode status, UUID practitioner) {
        for (JsonNode p : status.get("practitioners")) {
            if (p.get("practitionerId").asString().equals(practitioner.toString())) {
                return p.get("wrappedVersions").toString();
            }
        }
        throw new AssertionError("no practitioner " + practitioner);
    }

    private Map<String, Object> wrapTo(OctetSequenceKey key, UUID appointment, String kind, UUID recipient) {
        JsonNode entry = api.get(BASE + "/keys/" + kind + "/" + recipient, patient.token())
                .body();
        return JoseClient.wrap(
                key,
                appointment,
                kind + ":" + recipient,
                entry.get("encryptionJwk").asString());
    }
}
