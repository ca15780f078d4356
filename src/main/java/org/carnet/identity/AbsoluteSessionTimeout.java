package org.carnet.identity;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.time.Clock;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Ends a page session a fixed time after sign-in however active it is (the idle timeout is the
 * session's own, {@code server.servlet.session.timeout}).
 */
class AbsoluteSessionTimeout extends OncePerRequestFilter {

    static final String SIGNED_IN_AT = "carnet.signedInAt";

    private final Clock clock;
    private final long limitMillis;

    AbsoluteSessionTimeout(Clock clock, SecurityProperties properties) {
        this.clock = clock;
        this.limitMillis = properties.sessionAbsoluteTimeout().toMillis();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        HttpSession session = request.getSession(false);
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (session != null && authentication != null && !(authentication instanceof AnonymousAuthenticationToken)) {
            long now = clock.millis();
            Object since = session.getAttribute(SIGNED_IN_AT);
            if (since == null) {
                session.setAttribute(SIGNED_IN_AT, now);
            } else if (now - (Long) since > limitMillis) {
                session.invalidate();
                SecurityContextHolder.clearContext();
                response.sendRedirect(request.getContextPath() + "/login?expired");
                return;
            }
        }
        chain.doFilter(request, response);
    }
}
