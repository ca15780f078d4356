package org.carnet.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import org.carnet.support.Api;
import org.carnet.support.Browser;
import org.carnet.support.Fixtures;
import org.carnet.support.RequiresChromium;
import org.carnet.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
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

    WebDriver driver;
    WebDriverWait wait;

    @BeforeEach
    void startBrowser() {
        driver = Browser.start();
        wait = new WebDriverWait(driver, Duration.ofSeconds(20));
        ((HasVirtualAuthenticator) driver)
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
        driver.quit();
    }

    @Test
    void aPatientAddsAPasskeySignsInWithItAndRemovesIt() {
        String base = "http://localhost:" + PORT;
        Map<String, Object> registration = Fixtures.aRegistration();
        new Api(PORT).post("/api/v1/patients", registration, null);
        Browser.signIn(driver, base, (String) registration.get("email"), (String) registration.get("password"), null);

        driver.get(base + "/account/security");
        assertThat(driver.findElement(By.id("no-passkeys")).isDisplayed()).isTrue();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("passkey-label")))
                .sendKeys("Téléphone de test");
        driver.findElement(By.id("passkey-register")).click();
        wait.until(ExpectedConditions.urlContains("changed=passkey"));
        assertThat(driver.findElement(By.id("passkeys")).getText()).contains("Téléphone de test");
        Browser.checkPage(driver, "63-passkeys");

        driver.findElement(By.id("logout")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("nav-login")));
        driver.get(base + "/login");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("passkey-signin")))
                .click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("nav-appointments")));
        driver.get(base + "/me/appointments");
        assertThat(driver.getCurrentUrl()).endsWith("/me/appointments");

        driver.get(base + "/account/security");
        driver.findElement(By.cssSelector("#passkeys button")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("no-passkeys")));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
