package org.carnet.teleconsultation;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.OctetSequenceKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chromium.HasCdp;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The teleconsultation's encrypted exchange in headless Chromium (docs/e2e.md, "In the browser"):
 * messages both ways and a prescription the practitioner's browser signs, checked and downloaded by the
 * patient's, with the server holding no plaintext; then, against a nimbus-jose-jwt practitioner, what the
 * patient's page must refuse: a forged or misapplied signature (shown unsigned), a message moved to
 * another id and an altered chunk (shown refused, never as content).
 */
@CarnetIntegrationTest
@RequiresChromium
@ExtendWith(OutputCaptureExtension.class)
@DirtiesContext // its professional logins must not reach tests that count the demo ones
class ExchangeBrowserTest extends ConsultationInBrowsers {

    private static final int MIB = 1024 * 1024;

    @Test
    void messagesGoBothWaysAndThePatientsBrowserChecksAndDownloadsTheSignedPrescription(CapturedOutput output)
            throws Exception {
        String toPractitioner = Canaries.aCanary();
        String toPatient = Canaries.aCanary();
        String inDocument = Canaries.aCanary();
        practitionerBrowser = Browser.start(port);
        SignIn.professional(practitionerBrowser, practitioner);
        createKeys(practitionerBrowser);
        SignIn.patient(patientBrowser, patient.email(), (String) registration.get("password"));
        createKeys(patientBrowser);
        UUID appointment = book(0);

        // No questionnaire for this motive: the patient opens the exchange, which makes the key here.
        patientBrowser.open("/me/teleconsultations/" + appointment);
        patientBrowser.visible(By.id("exchange-set-up"));
        patientBrowser.checkPage("e2e-exchange-closed");
        patientBrowser.click(By.id("exchange-set-up"));
        opened(patientBrowser);
        send(patientBrowser, toPractitioner, 1);
        assertThat(Canaries.found(Canaries.databaseDump(dataSource), toPractitioner))
                .as("the database holds the message")
                .isFalse();

        // The practitioner's browser opens it with its own wrap, answers, and sends a signed prescription.
        practitionerBrowser.open("/agenda/teleconsultations/" + appointment);
        opened(practitionerBrowser);
        assertThat(practitionerBrowser.text(By.cssSelector("#messages li:nth-child(1) .text")))
                .isEqualTo(toPractitioner);
        assertThat(practitionerBrowser.text(By.cssSelector("#messages li:nth-child(1) .sender")))
                .isEqualTo("Le patient");
        send(practitionerBrowser, toPatient, 2);
        byte[] pdf = aPdf(inDocument);
        Path file = Files.createTempDirectory("carnet-exchange-").resolve("ordonnance-" + inDocument + ".pdf");
        Files.write(file, pdf);
        practitionerBrowser.driver().findElement(By.id("document-file")).sendKeys(file.toString());
        new Select(practitionerBrowser.driver().findElement(By.id("document-kind"))).selectByValue("prescription");
        practitionerBrowser.click(By.id("document-submit"));
        WebElement sent = documentRow(practitionerBrowser, 1);
        assertThat(sent.getAttribute("data-signature")).isEqualTo("signed");
        practitionerBrowser.checkPage("e2e-exchange-practitioner");

        // The patient's page: the answer, and the prescription "signed by" the practitioner, whose bytes
        // come back whole after each chunk's binding, tag and the SHA-256 were checked.
        patientBrowser.open("/me/teleconsultations/" + appointment);
        opened(patientBrowser);
        assertThat(patientBrowser.text(By.cssSelector("#messages li:nth-child(1) .sender")))
                .isEqualTo("Vous");
        assertThat(patientBrowser.text(By.cssSelector("#messages li:nth-child(2) .text")))
                .isEqualTo(toPatient);
        assertThat(patientBrowser.text(By.cssSelector("#messages li:nth-child(2) .sender")))
                .isEqualTo(agenda.practitioner().displayName());
        WebElement received = documentRow(patientBrowser, 1);
        assertThat(received.getAttribute("data-signature")).isEqualTo("signed");
        assertThat(received.findElement(By.className("signature")).getText())
                .isEqualTo("Signé par " + agenda.practitioner().displayName());
        assertThat(received.findElement(By.className("name")).getText())
                .isEqualTo(file.getFileName().toString());
        assertThat(downloaded(patientBrowser, received)).isEqualTo(pdf);
        patientBrowser.checkPage("e2e-exchange-patient");

        // The server kept none of it: no table column, in clear or base64, nor the logs.
        String dump = Canaries.databaseDump(dataSource);
        assertThat(dump.contains(appointment.toString())).as("the dump is real").isTrue();
        for (String canary : List.of(toPractitioner, toPatient, inDocument)) {
            assertThat(Canaries.found(dump, canary))
                    .as("the database holds a canary")
                    .isFalse();
            assertThat(Canaries.found(output.getAll(), canary))
                    .as("the logs hold a canary")
                    .isFalse();
        }
    }

