package org.carnet.support;

import java.time.Duration;
import java.util.UUID;
import org.carnet.identity.Logins;
import org.carnet.identity.Role;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Accounts and sign-in for the access-log tests. Every page sign-in of those tests goes through
 * {@link #signIn}, so that a second factor for professional roles is added in one place.
 */
public final class AuditPages {

    public static final String PASSWORD = "audit test password 2026";

    private AuditPages() {}

    /** A login: its id and synthetic e-mail; the password is {@link #PASSWORD}. */
    public record Account(UUID id, String email) {}

    /** A login of this role in the establishment ({@code null} for platform roles), for a new or given subject. */
    public static Account anAccount(
            Logins logins, TransactionTemplate transactions, Role role, UUID subjectId, UUID establishmentId) {
        String email = role.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + "-" + UUID.randomUUID()
                + "@example.test";
        UUID id = transactions.execute(status -> logins.create(
                role, subjectId == null ? UUID.randomUUID() : subjectId, establishmentId, email, PASSWORD));
        return new Account(id, email);
    }

    /** Signs in through the login page and waits until the next page has loaded. */
    public static void signIn(WebDriver driver, String base, String email, String password) {
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
        driver.get(base + "/login");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("email")));
        driver.findElement(By.id("email")).sendKeys(email);
        driver.findElement(By.id("password")).sendKeys(password);
        wait.until(ExpectedConditions.elementToBeClickable(By.id("login-submit")))
                .click();
        wait.until(ExpectedConditions.not(ExpectedConditions.urlContains("/login")));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.tagName("footer")));
    }
}
