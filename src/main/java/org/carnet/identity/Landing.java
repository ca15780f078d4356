package org.carnet.identity;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.carnet.shared.Role;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;

/** Where a user goes once fully signed in: the page they asked for, else their role's landing page. */
final class Landing {

    private Landing() {}

    static String of(Role role) {
        return switch (role) {
            case PATIENT -> "/me/appointments";
            case PRACTITIONER, STAFF -> "/agenda";
            case ESTABLISHMENT_ADMIN -> "/establishment";
            case SECURITY_OFFICER -> "/security/audit";
        };
    }

    static void continueTo(
            Role role, HttpServletRequest request, HttpServletResponse response, Authentication authentication)
            throws IOException, ServletException {
        SavedRequestAwareAuthenticationSuccessHandler handler = new SavedRequestAwareAuthenticationSuccessHandler();
        handler.setDefaultTargetUrl(of(role));
        handler.onAuthenticationSuccess(request, response, authentication);
    }
}
