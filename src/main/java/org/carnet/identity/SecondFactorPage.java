package org.carnet.identity;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Objects;
import org.carnet.shared.WebPage;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.logout.SecurityContextLogoutHandler;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The second step of a page sign-in: the authenticator's code or a recovery code. */
@WebPage
class SecondFactorPage {

    private final SignIn signIn;
    private final SessionUpgrade upgrade;

    SecondFactorPage(SignIn signIn, SessionUpgrade upgrade) {
        this.signIn = signIn;
        this.upgrade = upgrade;
    }

    @GetMapping("/login/code")
    String form() {
        return "login-code";
    }

    @PostMapping("/login/code")
    @Nullable
    String submit(
            @RequestParam(defaultValue = "") String code,
            HttpServletRequest request,
            HttpServletResponse response,
            Model model)
            throws IOException, ServletException {
        CarnetPrincipal principal = CarnetPrincipal.required();
        String typed = code.length() > 64 ? "" : code;
        SignIn.Step step = signIn.secondFactor(principal.userId(), typed);
        if (step instanceof SignIn.Step.SignedIn signedIn) {
            upgrade.signIn(signedIn.principal(), request, response);
            Landing.continueTo(
                    signedIn.principal().role(),
                    request,
                    response,
                    Objects.requireNonNull(
                            SecurityContextHolder.getContext().getAuthentication(), "the authentication just made"));
            return null;
        }
        if (step instanceof SignIn.Step.RenewalNeeded renewal) {
            upgrade.renewing(renewal.principal(), request, response);
            return "redirect:" + RenewalPage.PATH;
        }
        if (step instanceof SignIn.Step.WrongCode) {
            model.addAttribute("codeError", "login.code.wrong");
            return "login-code";
        }
        // Locked by this failure: the half-signed-in session ends.
        new SecurityContextLogoutHandler().logout(request, response, null);
        return "redirect:/login?error";
    }
}
