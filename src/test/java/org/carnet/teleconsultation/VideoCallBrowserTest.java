package org.carnet.teleconsultation;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.DirectEncrypter;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.carnet.support.Browser;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Coturn;
import org.carnet.support.RequiresChromium;
import org.carnet.support.RequiresCoturn;
import org.carnet.support.SignIn;
import org.carnet.teleconsultation.web.SignalTap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A teleconsultation's video call between two headless Chromium instances with fake cameras
 * (docs/e2e.md, "Video"): connected directly, then relay-only through a coturn this test starts on
 * loopback, each time with video frames decoded on both sides; then a relay that swaps the practitioner's
 * sealed offer for one of its own (another DTLS fingerprint), and one that replays a message: the call
 * fails and both pages say so, never connected. Each call's set-up time is printed (VIDEO-SETUP lines;
 * {@code -Dcarnet.video.rounds=N} repeats the direct and relayed calls for docs/performance.md).
 */
@CarnetIntegrationTest
@RequiresChromium
@RequiresCoturn
@DirtiesContext // its professional logins and its hostile relay must not reach other tests
@Import(VideoCallBrowserTest.HostileRelay.class)
class VideoCallBrowserTest extends ConsultationInBrowsers {

    private static final String[] MEDIA = {
        "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", "--allow-loopback-in-peer-connection"
    };
    private static final Set<String> CONNECTED = Set.of("direct", "relayed");
    private static final Set<String> OVER = Set.of("direct", "relayed", "failed", "ended", "closed");

    private static Coturn coturn;

    /** What the relay does to each frame: nothing, unless a test makes it hostile. */
    static volatile Function<String, List<String>> attack = List::of;

    @TestConfiguration(proxyBeanMethods = false)
    static class HostileRelay {
        @Bean
        @Primary
        SignalTap hostileTap() {
            return (appointmentId, frame) -> attack.apply(frame);
        }
    }

    @DynamicPropertySource
    static void turnAndHours(DynamicPropertyRegistry registry) {
        coturn = Coturn.start();
        registry.add("carnet.video.turn.uris", coturn::uri);
        registry.add("carnet.video.turn.secret", coturn::secret);
        // The fixtures' slots start tomorrow at the earliest: this test's rooms open days before.
        registry.add("carnet.video.opens-before", () -> "P7D");
    }

    @AfterAll
    static void stopCoturn() {
        if (coturn != null) {
            coturn.close();
        }
    }

    @AfterEach
    void aHonestRelayAgain() {
        attack = List::of;
    }

    @Test
    void aCallConnectsDirectlyAndThroughTheRelayWithFramesDecodedOnBothSides() {
        UUID appointment = aConsultationWithItsKey(0);
        int rounds = Integer.getInteger("carnet.video.rounds", 1);
        for (int round = 0; round < rounds; round++) {
            call(appointment, false);
            assertThat(state(patientBrowser)).isEqualTo("direct");
            assertThat(state(practitionerBrowser)).isEqualTo("direct");
            framesDecodedOnBothSides();
            figures("direct");
            if (round == 0) {
                assertThat(patientBrowser.text(By.id("video-state")))
                        .isEqualTo("Connecté directement, chiffré de bout en bout.");
                patientBrowser.checkPage("e2e-video-direct-patient");
                practitionerBrowser.checkPage("e2e-video-direct-practitioner");
            }
            // The practitioner hangs up: the patient's page says the call ended.
            practitionerBrowser.click(By.id("video-hangup"));
            awaitState(patientBrowser, "ended");

            call(appointment, true);
            assertThat(state(patientBrowser)).isEqualTo("relayed");
            assertThat(state(practitionerBrowser)).isEqualTo("relayed");
            for (Browser browser : List.of(patientBrowser, practitionerBrowser)) {
                assertThat(video(browser).getAttribute("data-local-candidate"))
                        .as("relay only: this side's candidate is coturn's")
                        .isEqualTo("relay");
            }
            framesDecodedOnBothSides();
            figures("relayed");
            if (round == 0) {
                assertThat(practitionerBrowser.text(By.id("video-state"))).startsWith("Connecté par le relais TURN");
                practitionerBrowser.checkPage("e2e-video-relayed-practitioner");
            }
        }
        // coturn let the browsers in with the credentials Carnet issued for this consultation.
        assertThat(coturn.log()).contains(appointment.toString());
    }

