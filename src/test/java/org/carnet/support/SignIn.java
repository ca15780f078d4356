package org.carnet.support;

import java.time.Duration;
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

    private SignIn() {}

    /** A patient: e-mail and password, then wait for the patient's navigation. */
    public static void patient(WebDriver driver, String base, String email, String password) {
        form(driver, base, email, password);
        wait(driver).until(ExpectedConditions.visibilityOfElementLocated(By.id("nav-appointments")));
    }

    /** A practitioner, staff member or establishment administrator: signed in, whatever page follows. */
    public static void professional(WebDriver driver, String base, String email, String password) {
        form(driver, base, email, password);
        wait(driver).until(ExpectedConditions.visibilityOfElementLocated(By.id("logout")));
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
