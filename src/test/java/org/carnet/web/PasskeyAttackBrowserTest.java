package org.carnet.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import org.carnet.directory.Directory;
import org.carnet.identity.Logins;
import org.carnet.scheduling.Agendas;
import org.carnet.shared.Role;
import org.carnet.support.Api;
import org.carnet.support.Browser;
import org.carnet.support.Fixtures;
import org.carnet.support.Professionals;
import org.carnet.support.SignIn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.virtualauthenticator.HasVirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Passkeys must not outlive the password or a block: a session alone cannot add one, the owner is
 * told when one is added, a password change can take them all away, a blocked account cannot use
 * them, passkey sign-in gets a new session id and lands on the role's page, and a professional's
 * passkey must verify its user.
 */
class PasskeyAttackBrowserTest extends PasskeyPages {

    static final String LABEL = "Téléphone de test";

    @Autowired
    Directory directory;

    @Autowired
    Agendas agendas;

    @Autowired
    Logins logins;

    @Autowired
    TransactionTemplate transactions;

    Browser browser;
    VirtualAuthenticator phone;

    @BeforeEach
    void startBrowser() {
        browser = Browser.start(PORT);
        phone = authenticator(browser, true);
    }

    @AfterEach
    void stopBrowser() {
        browser.close();
    }