    @Test
    void aRelayThatSwapsTheOfferOrReplaysAMessageMakesTheCallFailOnBothSides() {
        UUID appointment = aConsultationWithItsKey(1);
        // The server puts its own offer (another DTLS fingerprint) in place of the practitioner's: it can
        // only seal it under a key of its own, bound exactly as the real one.
        attack = frame -> practitionersMessage(frame, 1) ? List.of(withForgedOffer(frame)) : List.of(frame);
        call(appointment, false);
        assertThat(state(patientBrowser)).isEqualTo("failed");
        assertThat(video(patientBrowser).getAttribute("data-error")).isEqualTo("tampered");
        assertThat(patientBrowser.text(By.cssSelector("#video-error [data-code='tampered']")))
                .isEqualTo("Un message de mise en relation a été altéré : l’appel est refusé.");
        awaitState(practitionerBrowser, "failed");
        assertThat(video(practitionerBrowser).getAttribute("data-error")).isEqualTo("peer-refused");
        neverConnected();
        patientBrowser.checkPage("e2e-video-refused");

        // The server delivers the practitioner's offer twice.
        attack = frame -> practitionersMessage(frame, 1) ? List.of(frame, frame) : List.of(frame);
        call(appointment, false);
        assertThat(state(patientBrowser)).isEqualTo("failed");
        assertThat(video(patientBrowser).getAttribute("data-error")).isEqualTo("replayed");
        awaitState(practitionerBrowser, "failed");
        neverConnected();
    }

    /** Both signed in with their keys, a booking, and the consultation key the patient's exchange made. */
    private UUID aConsultationWithItsKey(int slot) {
        practitionerBrowser = Browser.start(port, MEDIA);
        SignIn.professional(practitionerBrowser, practitioner);
        createKeys(practitionerBrowser);
        patientBrowser.close();
        patientBrowser = Browser.start(port, MEDIA);
        SignIn.patient(patientBrowser, patient.email(), (String) registration.get("password"));
        createKeys(patientBrowser);
        UUID appointment = org.carnet.support.Fixtures.book(
                api,
                patient,
                agenda,
                org.carnet.support.Fixtures.freeSlotIdsFromTomorrow(api, agenda).get(slot));
        patientBrowser.open("/me/teleconsultations/" + appointment);
        patientBrowser.click(By.id("exchange-set-up"));
        patientBrowser.waitUntil(ExpectedConditions.attributeToBe(By.id("exchange"), "data-opened", "true"));
        // Both consultation pages lead to the video.
        assertThat(patientBrowser.driver().findElement(By.id("video-link")).getAttribute("href"))
                .endsWith("/me/teleconsultations/" + appointment + "/video");
        practitionerBrowser.open("/agenda/teleconsultations/" + appointment);
        assertThat(practitionerBrowser.driver().findElement(By.id("video-link")).getAttribute("href"))
                .endsWith("/agenda/teleconsultations/" + appointment + "/video");
        return appointment;
    }