    @Test
    void aForgedOrMisappliedSignatureShowsUnsignedAndMovedOrAlteredContentIsRefused() throws Exception {
        // The practitioner's client is the Java one here, so that it can do what a browser would not.
        JoseClient.Keys practitionerKeys = javaPractitionerPublishes();
        UUID appointment = thePatientOpensTheExchange(1);
        OctetSequenceKey key = practitionersConsultationKey(appointment, practitionerKeys);
        String signingKid = api.get(
                        BASE + "/keys/practitioner/" + agenda.practitioner().id(), practitionerToken)
                .body()
                .get("signingKid")
                .asString();

        // Signed by the practitioner's directory key: "signed by". By another key under the same kid: unsigned.
        // The genuine signature copied into another document's descriptor: unsigned.
        byte[] pdf = aPdf("Ordonnance de test");
        UUID genuine = UUID.randomUUID();
        String manifest = manifest(appointment, genuine, pdf);
        String signature = JoseClient.sign(practitionerKeys.signing(), signingKid, appointment, genuine, manifest);
        upload(key, appointment, genuine, pdf, descriptor(manifest, signature));
        byte[] page = Arrays.copyOf(pdf, 2048); // one chunk is enough for what the signature covers
        UUID forged = UUID.randomUUID();
        String forgedManifest = manifest(appointment, forged, page);
        upload(
                key,
                appointment,
                forged,
                page,
                descriptor(
                        forgedManifest,
                        JoseClient.sign(
                                JoseClient.Keys.generate().signing(),
                                signingKid,
                                appointment,
                                forged,
                                forgedManifest)));
        UUID misapplied = UUID.randomUUID();
        upload(key, appointment, misapplied, page, descriptor(manifest(appointment, misapplied, page), signature));

        // Two messages; then someone with the database serves the first one's envelope under the second's id.
        UUID first = post(key, appointment, "Premier message");
        UUID second = post(key, appointment, "Second message");
        jdbc.sql("UPDATE consultation_messages SET envelope = (SELECT envelope FROM consultation_messages"
                        + " WHERE id = ?) WHERE id = ?")
                .param(first)
                .param(second)
                .update();

        patientBrowser.open("/me/teleconsultations/" + appointment);
        opened(patientBrowser);
        documentRow(patientBrowser, 3);
        WebElement signed = signedByThePractitioner(genuine);
        unsigned(forged, misapplied);
        assertThat(patientBrowser.text(By.cssSelector("#messages li[data-message='" + first + "'] .text")))
                .isEqualTo("Premier message");
        WebElement moved = patientBrowser.visible(By.cssSelector("#messages li[data-message='" + second + "']"));
        assertThat(moved.getAttribute("data-refused")).isEqualTo("misbound");
        assertThat(moved.getText()).contains("Refusé").doesNotContain("Premier");
        assertThat(moved.findElements(By.className("text"))).isEmpty();
        assertThat(downloaded(patientBrowser, signed)).isEqualTo(pdf);

        // One byte of a chunk's ciphertext altered in the database: the download is refused, no file.
        byte[] stored = jdbc.sql("SELECT ciphertext FROM consultation_document_chunks WHERE document_id = ?"
                        + " AND chunk_index = 1")
                .param(genuine)
                .query(byte[].class)
                .single();
        stored[0] ^= 1;
        jdbc.sql("UPDATE consultation_document_chunks SET ciphertext = ? WHERE document_id = ? AND chunk_index = 1")
                .param(stored)
                .param(genuine)
                .update();
        patientBrowser.open("/me/teleconsultations/" + appointment);
        opened(patientBrowser);
        documentRow(patientBrowser, 3);
        WebElement altered = document(patientBrowser, genuine);
        altered.findElement(By.tagName("button")).click();
        patientBrowser.waitUntil(
                d -> altered.getAttribute("data-refused") != null || altered.getAttribute("data-downloaded") != null);
        assertThat(altered.getAttribute("data-refused")).isEqualTo("tampered");
        assertThat(altered.findElement(By.className("outcome")).getText()).contains("altéré");
        assertThat(altered.findElements(By.cssSelector("a.download"))).isEmpty();
    }