    @Test
    void aSignedInSessionAloneCannotAddAPasskeyAndTheOwnerIsToldWhenOneIsAdded() {
        Map<String, Object> patient = aPatient();
        SignIn.patient(browser, email(patient), password(patient));
        browser.open("/account/security");
        assertThat(browser.driver().findElements(By.id("passkey-register"))).isEmpty();
        assertThat(registrationOptionsStatus())
                .as("registration options for a session that has not given its password again")
                .isEqualTo(403);

        browser.visible(By.id("passkey-password")).sendKeys("not the password at all");
        browser.click(By.id("passkey-confirm"));
        browser.visible(By.id("passkey-password-error"));
        assertThat(registrationOptionsStatus()).isEqualTo(403);

        addPasskey(password(patient));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            browser.open("/me/inbox");
            assertThat(browser.text(By.id("main"))).containsAnyOf("clé d’accès a été ajoutée", "passkey was added");
        });
    }

    @Test
    void passkeySignInGetsANewSessionIdAndLandsOnTheRolesPage() {
        Map<String, Object> patient = aPatient();
        SignIn.patient(browser, email(patient), password(patient));
        browser.open("/account/security");
        addPasskey(password(patient));
        SignIn.out(browser);

        browser.open("/login");
        String before = sessionCookie();
        assertThat(before).as("the login page's session").isNotNull();
        browser.click(By.id("passkey-signin"));
        browser.visible(By.id("nav-appointments"));
        assertThat(browser.driver().getCurrentUrl()).endsWith("/me/appointments");
        assertThat(sessionCookie()).as("the session id after a passkey sign-in").isNotEqualTo(before);
    }

    @Test
    void aPasswordChangeCanRemoveEveryPasskey() {
        Map<String, Object> patient = aPatient();
        SignIn.patient(browser, email(patient), password(patient));
        browser.open("/account/security");
        addPasskey(password(patient));

        browser.visible(By.id("current-password")).sendKeys(password(patient));
        browser.driver().findElement(By.id("new-password")).sendKeys("a brand new synthetic password");
        browser.click(By.id("password-passkeys"));
        browser.click(By.id("password-submit"));
        browser.waitUntil(ExpectedConditions.urlContains("changed=password"));
        browser.visible(By.id("no-passkeys"));
        SignIn.out(browser);

        assertPasskeySignInRefused();
    }

    @Test
    void signingOutEverywhereCanRemoveEveryPasskey() {
        Map<String, Object> patient = aPatient();
        SignIn.patient(browser, email(patient), password(patient));
        browser.open("/account/security");
        addPasskey(password(patient));

        browser.click(By.id("end-others-passkeys"));
        browser.click(By.id("end-others"));
        browser.waitUntil(ExpectedConditions.urlContains("ended"));
        browser.visible(By.id("no-passkeys"));
        SignIn.out(browser);

        assertPasskeySignInRefused();
    }

    @Test
    void aBlockedAccountCannotSignInWithItsPasskey() {
        Map<String, Object> patient = aPatient();
        SignIn.patient(browser, email(patient), password(patient));
        browser.open("/account/security");
        addPasskey(password(patient));
        SignIn.out(browser);

        Api api = new Api(PORT);
        for (int i = 0; i < 10; i++) {
            api.post("/api/v1/auth/token", Map.of("email", email(patient), "password", "wrong password " + i), null);
        }
        assertThat(api.post("/api/v1/auth/token", Map.of("email", email(patient), "password", password(patient)), null)
                        .status())
                .as("the account is blocked")
                .isEqualTo(401);

        assertPasskeySignInRefused();
    }

    @Test
    void aProfessionalCannotAddAPasskeyThatDoesNotVerifyTheUser() {
        ((HasVirtualAuthenticator) browser.driver()).removeVirtualAuthenticator(phone);
        authenticator(browser, false);
        Fixtures.Agenda agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        Professionals.Login staff = new Professionals(logins, transactions)
                .staff(Role.STAFF, agenda.establishment().id());
        SignIn.professional(browser, staff);
        browser.open("/account/security");
        browser.visible(By.id("passkey-password")).sendKeys(staff.password());
        browser.click(By.id("passkey-confirm"));
        browser.visible(By.id("passkey-label")).sendKeys(LABEL);
        browser.click(By.id("passkey-register"));
        browser.visible(By.id("passkey-register-error"));
        browser.open("/account/security");
        assertThat(browser.driver().findElements(By.id("no-passkeys"))).isNotEmpty();
    }

    /** On the security page: gives the password again, then registers the virtual authenticator. */
    private void addPasskey(String password) {
        browser.visible(By.id("passkey-password")).sendKeys(password);
        browser.click(By.id("passkey-confirm"));
        browser.visible(By.id("passkey-label")).sendKeys(LABEL);
        browser.click(By.id("passkey-register"));
        browser.waitUntil(ExpectedConditions.urlContains("changed=passkey"));
        assertThat(browser.text(By.id("passkeys"))).contains(LABEL);
    }

    private void assertPasskeySignInRefused() {
        browser.open("/login");
        browser.click(By.id("passkey-signin"));
        browser.visible(By.id("passkey-error"));
        browser.open("/me/appointments");
        assertThat(browser.driver().getCurrentUrl()).contains("/login");
    }

    /** What a script in a signed-in page gets when it asks to start registering a passkey. */
    private long registrationOptionsStatus() {
        Object status = ((JavascriptExecutor) browser.driver())
                .executeAsyncScript("var done = arguments[arguments.length - 1];"
                        + "var token = document.querySelector('input[name=_csrf]').value;"
                        + "fetch('/webauthn/register/options', {method: 'POST', headers: {'X-CSRF-TOKEN': token}})"
                        + ".then(function (r) { done(r.status); }, function () { done(-1); });");
        return ((Number) status).longValue();
    }

    private String sessionCookie() {
        Cookie cookie = browser.driver().manage().getCookieNamed("SESSION");
        return cookie == null ? null : cookie.getValue();
    }

    private static Map<String, Object> aPatient() {
        Map<String, Object> registration = Fixtures.aRegistration();
        assertThat(new Api(PORT).post("/api/v1/patients", registration, null).status())
                .isEqualTo(202);
        return registration;
    }

    private static String email(Map<String, Object> registration) {
        return (String) registration.get("email");
    }

    private static String password(Map<String, Object> registration) {
        return (String) registration.get("password");
    }
}
