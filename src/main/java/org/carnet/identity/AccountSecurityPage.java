package org.carnet.identity;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.List;
import org.carnet.shared.ConflictException;
import org.carnet.shared.InvalidRequestException;
import org.carnet.shared.Role;
import org.carnet.shared.WebPage;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Security settings: second factor and recovery codes, passkeys, active sessions, password and
 * e-mail. Every change of credentials asks for the current password, ends the other sessions and
 * revokes API tokens; adding a passkey needs the current password given within the last five minutes
 * ({@link RecentPassword}); a password change and signing out elsewhere offer to remove the passkeys.
 * The current password (and a new one) are hashed before any transaction opens, so that requests
 * waiting for a hashing permit hold no database connection; the changes then commit together.
 */
@WebPage
class AccountSecurityPage {

    private final Logins logins;
    private final RecoveryCodes recoveryCodes;
    private final Sessions sessions;
    private final AccessTokens tokens;
    private final ApplicationEventPublisher events;
    private final Passkeys passkeys;
    private final SignIn signIn;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final OidcProperties oidc;

    AccountSecurityPage(
            Logins logins,
            RecoveryCodes recoveryCodes,
            Sessions sessions,
            AccessTokens tokens,
            ApplicationEventPublisher events,
            Passkeys passkeys,
            SignIn signIn,
            TransactionTemplate transactions,
            Clock clock,
            OidcProperties oidc) {
        this.oidc = oidc;
        this.transactions = transactions;
        this.passkeys = passkeys;
        this.signIn = signIn;
        this.clock = clock;
        this.logins = logins;
        this.recoveryCodes = recoveryCodes;
        this.sessions = sessions;
        this.tokens = tokens;
        this.events = events;
    }

    @GetMapping("/account/security")
    String page(HttpServletRequest request, Model model) {
        return show(request, model);
    }

    @PostMapping("/account/security/sessions/end-others")
    String endOtherSessions(@RequestParam(defaultValue = "false") boolean removePasskeys, HttpServletRequest request) {
        CarnetPrincipal principal = CarnetPrincipal.required();
        sessions.endOthers(principal.userId(), request.getSession().getId());
        if (removePasskeys) {
            passkeys.removeAll(principal.userId());
        }
        return "redirect:/account/security?ended";
    }

    @PostMapping("/account/security/password")
    String changePassword(
            @RequestParam(defaultValue = "") String currentPassword,
            @RequestParam(defaultValue = "") String newPassword,
            @RequestParam(defaultValue = "false") boolean removePasskeys,
            HttpServletRequest request,
            Model model) {
        CarnetPrincipal principal = CarnetPrincipal.required();
        if (!currentPasswordRight(principal, currentPassword)) {
            model.addAttribute("passwordError", "security.currentPassword.wrong");
            return show(request, model);
        }
        String hash;
        try {
            hash = logins.newPasswordHash(newPassword);
        } catch (InvalidRequestException e) {
            model.addAttribute("newPasswordError", "security.newPassword.refused");
            return show(request, model);
        }
        transactions.executeWithoutResult(status -> {
            logins.storePasswordHash(principal.userId(), hash);
            if (removePasskeys) {
                passkeys.removeAll(principal.userId());
            }
            events.publishEvent(
                    new PasswordChanged(principal.userId(), principal.subjectId(), principal.role(), clock.instant()));
            afterCredentialChange(principal, request);
        });
        return "redirect:/account/security?changed=password";
    }

    @PostMapping("/account/security/email")
    String changeEmail(
            @RequestParam(defaultValue = "") String currentPassword,
            @RequestParam(defaultValue = "") String newEmail,
            HttpServletRequest request,
            Model model) {
        CarnetPrincipal principal = CarnetPrincipal.required();
        model.addAttribute("typedEmail", newEmail.length() > 254 ? "" : newEmail);
        if (!currentPasswordRight(principal, currentPassword)) {
            model.addAttribute("emailPasswordError", "security.currentPassword.wrong");
            return show(request, model);
        }
        String email;
        try {
            email = EmailAddresses.checked(newEmail);
        } catch (InvalidRequestException e) {
            model.addAttribute("emailError", "security.email.invalid");
            return show(request, model);
        }
        try {
            transactions.executeWithoutResult(status -> {
                logins.changeEmail(principal.userId(), email);
                events.publishEvent(
                        new LoginEmailChanged(principal.userId(), principal.role(), principal.subjectId(), email));
                afterCredentialChange(principal, request);
            });
        } catch (ConflictException e) {
            // Said the same way as a malformed address would not be: the form cannot be used to probe accounts
            // without the current password, which the caller has just given.
            model.addAttribute("emailError", "security.email.taken");
            return show(request, model);
        }
        return "redirect:/account/security?changed=email";
    }

