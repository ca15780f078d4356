package org.carnet.identity;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Collection;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.stereotype.Component;

/**
 * Turns a page session that has passed the password step into a fully signed-in one, under a new
 * session id (as at every privilege change, so a fixed id is worth nothing), and records the browser
 * among the login's devices.
 */
@Component
class SessionUpgrade {

    private final SecurityContextRepository repository = new HttpSessionSecurityContextRepository();
    private final KnownDevices devices;

    SessionUpgrade(KnownDevices devices) {
        this.devices = devices;
    }

    void signIn(CarnetPrincipal principal, HttpServletRequest request, HttpServletResponse response) {
        to(principal, Authorities.full(principal.role()), request, response);
        devices.signedIn(principal, request, response);
    }

    /** After an enrolment code and a new password: the professional may only enrol a second factor. */
    void enrolling(CarnetPrincipal principal, HttpServletRequest request, HttpServletResponse response) {
        to(principal, Authorities.only(Authorities.SECOND_FACTOR_ENROLMENT), request, response);
    }

    /** After every factor, when a security officer required new credentials: the renewal page only. */
    void renewing(CarnetPrincipal principal, HttpServletRequest request, HttpServletResponse response) {
        to(principal, Authorities.only(Authorities.RENEWAL_PENDING), request, response);
    }

    private void to(
            CarnetPrincipal principal,
            Collection<? extends GrantedAuthority> authorities,
            HttpServletRequest request,
            HttpServletResponse response) {
        request.getSession();
        request.changeSessionId();
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(PasswordStepProvider.authenticated(principal, authorities));
        SecurityContextHolder.setContext(context);
        repository.saveContext(context, request, response);
    }
}
