package org.carnet.support;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.carnet.demo.DemoAccounts;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Signing in through the login page in browser tests. Every professional sign-in (practitioner,
 * staff, establishment administrator) goes through {@link #professional}, the one place to adapt when
 * the second factor becomes mandatory for them.
 */
public final class SignIn {

    private static final Map<String, String> SECRETS = new ConcurrentHashMap<>(Map.of(
            DemoAccounts.PRACTITIONER_EMAIL, DemoAccounts.PRACTITIONER_TOTP,
            DemoAccounts.STAFF_EMAIL, DemoAccounts.STAFF_TOTP,
            DemoAccounts.ADMIN_EMAIL, DemoAccounts.ADMIN_TOTP,
            DemoAccounts.SECURITY_OFFICER_EMAIL, DemoAccounts.SECURITY_OFFICER_TOTP));

    private SignIn() {}

    /** A patient: e-mail and password, then wait for the patient's navigation. */
    public static void patient(WebDriver driver, String base, String email, String password) {
        form(driver, base, email, password);
        wait(driver).until(ExpectedConditions.visibilityOfElementLocated(By.id("nav-appointments")));
    }

    /**
     * A practitioner, staff member or establishment administrator: signed in, whatever page follows.
     * Professionals must use a second factor: an account that has none enrols one on the way (the
     * secret is read from the enrolment page and remembered for its next sign-ins); an enrolled one
     * types the code computed from its secret (the demo accounts' secrets are published).
     */
    public static void professional(WebDriver driver, String base, String email, String password) {
        form(driver, base, email, password);
        wait(driver)
                .until(ExpectedConditions.or(
                        ExpectedConditions.urlContains("/login/code"),
                        ExpectedConditions.urlContains("/account/security/totp"),
                        ExpectedConditions.visibilityOfElementLocated(By.id("logout"))));
        if (driver.getCurrentUrl().contains("/account/security/totp")) {
            String secret = driver.findElement(By.id("totp-secret")).getText().replace(" ", "");
            driver.findElement(By.id("code")).sendKeys(TotpCodes.now(secret));
            driver.findElement(By.id("totp-submit")).click();
            wait(driver)
                    .until(ExpectedConditions.elementToBeClickable(By.id("recovery-continue")))
                    .click();
            SECRETS.put(email, secret);
        } else if (driver.getCurrentUrl().contains("/login/code")) {
            String secret = SECRETS.get(email);
            if (secret == null) {
                throw new IllegalStateException("No known second-factor secret for this test account");
            }
            Browser.enterSecondFactor(driver, secret);
        }
        wait(driver).until(ExpectedConditions.visibilityOfElementLocated(By.id("logout")));
    }

    /** Remembers the second-factor secret of an account a test made with one already. */
    public static void knowSecret(String email, String totpSecret) {
        SECRETS.put(email, totpSecret);
    }

    /** Fills the login form already on screen (after a redirect to it), without waiting for a page. */
    public static void fillForm(WebDriver driver, String email, String password) {
        driver.findElement(By.id("email")).sendKeys(email);
        driver.findElement(By.id("password")).sendKeys(password);
        wait(driver)
                .until(ExpectedConditions.elementToBeClickable(By.id("login-submit")))
                .click();
    }

    /** Signs out whoever is signed in, by dropping the session cookie. */
    public static void out(WebDriver driver) {
        driver.manage().deleteAllCookies();
    }

    private static void form(WebDriver driver, String base, String email, String password) {
        driver.get(base + "/login");
        wait(driver).until(ExpectedConditions.presenceOfElementLocated(By.id("login-form")));
        fillForm(driver, email, password);
    }

    private static WebDriverWait wait(WebDriver driver) {
        return new WebDriverWait(driver, Duration.ofSeconds(20));
    }
}
