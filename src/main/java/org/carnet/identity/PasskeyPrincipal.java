package org.carnet.identity;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.webauthn.authentication.WebAuthnAuthentication;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * After a passkey sign-in, replaces Spring Security's WebAuthn authentication with Carnet's own
 * principal, so that every module sees the same {@link CarnetPrincipal} however the user signed in.
 * Also keeps passkey registration to fully signed-in users (not half-way through a password sign-in)
 * who have given their current password again within {@link RecentPassword#WINDOW}.
 */
class PasskeyPrincipal extends OncePerRequestFilter {

    private final Logins logins;
    private final Clock clock;
    private final HttpSessionSecurityContextRepository repository = new HttpSessionSecurityContextRepository();

    PasskeyPrincipal(Logins logins, Clock clock) {
        this.logins = logins;
        this.clock = clock;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication instanceof WebAuthnAuthentication passkey) {
            Optional<CarnetPrincipal> principal = login(passkey.getName());
            if (principal.isEmpty()) {
                SecurityContextHolder.clearContext();
            } else {
                SecurityContext context = SecurityContextHolder.createEmptyContext();
                context.setAuthentication(PasswordStepProvider.authenticated(
                        principal.get(), Authorities.full(principal.get().role())));
                SecurityContextHolder.setContext(context);
                repository.saveContext(context, request, response);
            }
        }
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (path.startsWith("/webauthn/register")
                && (!Authorities.signedIn(SecurityContextHolder.getContext().getAuthentication())
                        || !RecentPassword.holds(request, clock))) {
            response.sendError(HttpServletResponse.SC_FORBIDDEN);
            return;
        }
        chain.doFilter(request, response);
    }

    private Optional<CarnetPrincipal> login(String name) {
        try {
            return logins.principal(UUID.fromString(name));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