    @PostMapping("/account/security/recovery-codes")
    String renewRecoveryCodes(
            @RequestParam(defaultValue = "") String currentPassword, HttpServletRequest request, Model model) {
        CarnetPrincipal principal = CarnetPrincipal.required();
        if (!currentPasswordRight(principal, currentPassword) || !logins.hasSecondFactor(principal.userId())) {
            model.addAttribute("codesPasswordError", "security.currentPassword.wrong");
            return show(request, model);
        }
        List<String> codes = transactions.execute(status -> recoveryCodes.renew(principal.userId()));
        model.addAttribute("recoveryCodes", codes);
        model.addAttribute("next", "/account/security");
        return "totp-enrolled";
    }

    @PostMapping("/account/security/totp/remove")
    String removeSecondFactor(
            @RequestParam(defaultValue = "") String currentPassword, HttpServletRequest request, Model model) {
        CarnetPrincipal principal = CarnetPrincipal.required();
        if (principal.role().professional()) {
            // Mandatory for professionals: they may enrol a new authenticator, never go without one.
            return "redirect:/account/security";
        }
        if (!currentPasswordRight(principal, currentPassword)) {
            model.addAttribute("removePasswordError", "security.currentPassword.wrong");
            return show(request, model);
        }
        transactions.executeWithoutResult(status -> {
            logins.removeTotp(principal.userId());
            afterCredentialChange(principal, request);
        });
        return "redirect:/account/security?changed=totp";
    }

    /** The current password again, which opens passkey registration for {@link RecentPassword#WINDOW}. */
    @PostMapping("/account/security/passkeys/confirm")
    String confirmForPasskey(
            @RequestParam(defaultValue = "") String currentPassword, HttpServletRequest request, Model model) {
        CarnetPrincipal principal = CarnetPrincipal.required();
        if (!currentPasswordRight(principal, currentPassword)) {
            model.addAttribute("passkeyPasswordError", "security.currentPassword.wrong");
            return show(request, model);
        }
        RecentPassword.confirmed(request, clock);
        return "redirect:/account/security#passkeys-heading";
    }

    /**
     * Starts binding a practitioner's login to their RPPS: the current password again, then a sign-in
     * at the OpenID Connect provider whose RPPS must be the directory's ({@link OidcSignIn}).
     */
    @PostMapping("/account/security/rpps")
    String bindRpps(@RequestParam(defaultValue = "") String currentPassword, HttpServletRequest request, Model model) {
        CarnetPrincipal principal = CarnetPrincipal.required();
        if (!oidc.enabled() || principal.role() != Role.PRACTITIONER) {
            return "redirect:/account/security";
        }
        if (!currentPasswordRight(principal, currentPassword)) {
            model.addAttribute("rppsPasswordError", "security.currentPassword.wrong");
            return show(request, model);
        }
        OidcSignIn.startBinding(principal, request, clock);
        return "redirect:/oauth2/authorization/" + OidcProperties.REGISTRATION;
    }

    @PostMapping("/account/security/passkeys/remove")
    String removePasskey(@RequestParam(defaultValue = "") String credentialId) {
        passkeys.remove(CarnetPrincipal.required().userId(), credentialId);
        return "redirect:/account/security?changed=passkey";
    }

    /** Counted like a sign-in: wrong ones lock the account (see {@link SignIn#currentPassword}). */
    private boolean currentPasswordRight(CarnetPrincipal principal, String password) {
        return signIn.currentPassword(principal.userId(), password);
    }

    private void afterCredentialChange(CarnetPrincipal principal, HttpServletRequest request) {
        // Others first: the new id of this session is stored only when the request ends.
        sessions.endOthers(principal.userId(), request.getSession().getId());
        request.changeSessionId();
        tokens.revokeAll(principal.userId());
    }

    private String show(HttpServletRequest request, Model model) {
        CarnetPrincipal principal = CarnetPrincipal.required();
        boolean enrolled = logins.hasSecondFactor(principal.userId());
        model.addAttribute("secondFactor", enrolled);
        model.addAttribute("secondFactorMandatory", principal.role().professional());
        model.addAttribute("recoveryCodesLeft", enrolled ? recoveryCodes.remaining(principal.userId()) : 0);
        model.addAttribute("recoveryCodesOldKind", enrolled ? recoveryCodes.oldKindLeft(principal.userId()) : 0);
        model.addAttribute(
                "sessions", sessions.of(principal.userId(), request.getSession().getId()));
        model.addAttribute("passkeys", passkeys.of(principal.userId()));
        model.addAttribute("passkeyAddAllowed", RecentPassword.holds(request, clock));
        model.addAttribute("rppsOffered", oidc.enabled() && principal.role() == Role.PRACTITIONER);
        model.addAttribute(
                "rppsBound",
                logins.stored(principal.userId())
                        .map(Logins.StoredLogin::rppsBound)
                        .orElse(false));
        model.addAttribute("oidcName", oidc.displayName());
        return "account-security";
    }
}
