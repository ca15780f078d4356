package org.carnet.identity;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.OptionalLong;
import org.carnet.shared.WebPage;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Enrolling an authenticator app: a secret shown as a QR code and as text, confirmed by one code,
 * then ten recovery codes shown once. The secret waits sealed in the database until confirmed.
 */
@WebPage
class TotpEnrolmentPage {

    private final Logins logins;
    private final Totp totp;
    private final RecoveryCodes recoveryCodes;
    private final SessionUpgrade upgrade;

    TotpEnrolmentPage(Logins logins, Totp totp, RecoveryCodes recoveryCodes, SessionUpgrade upgrade) {
        this.logins = logins;
        this.totp = totp;
        this.recoveryCodes = recoveryCodes;
        this.upgrade = upgrade;
    }

    @GetMapping("/account/security/totp")
    @Transactional
    String form(Model model) {
        CarnetPrincipal principal = CarnetPrincipal.required();
        if (logins.hasSecondFactor(principal.userId())) {
            return "redirect:/account/security";
        }
        String secret = logins.pendingTotpSecret(principal.userId()).orElseGet(() -> {
            String fresh = totp.newSecret();
            logins.startTotpEnrolment(principal.userId(), fresh);
            return fresh;
        });
        return show(model, principal, secret, null);
    }

    @PostMapping("/account/security/totp")
    @Transactional
    String confirm(
            @RequestParam(defaultValue = "") String code,
            HttpServletRequest request,
            HttpServletResponse response,
            Model model) {
        CarnetPrincipal principal = CarnetPrincipal.required();
        if (logins.hasSecondFactor(principal.userId())) {
            return "redirect:/account/security";
        }
        String secret = logins.pendingTotpSecret(principal.userId()).orElse(null);
        if (secret == null) {
            return "redirect:/account/security/totp";
        }
        OptionalLong step = totp.verify(secret, code.length() > 32 ? "" : code, null);
        if (step.isEmpty()) {
            return show(model, principal, secret, "totp.code.wrong");
        }
        logins.enrolTotp(principal.userId(), secret, step.getAsLong());
        logins.secondFactorRenewed(principal.userId());
        List<String> codes = recoveryCodes.renew(principal.userId());
        if (!Authorities.signedIn(SecurityContextHolder.getContext().getAuthentication())) {
            upgrade.signIn(principal, request, response);
        }
        // Shown once, in this response only: never put in the session or a redirect.
        model.addAttribute("recoveryCodes", codes);
        model.addAttribute("next", Landing.of(principal.role()));
        return "totp-enrolled";
    }

    private String show(Model model, CarnetPrincipal principal, String secret, @Nullable String error) {
        String label = principal.role().name().toLowerCase(java.util.Locale.ROOT) + "-"
                + principal.userId().toString().substring(0, 8);
        model.addAttribute("secret", secret.replaceAll("(.{4})(?!$)", "$1 "));
        model.addAttribute("qrCode", QrCodes.dataUrl(Totp.enrolmentUri(secret, label)));
        model.addAttribute("mandatory", principal.role().professional());
        model.addAttribute("codeError", error);
        return "totp-enrol";
    }
}