    @Test
    void aMessageTheServerWithholdsShowsAsMissingOnTheReadersPage() {
        practitionerBrowser = Browser.start(port);
        SignIn.professional(practitionerBrowser, practitioner);
        createKeys(practitionerBrowser);
        UUID appointment = thePatientOpensTheExchange(2);
        send(patientBrowser, "Premier", 1);
        send(patientBrowser, "Deuxième", 2);
        send(patientBrowser, "Troisième", 3);

        // The server withholds the second: its row is gone. The practitioner's page shows a gap where it was.
        jdbc.sql("DELETE FROM consultation_messages WHERE appointment_id = ? AND sender_sequence = 2")
                .param(appointment)
                .update();
        practitionerBrowser.open("/agenda/teleconsultations/" + appointment);
        opened(practitionerBrowser);
        practitionerBrowser.waitUntil(ExpectedConditions.attributeToBe(By.id("messages"), "data-count", "2"));
        assertThat(practitionerBrowser.text(By.cssSelector("#messages li:nth-child(1) .text")))
                .isEqualTo("Premier");
        WebElement gap = practitionerBrowser.visible(By.cssSelector("#messages li:nth-child(2)"));
        assertThat(gap.getAttribute("class")).isEqualTo("missing");
        assertThat(gap.getAttribute("data-count")).isEqualTo("1");
        assertThat(gap.getText()).contains("Le patient").contains("Un message manque ici");
        assertThat(practitionerBrowser.text(By.cssSelector("#messages li:nth-child(3) .text")))
                .isEqualTo("Troisième");
        practitionerBrowser.checkPage("e2e-exchange-missing");

        // Then the newest, which the practitioner's page has seen: it remembers the patient's count.
        jdbc.sql("DELETE FROM consultation_messages WHERE appointment_id = ? AND sender_sequence = 3")
                .param(appointment)
                .update();
        practitionerBrowser.click(By.id("messages-refresh"));
        practitionerBrowser.waitUntil(ExpectedConditions.attributeToBe(By.id("messages"), "data-count", "1"));
        WebElement end = practitionerBrowser.visible(By.cssSelector("#messages li:nth-child(2)"));
        assertThat(end.getAttribute("class")).isEqualTo("missing");
        assertThat(end.getAttribute("data-count")).isEqualTo("2");
        assertThat(practitionerBrowser.driver().findElement(By.id("messages")).getAttribute("data-missing"))
                .isEqualTo("2");

        // The patient's own page knows its count too; its next message takes number 4, after the withheld ones.
        patientBrowser.open("/me/teleconsultations/" + appointment);
        opened(patientBrowser);
        patientBrowser.waitUntil(ExpectedConditions.attributeToBe(By.id("messages"), "data-missing", "2"));
        patientBrowser.driver().findElement(By.id("message-text")).sendKeys("Quatrième");
        patientBrowser.click(By.id("message-submit"));
        patientBrowser.waitUntil(ExpectedConditions.attributeToBe(By.id("messages"), "data-count", "2"));
        assertThat(jdbc.sql("SELECT sender_sequence FROM consultation_messages WHERE appointment_id = ?"
                                + " ORDER BY sender_sequence")
                        .param(appointment)
                        .query(Integer.class)
                        .list())
                .containsExactly(1, 4);
        WebElement between = patientBrowser.visible(By.cssSelector("#messages li:nth-child(2)"));
        assertThat(between.getAttribute("class")).isEqualTo("missing");
        assertThat(between.getAttribute("data-count")).isEqualTo("2");
    }

