package org.carnet.identity;

import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.carnet.crypto.KeyOwner;
import org.carnet.crypto.KeyShredding;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Closes a login for good, when its owner erases their account: sign-in is refused from then on by
 * every way in (password, passkey, API token, page session), and the login keeps nothing that leads
 * back to its owner (its e-mail index, password hash and second factor are gone, its own key destroyed).
 */
@Service
public class LoginClosure {

    /** Never a hash any encoder produces: no password matches it. */
    static final String CLOSED = "!closed";
    /** Beyond any lock a sign-in failure sets: every sign-in step refuses a blocked login. */
    static final OffsetDateTime FOREVER = OffsetDateTime.of(9999, 12, 31, 0, 0, 0, 0, ZoneOffset.UTC);

    private final org.springframework.jdbc.core.simple.JdbcClient jdbc;
    private final SignIn signIn;
    private final Passkeys passkeys;
    private final AccountContainment containment;
    private final KeyShredding shredding;
    private final SecureRandom random;

    LoginClosure(
            org.springframework.jdbc.core.simple.JdbcClient jdbc,
            SignIn signIn,
            Passkeys passkeys,
            AccountContainment containment,
            KeyShredding shredding,
            SecureRandom random) {
        this.jdbc = jdbc;
        this.signIn = signIn;
        this.passkeys = passkeys;
        this.containment = containment;
        this.shredding = shredding;
        this.random = random;
    }

    /**
     * The current password given again before an irreversible act, counted like a sign-in (wrong ones
     * lock the account). Call it outside a transaction: it costs one password hash.
     */
    public boolean passwordConfirmed(UUID userId, String password) {
        return signIn.currentPassword(userId, password);
    }

    /** Closes the login, in the caller's transaction; its page sessions end once that commits. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void close(UUID userId) {
        // A random value in place of the address's blind index: the address is free again and no longer
        // leads to this row; the column stays unique and not null.
        byte[] noAddress = new byte[32];
        random.nextBytes(noAddress);
        jdbc.sql("UPDATE user_accounts SET email_index = ?, password_hash = ?, totp_secret = NULL,"
                        + " totp_pending = NULL, totp_last_step = NULL, blocked_until = ? WHERE id = ?")
                .params(noAddress, CLOSED, FOREVER, userId)
                .update();
        passkeys.removeAll(userId);
        containment.endAll(userId);
        jdbc.sql("DELETE FROM recovery_codes WHERE user_id = ?").param(userId).update();
        shredding.shred(KeyOwner.login(userId));
    }
}
