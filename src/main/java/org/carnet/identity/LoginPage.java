package org.carnet.identity;

import org.carnet.shared.WebPage;
import org.springframework.web.bind.annotation.GetMapping;

/** The sign-in form; Spring Security handles its POST and says only that sign-in failed, never why. */
@WebPage
class LoginPage {

    @GetMapping("/login")
    String login() {
        return "login";
    }
}
