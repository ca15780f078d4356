package org.carnet.teleconsultation;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.OctetSequenceKey;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.carnet.support.Api;
import org.carnet.support.Browser;
import org.carnet.support.Canaries;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.carnet.support.RequiresChromium;
import org.carnet.support.SignIn;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The questionnaire end to end in two headless Chromium profiles: each side makes its keys in its
 * browser (non-extractable, IndexedDB), the patient's browser encrypts the answers, the practitioner's
 * decrypts and shows them; the server keeps no plaintext. The browser's envelopes open with
 * nimbus-jose-jwt and the Java client's open in the browser, so both follow docs/e2e.md.
 */
@CarnetIntegrationTest
@RequiresChromium
@ExtendWith(OutputCaptureExtension.class)
@DirtiesContext // its professional logins must not reach tests that count the demo ones
class TeleconsultationBrowserTest extends ConsultationInBrowsers {

    String formId;

    @BeforeEach
    void aQuestionnaireForTheTeleconsultationMotive() {
        Api.Response form = api.post(BASE + "/questionnaires", aQuestionnaire(), practitionerToken);
        assertThat(form.status()).isEqualTo(201);
        formId = form.body().get("id").asString();
        assertThat(api.post(
                                BASE + "/questionnaires/" + formId + "/motives/"
                                        + agenda.motive().id(),
                                Map.of(),
                                practitionerToken)
                        .status())
                .isEqualTo(204);
        practitionerBrowser = Browser.start(port);
    }

