package org.carnet.identity;

import java.time.Clock;
import java.util.UUID;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;

/**
 * The users a passkey signs in: a passkey's user name is the login id. A passkey is a
 * phishing-resistant factor on its own (a device the user holds, unlocked by their PIN or
 * biometrics), so it signs in fully; its session is then given Carnet's own principal by
 * {@link PasskeyPrincipal}. There is no password here: password sign-in goes through {@link SignIn}.
 * A blocked login (locked after failed sign-ins, or blocked by its administrator or the security
 * officer) is refused here as it is to a password, and so is a login bound to an RPPS ({@link OidcSignIn}) or
 * one that must renew its credentials ({@link Renewal}).
 */
class PasskeyUsers implements UserDetailsService {

    private final Logins logins;
    private final Clock clock;

    PasskeyUsers(Logins logins, Clock clock) {
        this.logins = logins;
        this.clock = clock;
    }

    @Override
    public UserDetails loadUserByUsername(String name) {
        UUID userId;
        try {
            userId = UUID.fromString(name);
        } catch (IllegalArgumentException e) {
            throw new UsernameNotFoundException("No such login");
        }
        Logins.StoredLogin login =
                logins.stored(userId).orElseThrow(() -> new UsernameNotFoundException("No such login"));
        if (login.blockedAt(clock.instant())) {
            throw new LockedException("Sign-in refused");
        }
        if (login.rppsBound()) {
            // Bound to an RPPS: only Pro Santé Connect opens it, refused as a blocked login is.
            throw new LockedException("Sign-in refused");
        }
        if (login.renewal() != null) {
            // New credentials required: its passkeys were removed then; the password step leads to renewal.
            throw new LockedException("Sign-in refused");
        }
        CarnetPrincipal principal = login.principal();
        return User.withUsername(name)
                .password("")
                .authorities(Authorities.full(principal.role()))
                .build();
    }
}