    @Test
    void aPrescriptionIsCheckedAgainstTheEntryValidAtItsIssuedAtSoEarlierOnesStaySignedAfterAKeyChange()
            throws Exception {
        JoseClient.Keys before = javaPractitionerPublishes();
        UUID appointment = thePatientOpensTheExchange(3); // pins the practitioner's entry, version 1
        OctetSequenceKey key = practitionersConsultationKey(appointment, before);
        String practitionerPath =
                BASE + "/keys/practitioner/" + agenda.practitioner().id();
        String kidBefore = api.get(practitionerPath, practitionerToken)
                .body()
                .get("signingKid")
                .asString();
        byte[] page = Arrays.copyOf(aPdf("Ordonnance"), 2048);
        java.time.Instant beforeTheChange = java.time.Instant.now();
        UUID earlier = UUID.randomUUID();
        String earlierManifest = manifest(appointment, earlier, page, beforeTheChange);
        upload(
                key,
                appointment,
                earlier,
                page,
                descriptor(
                        earlierManifest,
                        JoseClient.sign(before.signing(), kidBefore, appointment, earlier, earlierManifest)));

        // The practitioner changes keys (version 2). A signature by the new key dated before its entry, and
        // one by the old key dated after the change, are each checked against the entry valid at their date.
        JoseClient.Keys after = javaPractitionerPublishes();
        String kidAfter = api.get(practitionerPath, practitionerToken)
                .body()
                .get("signingKid")
                .asString();
        assertThat(kidAfter).isNotEqualTo(kidBefore);
        UUID backdated = UUID.randomUUID();
        String backdatedManifest = manifest(appointment, backdated, page, beforeTheChange);
        upload(
                key,
                appointment,
                backdated,
                page,
                descriptor(
                        backdatedManifest,
                        JoseClient.sign(after.signing(), kidAfter, appointment, backdated, backdatedManifest)));
        UUID stale = UUID.randomUUID();
        String staleManifest = manifest(appointment, stale, page, java.time.Instant.now());
        upload(
                key,
                appointment,
                stale,
                page,
                descriptor(
                        staleManifest,
                        JoseClient.sign(before.signing(), kidBefore, appointment, stale, staleManifest)));

        patientBrowser.open("/me/teleconsultations/" + appointment);
        opened(patientBrowser);
        documentRow(patientBrowser, 3);
        signedByThePractitioner(earlier); // signed before the key change, by the key of that time
        unsigned(backdated, stale);
    }

    /** The patient signs in, makes their keys, books the slot and opens its exchange (the key made in the browser). */
    private UUID thePatientOpensTheExchange(int slot) {
        SignIn.patient(patientBrowser, patient.email(), (String) registration.get("password"));
        createKeys(patientBrowser);
        UUID appointment = book(slot);
        patientBrowser.open("/me/teleconsultations/" + appointment);
        patientBrowser.click(By.id("exchange-set-up"));
        opened(patientBrowser);
        return appointment;
    }

    /** The practitioner's client is the Java one: it publishes new keys (a new directory version). */
    private JoseClient.Keys javaPractitionerPublishes() {
        JoseClient.Keys keys = JoseClient.Keys.generate();
        assertThat(api.post(BASE + "/keys/me", keys.publication(), practitionerToken)
                        .status())
                .isEqualTo(200);
        return keys;
    }

