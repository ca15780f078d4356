package org.carnet.support;

import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * Signing in through the login page in browser tests: the one place to adapt when the way in
 * changes. Patients give an e-mail and a password; professionals must use a second factor too.
 */
public final class SignIn {

    private SignIn() {}

    /** A patient: e-mail and password, then wait for the patient's navigation. */
    public static void patient(Browser browser, String email, String password) {
        withPassword(browser, email, password);
        browser.visible(By.id("nav-appointments"));
    }

    /** A professional test login, second factor enrolled or not. */
    public static void professional(Browser browser, Professionals.Login login) {
        professional(browser, login.email(), login.password(), login.totpSecret());
    }

    /**
     * A practitioner, staff member, administrator or security officer: signed in, whatever page
     * follows. An account with a second factor types the code computed from its secret; one without
     * ({@code totpSecret} null) enrols one on the way, reading the secret from the enrolment page.
     */
    public static void professional(Browser browser, String email, String password, String totpSecret) {
        withPassword(browser, email, password);
        if (browser.driver().getCurrentUrl().contains("/account/security/totp")) {
            String secret = browser.text(By.id("totp-secret")).replace(" ", "");
            browser.driver().findElement(By.id("code")).sendKeys(TotpCodes.now(secret));
            browser.click(By.id("totp-submit"));
            browser.click(By.id("recovery-continue"));
        } else if (browser.driver().getCurrentUrl().contains("/login/code")) {
            if (totpSecret == null) {
                throw new IllegalStateException("This account has a second factor: give its secret");
            }
            secondFactor(browser, totpSecret);
        }
        browser.visible(By.id("logout"));
    }

    /**
     * The login page's first step only, then waits for the page that follows, whichever it is (the
     * code page, the enrolment page, the signed-in landing page).
     */
    public static void withPassword(Browser browser, String email, String password) {
        browser.open("/login");
        fillForm(browser, email, password);
    }

    /** Fills the login form already on screen (after a redirect to it) and waits for the next page. */
    public static void fillForm(Browser browser, String email, String password) {
        WebDriver driver = browser.driver();
        WebElement form = browser.waitUntil(ExpectedConditions.presenceOfElementLocated(By.id("login-form")));
        driver.findElement(By.id("email")).sendKeys(email);
        driver.findElement(By.id("password")).sendKeys(password);
        browser.click(By.id("login-submit"));
        browser.waitUntilGone(form);
        browser.waitUntil(ExpectedConditions.presenceOfElementLocated(By.tagName("footer")));
    }

    /**
     * On the code page, types the code computed from the secret; when the account already used this
     * step's code, the next step's once it comes.
     */
    public static void secondFactor(Browser browser, String totpSecret) {
        browser.waitUntil(ExpectedConditions.urlContains("/login/code"));
        TotpCodes.signInWithCode(totpSecret, code -> submitCode(browser, code), refused -> refused);
        browser.waitUntil(ExpectedConditions.not(ExpectedConditions.urlContains("/login")));
    }

    /** Signs out whoever is signed in, by dropping the session cookie. */
    public static void out(Browser browser) {
        browser.driver().manage().deleteAllCookies();
    }

    /** Types and sends a code; whether it was refused. */
    private static boolean submitCode(Browser browser, String code) {
        WebElement field = browser.waitUntil(ExpectedConditions.presenceOfElementLocated(By.id("code")));
        field.clear();
        field.sendKeys(code);
        browser.click(By.id("code-submit"));
        browser.waitUntilGone(field);
        browser.waitUntil(ExpectedConditions.presenceOfElementLocated(By.tagName("footer")));
        return !browser.driver().findElements(By.id("code-error")).isEmpty();
    }
}