    @Test
    void thePatientsBrowserEncryptsTheAnswersAndOnlyThePractitionersBrowserShowsThem(CapturedOutput output)
            throws Exception {
        String canary = Canaries.aCanary();
        String practitionerKid = createKeysInBrowser(practitionerBrowser, "e2e-keys-practitioner");
        assertThat(practitionerKid)
                .as("the fingerprint shown is the directory's kid")
                .isEqualTo(api.get(
                                BASE + "/keys/practitioner/"
                                        + agenda.practitioner().id(),
                                practitionerToken)
                        .body()
                        .get("encryptionKid")
                        .asString());

        // The patient books, makes their keys, and answers from the confirmation's link.
        SignIn.patient(patientBrowser, patient.email(), (String) registration.get("password"));
        createKeysInBrowser(patientBrowser, "e2e-keys-patient");
        UUID appointment = Fixtures.book(
                api,
                patient,
                agenda,
                Fixtures.freeSlotIdsFromTomorrow(api, agenda).get(0));
        patientBrowser.open("/me/appointments/" + appointment + "/confirmation");
        patientBrowser.click(By.id("teleconsultation-questionnaire"));
        patientBrowser.visible(By.id("questionnaire"));
        patientBrowser.driver().findElement(By.id("q0-0")).sendKeys(canary);
        patientBrowser.click(By.cssSelector("label[for='q0-1-yes']"));
        patientBrowser.click(By.cssSelector("label[for='q0-2-1']"));
        patientBrowser.click(By.cssSelector("label[for='q0-3-0']"));
        patientBrowser.driver().findElement(By.id("q0-4")).sendKeys("38.5");
        patientBrowser.setValue("q0-5", "2026-11-30");
        patientBrowser.checkPage("e2e-questionnaire");
        patientBrowser.click(By.id("answers-submit"));
        patientBrowser.waitUntil(ExpectedConditions.or(
                ExpectedConditions.visibilityOfElementLocated(By.id("answers-sent")),
                ExpectedConditions.attributeToBeNotEmpty(
                        patientBrowser.driver().findElement(By.id("questionnaire")), "data-error")));
        assertThat(patientBrowser.driver().findElement(By.id("answers-sent")).isDisplayed())
                .as(
                        "sent, not refused with %s",
                        patientBrowser
                                .driver()
                                .findElement(By.id("questionnaire"))
                                .getAttribute("data-error"))
                .isTrue();
        // Sending the answers set the consultation key up: the encrypted exchange opens below, on this page.
        patientBrowser.waitUntil(ExpectedConditions.attributeToBe(By.id("exchange"), "data-opened", "true"));

        // The server never saw the answer: not in any column of any table, in clear or base64.
        String dump = Canaries.databaseDump(dataSource);
        assertThat(dump.contains(appointment.toString())).as("the dump is real").isTrue();
        assertThat(Canaries.found(dump, canary))
                .as("the database holds the answer")
                .isFalse();

        // The browser's envelopes follow docs/e2e.md: nimbus-jose-jwt opens the establishment's wrap
        // (ECDH-ES+A256KW made by WebCrypto) and the answers (A256GCM) with the establishment's key.
        JsonNode wrap = api.get(BASE + "/" + appointment + "/keys/establishment", practitionerToken)
                .body();
        OctetSequenceKey key = JoseClient.unwrap(
                wrap.get("envelope"),
                establishmentKeys.encryption(),
                appointment,
                "establishment:" + agenda.establishment().id());
        JsonNode served = api.get(BASE + "/" + appointment + "/answers", practitionerToken)
                .body();
        JsonNode answers = JsonMapper.builder()
                .build()
                .readTree(JoseClient.open(
                        served.get("envelope"),
                        key,
                        appointment,
                        UUID.fromString(served.get("itemId").asString())));
        JsonNode given = answers.get("forms").get(0).get("answers");
        assertThat(answers.get("forms").get(0).get("questionnaire").asString()).isEqualTo(formId);
        assertThat(given.get("symptoms").asString()).isEqualTo(canary);
        assertThat(given.get("fever").asBoolean()).isTrue();
        assertThat(given.get("since").asString()).isEqualTo("days");
        assertThat(given.get("where").get(0).asString()).isEqualTo("head");
        assertThat(given.get("temperature").asDouble()).isEqualTo(38.5);
        assertThat(given.get("started").asString()).isEqualTo("2026-11-30");

        // The practitioner's browser opens them with its own key and shows them.
        practitionerBrowser.open("/agenda/appointments/" + appointment);
        practitionerBrowser.click(By.id("teleconsultation-answers"));
        opened(practitionerBrowser);
        assertThat(practitionerBrowser.text(By.cssSelector("dd[data-answer='symptoms']")))
                .isEqualTo(canary);
        assertThat(practitionerBrowser.text(By.cssSelector("dd[data-answer='where']")))
                .isEqualTo("head");
        practitionerBrowser.checkPage("e2e-answers");

        // Back on their page, the patient sees what they sent, opened with their own copy of the key.
        patientBrowser.open("/me/teleconsultations/" + appointment);
        patientBrowser.waitUntil(ExpectedConditions.or(
                ExpectedConditions.attributeToBe(By.id("own-answers"), "data-opened", "true"),
                ExpectedConditions.attributeToBeNotEmpty(
                        patientBrowser.driver().findElement(By.id("own-answers")), "data-error")));
        assertThat(patientBrowser.driver().findElement(By.id("own-answers")).getAttribute("data-error"))
                .as("the page's refusal")
                .isNull();
        assertThat(patientBrowser.text(By.cssSelector("#own-answers dd[data-answer='symptoms']")))
                .isEqualTo(canary);
        assertThat(patientBrowser.text(By.cssSelector("#own-answers dd[data-answer='fever']")))
                .isEqualTo("Oui");
        assertThat(patientBrowser.driver().findElements(By.id("questionnaire"))).isEmpty();
        patientBrowser.checkPage("e2e-own-answers");

        // Nor, at the end, in the logs.
        assertThat(Canaries.found(output.getAll(), canary))
                .as("the logs hold the answer")
                .isFalse();
    }

