package org.carnet.identity;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Optional;
import java.util.UUID;
import org.carnet.shared.InvalidRequestException;
import org.carnet.shared.WebPage;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * {@code /enrol}: the owner of a new login gives their one-time enrolment code and chooses their
 * password; a professional then enrols their second factor (the enrolment page, under a new session
 * id), and only then is signed in. An unknown, used and expired code get the same answer.
 */
@WebPage
class EnrolmentPage {

    private final EnrolmentCodes codes;
    private final Logins logins;
    private final PasswordPolicy passwordPolicy;
    private final SessionUpgrade upgrade;

    EnrolmentPage(EnrolmentCodes codes, Logins logins, PasswordPolicy passwordPolicy, SessionUpgrade upgrade) {
        this.codes = codes;
        this.logins = logins;
        this.passwordPolicy = passwordPolicy;
        this.upgrade = upgrade;
    }

    @GetMapping("/enrol")
    String form() {
        return "enrol";
    }

    @PostMapping("/enrol")
    @Transactional
    String enrol(
            @RequestParam(defaultValue = "") String code,
            @RequestParam(defaultValue = "") String password,
            HttpServletRequest request,
            HttpServletResponse response,
            Model model) {
        // The password first: a refused one must not spend the code.
        try {
            passwordPolicy.check(password);
        } catch (InvalidRequestException e) {
            model.addAttribute("passwordError", "enrol.password.refused");
            return "enrol";
        }
        Optional<UUID> userId = codes.redeem(code);
        Optional<CarnetPrincipal> principal = userId.flatMap(logins::principal);
        if (userId.isEmpty() || principal.isEmpty()) {
            model.addAttribute("codeError", "enrol.code.refused");
            return "enrol";
        }
        UUID id = userId.get();
        logins.changePassword(id, password);
        // A code starts the second factor afresh: whatever secret the login had is gone.
        logins.removeTotp(id);
        logins.clearFailures(id);
        if (principal.get().role().professional()) {
            upgrade.enrolling(principal.get(), request, response);
            return "redirect:/account/security/totp";
        }
        upgrade.signIn(principal.get(), request, response);
        return "redirect:" + Landing.of(principal.get().role());
    }
}
