package org.carnet.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;
import org.carnet.support.Api;
import org.carnet.support.Browser;
import org.carnet.support.Fixtures;
import org.carnet.support.RequiresChromium;
import org.carnet.support.SignIn;
import org.carnet.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.virtualauthenticator.HasVirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticatorOptions;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A patient registers a passkey (Chromium's virtual authenticator stands in for a phone), signs out,
 * signs in with the passkey alone, and removes it. Runs on a fixed free port: a passkey is bound to
 * the page's origin, which the server must know in advance.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@ActiveProfiles("test")
@ContextConfiguration(initializers = TestDatabase.class)
@RequiresChromium
class PasskeyBrowserTest {

    static final int PORT = freePort();

    @DynamicPropertySource
    static void origin(DynamicPropertyRegistry registry) {
        registry.add("server.port", () -> PORT);
        registry.add("carnet.security.passkey-origins", () -> "http://localhost:" + PORT);
    }

    Browser browser;

    @BeforeEach
    void startBrowser() {
        browser = Browser.start(PORT);
        ((HasVirtualAuthenticator) browser.driver())
                .addVirtualAuthenticator(new VirtualAuthenticatorOptions()
                        .setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
                        .setTransport(VirtualAuthenticatorOptions.Transport.INTERNAL)
                        .setHasResidentKey(true)
                        .setHasUserVerification(true)
                        .setIsUserVerified(true)
                        .setIsUserConsenting(true));
    }

    @AfterEach
    void stopBrowser() {
        browser.close();
    }

    @Test
    void aPatientAddsAPasskeySignsInWithItAndRemovesIt() {
        Map<String, Object> registration = Fixtures.aRegistration();
        new Api(PORT).post("/api/v1/patients", registration, null);
        SignIn.patient(browser, (String) registration.get("email"), (String) registration.get("password"));

        browser.open("/account/security");
        assertThat(browser.driver().findElement(By.id("no-passkeys")).isDisplayed())
                .isTrue();
        browser.visible(By.id("passkey-label")).sendKeys("Téléphone de test");
        browser.click(By.id("passkey-register"));
        browser.waitUntil(ExpectedConditions.urlContains("changed=passkey"));
        assertThat(browser.text(By.id("passkeys"))).contains("Téléphone de test");
        browser.checkPage("63-passkeys");

        browser.click(By.id("logout"));
        browser.visible(By.id("nav-login"));
        browser.open("/login");
        browser.click(By.id("passkey-signin"));
        browser.visible(By.id("nav-appointments"));
        browser.open("/me/appointments");
        assertThat(browser.driver().getCurrentUrl()).endsWith("/me/appointments");

        browser.open("/account/security");
        browser.click(By.cssSelector("#passkeys button"));
        browser.visible(By.id("no-passkeys"));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
