package org.carnet.identity;

import org.carnet.shared.WebPage;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The sign-in form; Spring Security handles its POST and says only that sign-in failed, never why.
 * With OpenID Connect configured, also the way to the provider (Pro Santé Connect).
 */
@WebPage
class LoginPage {

    private final OidcProperties oidc;

    LoginPage(OidcProperties oidc) {
        this.oidc = oidc;
    }

    @GetMapping("/login")
    String login(Model model) {
        model.addAttribute("oidcEnabled", oidc.enabled());
        model.addAttribute("oidcName", oidc.displayName());
        return "login";
    }
}
