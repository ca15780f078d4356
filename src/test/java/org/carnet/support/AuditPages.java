package org.carnet.support;

import java.time.Duration;
import java.util.UUID;
import org.carnet.identity.Logins;
import org.carnet.shared.Role;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Accounts and sign-in for the access-log tests. Every page sign-in and professional token of those
 * tests goes through here, so that a change in how professionals sign in is made in one place.
 */
public final class AuditPages {

    private AuditPages() {}

    /** A professional login of this role (second factor enrolled): a practitioner's for that subject. */
    public static Professionals.Login anAccount(
            Logins logins, TransactionTemplate transactions, Role role, UUID subjectId, UUID establishmentId) {
        Professionals professionals = new Professionals(logins, transactions);
        return role == Role.PRACTITIONER
                ? professionals.practitioner(subjectId, establishmentId)
                : professionals.staff(role, establishmentId);
    }

    /** The login's API bearer token. */
    public static String token(Api api, Professionals.Login login) {
        return api.token(login.email(), login.password(), login.totpSecret());
    }

    /** Signs a professional in through the login page and the second-factor page. */
    public static void signIn(WebDriver driver, String base, Professionals.Login login) {
        signIn(driver, base, login.email(), login.password(), login.totpSecret());
    }

    /** Signs in through the login page (and the code page when there is a second factor), then waits for the page. */
    public static void signIn(WebDriver driver, String base, String email, String password, String totpSecret) {
        Browser.signIn(driver, base, email, password, totpSecret);
        new WebDriverWait(driver, Duration.ofSeconds(20))
                .until(ExpectedConditions.presenceOfElementLocated(By.tagName("footer")));
    }
}
