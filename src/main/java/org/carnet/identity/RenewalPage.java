package org.carnet.identity;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import org.carnet.shared.InvalidRequestException;
import org.carnet.shared.WebPage;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.web.authentication.logout.SecurityContextLogoutHandler;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * {@value #PATH}: after a security officer required new credentials ({@link
 * AccountContainment#requireRenewal}), the only page a sign-in opens, once every factor the account had
 * was given. Its owner chooses a new password, not the old one; a professional, or an account that had an
 * authenticator, then enrols a new one (the old secret and recovery codes are gone), and only then is
 * signed in. The owner is told that the password changed, as for any change.
 */
@WebPage
class RenewalPage {

    static final String PATH = "/account/renew";

    private enum Next {
        SIGNED_IN,
        ENROL_SECOND_FACTOR,
        SIGN_IN_AGAIN
    }

    private final Logins logins;
    private final SessionUpgrade upgrade;
    private final TransactionOperations transactions;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    RenewalPage(
            Logins logins,
            SessionUpgrade upgrade,
            TransactionOperations transactions,
            ApplicationEventPublisher events,
            Clock clock) {
        this.logins = logins;
        this.upgrade = upgrade;
        this.transactions = transactions;
        this.events = events;
        this.clock = clock;
    }

    @GetMapping(PATH)
    String form() {
        return "account-renew";
    }

    @PostMapping(PATH)
    String renew(
            @RequestParam(defaultValue = "") String password,
            HttpServletRequest request,
            HttpServletResponse response,
            Model model) {
        CarnetPrincipal principal = CarnetPrincipal.required();
        String hash;
        try {
            hash = logins.newPasswordHash(password);
        } catch (InvalidRequestException e) {
            model.addAttribute("passwordError", "renew.password.refused");
            return "account-renew";
        }
        if (logins.passwordMatches(principal.userId(), password)) {
            // Whoever was let in may know the old one: that is why it is being renewed.
            model.addAttribute("passwordError", "renew.password.same");
            return "account-renew";
        }
        Next next = transactions.execute(status -> {
            Logins.StoredLogin login = logins.stored(principal.userId()).orElse(null);
            if (login == null || login.renewal() != Renewal.PASSWORD) {
                return Next.SIGN_IN_AGAIN; // renewed meanwhile from another session, or the login is gone
            }
            boolean enrolAgain = principal.role().professional() || login.hasSecondFactor();
            if (!logins.passwordRenewed(principal.userId(), hash, enrolAgain)) {
                return Next.SIGN_IN_AGAIN;
            }
            events.publishEvent(
                    new PasswordChanged(principal.userId(), principal.subjectId(), principal.role(), clock.instant()));
            return enrolAgain ? Next.ENROL_SECOND_FACTOR : Next.SIGNED_IN;
        });
        if (next == Next.SIGN_IN_AGAIN) {
            new SecurityContextLogoutHandler().logout(request, response, null);
            return "redirect:/login";
        }
        if (next == Next.ENROL_SECOND_FACTOR) {
            upgrade.enrolling(principal, request, response);
            return "redirect:/account/security/totp";
        }
        upgrade.signIn(principal, request, response);
        return "redirect:" + Landing.of(principal.role());
    }
}
