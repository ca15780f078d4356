package org.carnet.identity;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.security.web.savedrequest.SavedRequest;
import tools.jackson.databind.json.JsonMapper;

/**
 * After a passkey sign-in: the session gets Carnet's principal under a new session id (as at every
 * sign-in, so a session id fixed before is worth nothing), and the page goes where the user was
 * going, else to their role's landing page. Answered as Spring Security's passkey script expects:
 * {@code {"authenticated": true, "redirectUrl": ...}}.
 */
class PasskeySignedIn implements AuthenticationSuccessHandler {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Function<String, Optional<CarnetPrincipal>> logins;
    private final SessionUpgrade upgrade;
    private final RequestCache requests = new HttpSessionRequestCache();

    PasskeySignedIn(Function<String, Optional<CarnetPrincipal>> logins, SessionUpgrade upgrade) {
        this.logins = logins;
        this.upgrade = upgrade;
    }

    @Override
    public void onAuthenticationSuccess(
            HttpServletRequest request, HttpServletResponse response, Authentication authentication)
            throws IOException {
        Optional<CarnetPrincipal> principal = logins.apply(authentication.getName());
        if (principal.isEmpty()) {
            SecurityContextHolder.clearContext();
            request.getSession().invalidate();
            response.sendError(HttpServletResponse.SC_UNAUTHORIZED);
            return;
        }
        SavedRequest saved = requests.getRequest(request, response);
        requests.removeRequest(request, response);
        upgrade.signIn(principal.get(), request, response);
        String target = saved != null
                ? saved.getRedirectUrl()
                : request.getContextPath() + Landing.of(principal.get().role());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.getWriter().write(JSON.writeValueAsString(Map.of("authenticated", true, "redirectUrl", target)));
    }
}