    @Test
    void aJavaClientsAnswersOpenInThePractitionersBrowserAndATamperedOneIsRefused() throws Exception {
        createKeysInBrowser(practitionerBrowser, "e2e-keys-practitioner-java");
        String canary = Canaries.aCanary();
        UUID appointment = Fixtures.book(
                api,
                patient,
                agenda,
                Fixtures.freeSlotIdsFromTomorrow(api, agenda).get(1));
        // The patient's client here is the Java one (nimbus-jose-jwt), keys and all.
        JoseClient.Keys patientKeys = JoseClient.Keys.generate();
        assertThat(api.post(BASE + "/keys/me", patientKeys.publication(), patient.token())
                        .status())
                .isEqualTo(200);
        OctetSequenceKey key = JoseClient.newConsultationKey(appointment);
        Map<String, Object> wraps = Map.of(
                "patient",
                JoseClient.wrap(
                        key, appointment, "patient:" + patient.account(), current("patient", patient.account())),
                "practitioner",
                JoseClient.wrap(
                        key,
                        appointment,
                        "practitioner:" + agenda.practitioner().id(),
                        current("practitioner", agenda.practitioner().id())),
                "establishment",
                JoseClient.wrap(
                        key,
                        appointment,
                        "establishment:" + agenda.establishment().id(),
                        current("establishment", agenda.establishment().id())));
        assertThat(api.post(BASE + "/" + appointment + "/keys", wraps, patient.token())
                        .status())
                .isEqualTo(201);
        UUID item = UUID.randomUUID();
        String answers = "{\"v\":1,\"forms\":[{\"questionnaire\":\"" + formId + "\",\"answers\":{\"symptoms\":\""
                + canary + "\",\"fever\":false}}]}";
        assertThat(api.post(
                                BASE + "/" + appointment + "/answers",
                                Map.of("itemId", item, "envelope", JoseClient.seal(key, appointment, item, answers)),
                                patient.token())
                        .status())
                .isEqualTo(201);

        practitionerBrowser.open("/agenda/teleconsultations/" + appointment);
        opened(practitionerBrowser);
        assertThat(practitionerBrowser.text(By.cssSelector("dd[data-answer='symptoms']")))
                .isEqualTo(canary);
        assertThat(practitionerBrowser.text(By.cssSelector("dd[data-answer='fever']")))
                .isEqualTo("Non");
        assertThat(practitionerBrowser.text(By.cssSelector("dd[data-answer='since']")))
                .isEqualTo("—");

        // Someone with the database flips one character of the ciphertext: the browser refuses it, visibly.
        String stored = jdbc.sql("SELECT envelope FROM questionnaire_responses WHERE appointment_id = ?")
                .param(appointment)
                .query(String.class)
                .single();
        ObjectNode envelope = (ObjectNode) JsonMapper.builder().build().readTree(stored);
        String ciphertext = envelope.get("ciphertext").asString();
        envelope.put("ciphertext", (ciphertext.charAt(0) == 'A' ? "B" : "A") + ciphertext.substring(1));
        jdbc.sql("UPDATE questionnaire_responses SET envelope = ? WHERE appointment_id = ?")
                .param(envelope.toString())
                .param(appointment)
                .update();
        practitionerBrowser.open("/agenda/teleconsultations/" + appointment);
        practitionerBrowser.visible(By.id("answers-error"));
        assertThat(practitionerBrowser.driver().findElement(By.id("answers")).getAttribute("data-error"))
                .isEqualTo("tampered");
        assertThat(practitionerBrowser.text(By.id("answers-error")))
                .contains("altéré")
                .doesNotContain(canary);
        assertThat(practitionerBrowser
                        .driver()
                        .findElement(By.id("answers-opened"))
                        .isDisplayed())
                .isFalse();
        assertThat(practitionerBrowser.text(By.cssSelector("dd[data-answer='symptoms']")))
                .isEqualTo("—");
    }

    @Test
    void aChangedPractitionerKeyIsRefusedUntilThePatientConfirmsItsNewFingerprint() throws Exception {
        SignIn.patient(patientBrowser, patient.email(), (String) registration.get("password"));
        createKeysInBrowser(patientBrowser, "e2e-keys-patient-pinning");
        JoseClient.Keys first = JoseClient.Keys.generate();
        assertThat(api.post(BASE + "/keys/me", first.publication(), practitionerToken)
                        .status())
                .isEqualTo(200);
        List<String> slots = Fixtures.freeSlotIdsFromTomorrow(api, agenda);
        UUID before = Fixtures.book(api, patient, agenda, slots.get(2));
        UUID after = Fixtures.book(api, patient, agenda, slots.get(3));
        // The first teleconsultation pins the practitioner's key (version 1).
        fillAndSend(before, "Avant le changement");
        patientBrowser.visible(By.id("answers-sent"));

        // The directory now serves another key for the practitioner (version 2): the page refuses to
        // encrypt to it and shows the new fingerprint until the patient says they checked it.
        JoseClient.Keys second = JoseClient.Keys.generate();
        assertThat(api.post(BASE + "/keys/me", second.publication(), practitionerToken)
                        .status())
                .isEqualTo(200);
        fillAndSend(after, "Après le changement");
        patientBrowser.visible(By.id("key-changed"));
        assertThat(patientBrowser.text(By.id("changed-kid"))).isEqualTo(second.encryptionKid());
        assertThat(api.get(BASE + "/" + after, patient.token())
                        .body()
                        .get("keySetUp")
                        .asBoolean())
                .as("nothing was wrapped to the changed key")
                .isFalse();
        patientBrowser.checkPage("e2e-key-changed");
        patientBrowser.click(By.id("accept-key-change"));
        patientBrowser.visible(By.id("answers-sent"));
        JsonNode wrap =
                api.get(BASE + "/" + after + "/keys/mine", practitionerToken).body();
        assertThat(JoseClient.unwrap(
                                wrap.get("envelope"),
                                second.encryption(),
                                after,
                                "practitioner:" + agenda.practitioner().id())
                        .getKeyID())
                .isEqualTo("consultation/" + after);
    }

