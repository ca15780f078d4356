package org.carnet.identity;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.Serializable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.carnet.shared.Role;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.security.web.authentication.logout.SecurityContextLogoutHandler;

/**
 * What an OpenID Connect sign-in (Pro Santé Connect) opens. The provider's identity is never a Carnet
 * login by itself: its RPPS claim must match a login bound to that RPPS, and only a practitioner
 * binds their own login.
 *
 * <ul>
 *   <li><b>Binding</b>: a practitioner fully signed in (password and second factor) gives their current
 *       password again on the security page ({@link #startBinding}), then signs in at the provider; the
 *       RPPS it presents must be the one the directory holds for them ({@link PractitionerRpps}). The
 *       login is then bound, its API tokens revoked and its other sessions ended. An administrator
 *       cannot do this for anyone: it needs the practitioner's own session, and an identity whose RPPS
 *       is the practitioner's.
 *   <li><b>Sign-in</b>: the RPPS presented must be bound to a login that is not blocked; the session
 *       then gets Carnet's principal under a new id and lands on the role's landing page. An RPPS bound
 *       to no login, or no RPPS at all, is refused ({@code /login?error}) and the session ends.
 * </ul>
 *
 * The provider signs in with two factors (Pro Santé Connect: the CPS card or the e-CPS app, eIDAS
 * substantial), so a bound login signs in fully.
 */
class OidcSignIn implements AuthenticationSuccessHandler {

    private static final Logger log = LoggerFactory.getLogger(OidcSignIn.class);

    /** The session attribute holding a binding started on the security page. */
    static final String BINDING = OidcSignIn.class.getName() + ".BINDING";

    /** How long a started binding waits for the provider's answer. */
    static final Duration BINDING_WINDOW = Duration.ofMinutes(10);

    /**
     * A binding started by a signed-in practitioner, kept in their session.
     *
     * @param sessionId the session's id as stored when the binding started (the provider's answer
     *     arrives in the same session; its id changes only when that request ends)
     */
    record Binding(CarnetPrincipal principal, Instant startedAt, String sessionId) implements Serializable {}

    private final Logins logins;
    private final PractitionerRpps directory;
    private final Sessions sessions;
    private final AccessTokens tokens;
    private final SessionUpgrade upgrade;
    private final String rppsClaim;
    private final Clock clock;

    OidcSignIn(
            Logins logins,
            PractitionerRpps directory,
            Sessions sessions,
            AccessTokens tokens,
            SessionUpgrade upgrade,
            String rppsClaim,
            Clock clock) {
        this.logins = logins;
        this.directory = directory;
        this.sessions = sessions;
        this.tokens = tokens;
        this.upgrade = upgrade;
        this.rppsClaim = rppsClaim;
        this.clock = clock;
    }

    /** Remembers in the practitioner's session that the next provider sign-in is to bind their login. */
    static void startBinding(CarnetPrincipal principal, HttpServletRequest request, Clock clock) {
        request.getSession()
                .setAttribute(
                        BINDING,
                        new Binding(
                                principal, clock.instant(), request.getSession().getId()));
    }

    @Override
    public void onAuthenticationSuccess(
            HttpServletRequest request, HttpServletResponse response, Authentication authentication)
            throws IOException, ServletException {
        String rpps = authentication.getPrincipal() instanceof OidcUser user
                ? OidcProperties.rppsOf(user.getClaims().get(rppsClaim))
                : null;
        Binding binding = takeBinding(request);
        if (binding != null) {
            bind(binding, rpps, request, response);
            return;
        }
        Instant now = clock.instant();
        Optional<Logins.StoredLogin> bound = rpps == null ? Optional.empty() : logins.boundTo(rpps);
        if (bound.isEmpty() || bound.get().blockedAt(now) || bound.get().renewal() != null) {
            refuse(request, response);
            return;
        }
        CarnetPrincipal principal = bound.get().principal();
        logins.clearFailures(principal.userId());
        upgrade.signIn(principal, request, response);
        Landing.continueTo(
                principal.role(),
                request,
                response,
                Objects.requireNonNull(
                        SecurityContextHolder.getContext().getAuthentication(), "the authentication just made"));
    }

    private void bind(Binding binding, @Nullable String rpps, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        CarnetPrincipal principal = binding.principal();
        if (rpps == null || !bindable(binding, rpps) || !logins.bindRpps(principal.userId(), rpps)) {
            // Back to the security page, signed in as before the round trip; nothing bound.
            upgrade.signIn(principal, request, response);
            response.sendRedirect(request.getContextPath() + "/account/security?rpps-refused");
            return;
        }
        // The password no longer signs in: whatever it opened before goes (this session is still
        // stored under the id it had when the binding started).
        sessions.endOthers(principal.userId(), binding.sessionId());
        tokens.revokeAll(principal.userId());
        upgrade.signIn(principal, request, response);
        response.sendRedirect(request.getContextPath() + "/account/security?rpps-bound");
    }

    /** A practitioner's own login, not blocked, started lately, and the directory's RPPS for them. */
    private boolean bindable(Binding binding, String rpps) {
        CarnetPrincipal principal = binding.principal();
        Instant now = clock.instant();
        return principal.role() == Role.PRACTITIONER
                && binding.startedAt().plus(BINDING_WINDOW).isAfter(now)
                && logins.stored(principal.userId())
                        .filter(login -> !login.blockedAt(now) && login.renewal() == null)
                        .isPresent()
                && directory.of(principal.subjectId()).filter(rpps::equals).isPresent();
    }

    private static @Nullable Binding takeBinding(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        if (session == null || !(session.getAttribute(BINDING) instanceof Binding binding)) {
            return null;
        }
        session.removeAttribute(BINDING);
        return binding;
    }

    /** The provider's answer did not check out (state, code, token, signature): refused, its error code logged. */
    static void failed(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        String code = e instanceof OAuth2AuthenticationException oauth
                ? oauth.getError().getErrorCode()
                : "other";
        log.warn("OpenID Connect sign-in failed: {}", code);
        refuse(request, response);
    }

    /** No bound login for this identity: the session ends, and the answer is the login page's error. */
    static void refuse(HttpServletRequest request, HttpServletResponse response) throws IOException {
        new SecurityContextLogoutHandler().logout(request, response, null);
        response.sendRedirect(request.getContextPath() + "/login?error");
    }
}