    private OctetSequenceKey practitionersConsultationKey(UUID appointment, JoseClient.Keys keys) throws Exception {
        return JoseClient.unwrap(
                api.get(BASE + "/" + appointment + "/keys/mine", practitionerToken)
                        .body()
                        .get("envelope"),
                keys.encryption(),
                appointment,
                "practitioner:" + agenda.practitioner().id());
    }

    private UUID book(int slot) {
        return Fixtures.book(
                api,
                patient,
                agenda,
                Fixtures.freeSlotIdsFromTomorrow(api, agenda).get(slot));
    }

    /** Waits until the page's exchange is open, or says why not (its error code). */
    private static void opened(Browser browser) {
        browser.waitUntil(ExpectedConditions.or(
                ExpectedConditions.attributeToBe(By.id("exchange"), "data-opened", "true"),
                ExpectedConditions.attributeToBeNotEmpty(
                        browser.driver().findElement(By.id("exchange")), "data-error")));
        assertThat(browser.driver().findElement(By.id("exchange")).getAttribute("data-error"))
                .as("the page's refusal")
                .isNull();
    }

    /** Types a message, sends it, and waits for the thread to hold this many messages. */
    private static void send(Browser browser, String text, int count) {
        browser.driver().findElement(By.id("message-text")).sendKeys(text);
        browser.click(By.id("message-submit"));
        browser.waitUntil(ExpectedConditions.attributeToBe(By.id("messages"), "data-count", String.valueOf(count)));
        assertThat(browser.text(By.cssSelector("#messages li:nth-child(" + count + ") .text")))
                .isEqualTo(text);
    }

    /** The n-th row of the documents list, once the list holds it. */
    private static WebElement documentRow(Browser browser, int n) {
        browser.waitUntil(d -> {
            String count = d.findElement(By.id("documents")).getAttribute("data-count");
            return count != null && Integer.parseInt(count) >= n;
        });
        return browser.visible(By.cssSelector("#documents li:nth-child(" + n + ")"));
    }

    /** The patient's page says the document is signed by the appointment's practitioner. */
    private WebElement signedByThePractitioner(UUID id) {
        WebElement row = document(patientBrowser, id);
        assertThat(row.getAttribute("data-signature")).isEqualTo("signed");
        assertThat(row.findElement(By.className("signature")).getText())
                .isEqualTo("Signé par " + agenda.practitioner().displayName());
        return row;
    }

    /** The patient's page says each of these documents is unsigned. */
    private void unsigned(UUID... ids) {
        for (UUID id : ids) {
            WebElement row = document(patientBrowser, id);
            assertThat(row.getAttribute("data-signature")).as("document %s", id).isEqualTo("unsigned");
            assertThat(row.findElement(By.className("signature")).getText())
                    .startsWith("Non signé")
                    .doesNotContain("Signé par");
        }
    }

    private static WebElement document(Browser browser, UUID id) {
        return browser.visible(By.cssSelector("#documents li[data-document='" + id + "']"));
    }

    /**
     * Decrypts a document on the page and saves the file it offers (its Blob URL link) the way a user
     * would, into a fresh directory; returns the saved bytes.
     */
    private static byte[] downloaded(Browser browser, WebElement row) throws Exception {
        row.findElement(By.tagName("button")).click();
        browser.waitUntil(d -> row.getAttribute("data-downloaded") != null || row.getAttribute("data-refused") != null);
        assertThat(row.getAttribute("data-refused")).as("the page's refusal").isNull();
        WebElement link = row.findElement(By.cssSelector("a.download"));
        assertThat(link.getAttribute("href")).startsWith("blob:");
        Path into = Files.createTempDirectory("carnet-download-");
        ((HasCdp) browser.driver())
                .executeCdpCommand(
                        "Browser.setDownloadBehavior", Map.of("behavior", "allow", "downloadPath", into.toString()));
        link.click();
        Path saved = into.resolve(link.getAttribute("download"));
        browser.waitUntil(d -> Files.exists(saved) && !Files.exists(Path.of(saved + ".crdownload")));
        return Files.readAllBytes(saved);
    }