    /** The patient's page for this appointment: the required answers typed, then sent. */
    private void fillAndSend(UUID appointment, String symptoms) {
        patientBrowser.open("/me/teleconsultations/" + appointment);
        patientBrowser.visible(By.id("questionnaire"));
        patientBrowser.driver().findElement(By.id("q0-0")).sendKeys(symptoms);
        patientBrowser.click(By.cssSelector("label[for='q0-1-no']"));
        patientBrowser.click(By.id("answers-submit"));
    }

    /** Waits for the practitioner's page to open the answers, or to say why not (the error's code). */
    private static void opened(Browser browser) {
        browser.waitUntil(ExpectedConditions.or(
                ExpectedConditions.attributeToBe(By.id("answers"), "data-opened", "true"),
                ExpectedConditions.attributeToBeNotEmpty(
                        browser.driver().findElement(By.id("answers")), "data-error")));
        assertThat(browser.driver().findElement(By.id("answers")).getAttribute("data-error"))
                .as("the page's refusal")
                .isNull();
        assertThat(browser.visible(By.id("answers-opened")).isDisplayed()).isTrue();
    }

    /** Signs the browser's user in if needed, makes the keys on /account/keys, and returns the kid shown. */
    private String createKeysInBrowser(Browser browser, String screenshot) {
        if (browser == practitionerBrowser) {
            SignIn.professional(browser, practitioner);
        }
        String kid = createKeys(browser);
        assertThat(browser.text(By.id("directory-kid"))).isEqualTo(kid);
        browser.checkPage(screenshot);
        return kid;
    }

    /** A recipient's current encryption key from the directory, checked as a client must. */
    private String current(String kind, UUID subject) {
        JsonNode entry =
                api.get(BASE + "/keys/" + kind + "/" + subject, patient.token()).body();
        JsonNode server = api.get(BASE + "/key-directory/signing-key", null).body();
        assertThat(JoseClient.verifies(
                        entry, JoseClient.b64(entry.get("prevHash").asString()), JoseClient.serverKey(server)))
                .isTrue();
        return entry.get("encryptionJwk").asString();
    }

    private static Map<String, Object> aQuestionnaire() {
        return Map.of(
                "title",
                "Avant la téléconsultation",
                "questions",
                List.of(
                        Map.of("id", "symptoms", "type", "FREE_TEXT", "label", "Vos symptômes", "required", true),
                        Map.of("id", "fever", "type", "YES_NO", "label", "Fièvre ?", "required", true),
                        Map.of(
                                "id",
                                "since",
                                "type",
                                "SINGLE_CHOICE",
                                "label",
                                "Depuis",
                                "required",
                                false,
                                "options",
                                List.of("hours", "days", "weeks")),
                        Map.of(
                                "id",
                                "where",
                                "type",
                                "MULTIPLE_CHOICE",
                                "label",
                                "Où",
                                "required",
                                false,
                                "options",
                                List.of("head", "chest")),
                        Map.of("id", "temperature", "type", "NUMBER", "label", "Température", "required", false),
                        Map.of("id", "started", "type", "DATE", "label", "Début", "required", false)));
    }
}