    /** The patient enters the waiting room, the practitioner lets them in; waits until the call settles. */
    private void call(UUID appointment, boolean relayOnly) {
        patientBrowser.open("/me/teleconsultations/" + appointment + "/video");
        practitionerBrowser.open("/agenda/teleconsultations/" + appointment + "/video");
        if (relayOnly) {
            patientBrowser.click(By.id("video-relay-only"));
            practitionerBrowser.click(By.id("video-relay-only"));
        }
        patientBrowser.click(By.id("video-join"));
        awaitState(patientBrowser, "waiting");
        practitionerBrowser.click(By.id("video-join"));
        awaitState(practitionerBrowser, "ready");
        assertThat(practitionerBrowser.text(By.id("video-state")))
                .isEqualTo("Le patient attend dans la salle d’attente.");
        practitionerBrowser.click(By.id("video-admit"));
        for (Browser browser : List.of(patientBrowser, practitionerBrowser)) {
            browser.waitUntil(d -> OVER.contains(state(browser)));
        }
    }

    private void framesDecodedOnBothSides() {
        for (Browser browser : List.of(patientBrowser, practitionerBrowser)) {
            browser.waitUntil(d -> {
                String decoded = video(browser).getAttribute("data-frames-decoded");
                return decoded != null && Integer.parseInt(decoded) > 0;
            });
        }
    }

    private void neverConnected() {
        for (Browser browser : List.of(patientBrowser, practitionerBrowser)) {
            assertThat(video(browser).getAttribute("data-setup-ms"))
                    .as("the call never connected")
                    .isNull();
            assertThat(video(browser).getAttribute("data-frames-decoded")).isNull();
        }
    }

    private void figures(String how) {
        browserFigures(how, "practitioner", practitionerBrowser);
        browserFigures(how, "patient", patientBrowser);
    }

    private static void browserFigures(String how, String who, Browser browser) {
        browser.waitUntil(d -> video(browser).getAttribute("data-first-frame-ms") != null);
        System.out.println("VIDEO-SETUP " + how + " " + who + " connected-ms="
                + video(browser).getAttribute("data-setup-ms") + " first-frame-ms="
                + video(browser).getAttribute("data-first-frame-ms"));
    }

    private static void awaitState(Browser browser, String state) {
        browser.waitUntil(ExpectedConditions.attributeToBe(By.id("video"), "data-state", state));
    }

    private static String state(Browser browser) {
        return video(browser).getAttribute("data-state");
    }

    private static WebElement video(Browser browser) {
        return browser.driver().findElement(By.id("video"));
    }

    private static boolean practitionersMessage(String frame, long seq) {
        try {
            Map<String, Object> members = JSONObjectUtils.parse(frame);
            return String.valueOf(members.get("from")).startsWith("practitioner:")
                    && ((Number) members.get("seq")).longValue() == seq;
        } catch (java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The frame with its envelope replaced by an offer of the server's own, sealed under a key the server
     * made (it has no other), under exactly the protected header (binding) of the real one.
     */
    private static String withForgedOffer(String frame) {
        try {
            Map<String, Object> members = new LinkedHashMap<>(JSONObjectUtils.parse(frame));
            Map<String, Object> envelope = JSONObjectUtils.getJSONObject(members, "envelope");
            JWEHeader header = JWEHeader.parse(new Base64URL((String) envelope.get("protected")));
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            String sdp = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
                    + "a=fingerprint:sha-256 "
                    + String.join(":", new ArrayList<>(java.util.Collections.nCopies(32, "AB"))) + "\r\n";
            JWEObject forged = new JWEObject(
                    header, new Payload(JSONObjectUtils.toJSONString(Map.of("v", 1, "type", "offer", "sdp", sdp))));
            assertThat(header.getEncryptionMethod()).isEqualTo(EncryptionMethod.A256GCM);
            forged.encrypt(new DirectEncrypter(key));
            String[] parts = forged.serialize().split("\\.", -1);
            Map<String, Object> replaced = new LinkedHashMap<>();
            replaced.put("protected", parts[0]);
            replaced.put("iv", parts[2]);
            replaced.put("ciphertext", parts[3]);
            replaced.put("tag", parts[4]);
            assertThat(parts[0]).as("the very same binding").isEqualTo(envelope.get("protected"));
            members.put("envelope", replaced);
            return JSONObjectUtils.toJSONString(members);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