    /** A small PDF whose page says the text, padded past 1 MiB so that it travels in two chunks. */
    private static byte[] aPdf(String text) {
        String content = "BT /F1 12 Tf 72 720 Td (" + text + ") Tj ET";
        String body = "%PDF-1.4\n"
                + "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
                + "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
                + "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
                + " /Resources << /Font << /F1 5 0 R >> >> >> endobj\n"
                + "4 0 obj << /Length " + content.length() + " >> stream\n" + content + "\nendstream endobj\n"
                + "5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj\n"
                + "trailer << /Root 1 0 R >>\n%%EOF\n";
        byte[] head = body.getBytes(StandardCharsets.US_ASCII);
        byte[] pdf = Arrays.copyOf(head, MIB + 4096);
        for (int at = head.length; at < pdf.length; at++) {
            pdf[at] = (byte) (at % 64 == 63 ? '\n' : '%');
        }
        return pdf;
    }

    private String manifest(UUID appointment, UUID document, byte[] content) {
        return manifest(appointment, document, content, java.time.Instant.now());
    }

    private String manifest(UUID appointment, UUID document, byte[] content, java.time.Instant issuedAt) {
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("v", 1);
        manifest.put("consultation", appointment.toString());
        manifest.put("document", document.toString());
        manifest.put("kind", "prescription");
        manifest.put("name", "ordonnance.pdf");
        manifest.put("mediaType", "application/pdf");
        manifest.put("size", content.length);
        manifest.put(
                "sha256",
                com.nimbusds.jose.util.Base64URL.encode(JoseClient.sha256(content))
                        .toString());
        manifest.put("issuer", "practitioner:" + agenda.practitioner().id());
        manifest.put("issuedAt", issuedAt.toString());
        return com.nimbusds.jose.util.JSONObjectUtils.toJSONString(manifest);
    }

    private static String descriptor(String manifestJson, String jws) {
        Map<String, Object> descriptor = new LinkedHashMap<>(JoseClient.json(manifestJson));
        descriptor.put("signature", jws);
        return com.nimbusds.jose.util.JSONObjectUtils.toJSONString(descriptor);
    }

    /** The Java practitioner's client uploads a document: its descriptor, then its chunks. */
    private void upload(OctetSequenceKey key, UUID appointment, UUID document, byte[] content, String descriptor) {
        Api.Response created = api.post(
                BASE + "/" + appointment + "/documents",
                Map.of(
                        "documentId",
                        document,
                        "size",
                        content.length,
                        "descriptor",
                        JoseClient.sealItem(
                                key,
                                appointment,
                                Bindings.DOCUMENT_KIND,
                                Bindings.DOCUMENT_CONTENT_TYPE,
                                document.toString(),
                                descriptor.getBytes(StandardCharsets.UTF_8))),
                practitionerToken);
        assertThat(created.status()).as(created.raw()).isEqualTo(201);
        for (int index = 0; index * MIB < content.length; index++) {
            Api.Response stored = api.put(
                    BASE + "/" + appointment + "/documents/" + document + "/chunks/" + index,
                    JoseClient.sealItem(
                            key,
                            appointment,
                            Bindings.CHUNK_KIND,
                            Bindings.CHUNK_CONTENT_TYPE,
                            Bindings.chunkItem(document, index),
                            Arrays.copyOfRange(content, index * MIB, Math.min(content.length, (index + 1) * MIB))),
                    practitionerToken);
            assertThat(stored.status()).as(stored.raw()).isEqualTo(200);
        }
    }

    /** The Java practitioner's client posts a message. */
    private UUID post(OctetSequenceKey key, UUID appointment, String text) {
        return JoseClient.postMessage(api, key, appointment, text, practitionerToken);
    }
}
