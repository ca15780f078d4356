package org.carnet.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.carnet.crypto.BlindIndex;
import org.carnet.shared.AfterTransaction;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Confirming that a login's e-mail address is its owner's: a 6-digit code is sent to the address (never
 * shown in the app, where whoever registered could read it) and typed back by the signed-in owner.
 * A patient books only once their address is confirmed. Six digits are easy to type and, with
 * {@link #GUESSES_PER_CODE} guesses per code and {@link #CODES_PER_DAY} codes a day, leave someone who
 * registered with another person's address a chance of one in {@code 40,000} a day of confirming it.
 * Only a keyed hash of the code is kept (the blind index, bound to the login), and each guess is
 * counted before it is compared, in one conditional update, so that parallel guesses share the budget.
 */
@Service
public class EmailConfirmations {

    /** How long a code can be typed. */
    public static final Duration VALIDITY = Duration.ofHours(1);

    static final int GUESSES_PER_CODE = 5;
    static final int CODES_PER_DAY = 5;
    private static final Duration CODE_WINDOW = Duration.ofDays(1);
    private static final String PURPOSE = "email-confirmation";

    /** What typing a code did. */
    public enum Outcome {
        /** The address is confirmed (now, or it already was). */
        CONFIRMED,
        /** Not the code; another guess is allowed. */
        WRONG_CODE,
        /** No code to type: none was sent, it expired, or its guesses are spent; ask for a new one. */
        NO_CODE
    }

    private final JdbcClient jdbc;
    private final BlindIndex blindIndex;
    private final SecureRandom random;
    private final Clock clock;
    /** Logins seen confirmed within {@code carnet.api.token-cache}: a booking asks on every request. */
    private final Cache<UUID, Boolean> seenConfirmed;

    EmailConfirmations(
            JdbcClient jdbc, BlindIndex blindIndex, SecureRandom random, Clock clock, ApiProperties properties) {
        this.jdbc = jdbc;
        this.blindIndex = blindIndex;
        this.random = random;
        this.clock = clock;
        this.seenConfirmed = Caffeine.newBuilder()
                .expireAfterWrite(properties.tokenCache())
                .maximumSize(properties.tokenCache().isZero() ? 0 : 200_000)
                .build();
    }

    /**
     * Whether the login's address is confirmed. A confirmed answer is remembered as long as a bearer
     * token is ({@code carnet.api.token-cache}); a change of address on this node forgets it at once
     * ({@link #forget}), on another node within that time.
     */
    public boolean confirmed(UUID userId) {
        if (seenConfirmed.getIfPresent(userId) != null) {
            return true;
        }
        boolean confirmed =
                jdbc.sql("SELECT COUNT(*) FROM user_accounts WHERE id = ? AND email_confirmed_at IS NOT NULL")
                                .param(userId)
                                .query(Integer.class)
                                .single()
                        > 0;
        if (confirmed) {
            seenConfirmed.put(userId, Boolean.TRUE);
        }
        return confirmed;
    }

    /** Remembers that the login's address was just read as confirmed (with its token, by {@link AccessTokens}). */
    void seenConfirmed(UUID userId) {
        seenConfirmed.put(userId, Boolean.TRUE);
    }

    /** Forgets that the login's address was confirmed: it just changed. */
    void forget(UUID userId) {
        seenConfirmed.invalidate(userId);
        // Again once the change is committed: a read made before the commit may have remembered it since.
        AfterTransaction.run(() -> seenConfirmed.invalidate(userId));
    }

    /**
     * Issues a new code for an unconfirmed login, replacing the one it had, in the caller's transaction
     * (which sends it). Empty when the address is already confirmed or the day's codes are spent.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public Optional<String> issue(UUID userId) {
        // The login's row is locked first, so that codes asked for at the same moment are issued one
        // after the other, each seeing the count of the one before.
        boolean confirmed = jdbc.sql("SELECT email_confirmed_at FROM user_accounts WHERE id = ? FOR UPDATE")
                .param(userId)
                .query((rs, n) -> rs.getObject(1) != null)
                .optional()
                .orElse(true);
        if (confirmed) {
            return Optional.empty();
        }
        OffsetDateTime now = now();
        String code = String.format("%06d", random.nextInt(1_000_000));
        byte[] hash = hash(userId, code);
        OffsetDateTime expires = now.plus(VALIDITY);
        Optional<Window> window = jdbc.sql(
                        "SELECT codes_in_window, window_started_at FROM email_confirmations WHERE user_id = ?")
                .param(userId)
                .query((rs, n) -> new Window(
                        rs.getInt("codes_in_window"),
                        rs.getObject("window_started_at", OffsetDateTime.class).toInstant()))
                .optional();
        if (window.isEmpty()) {
            try {
                jdbc.sql("INSERT INTO email_confirmations (user_id, code_index, expires_at, failed_attempts,"
                                + " codes_in_window, window_started_at) VALUES (?, ?, ?, 0, 1, ?)")
                        .params(userId, hash, expires, now)
                        .update();
            } catch (DuplicateKeyException e) {
                return Optional.empty(); // a code was issued at the same moment: that one stands
            }
            return Optional.of(code);
        }
        boolean windowOver = window.get().startedAt().plus(CODE_WINDOW).isBefore(now.toInstant());
        if (!windowOver && window.get().codes() >= CODES_PER_DAY) {
            return Optional.empty();
        }
        jdbc.sql("UPDATE email_confirmations SET code_index = ?, expires_at = ?, failed_attempts = 0,"
                        + " codes_in_window = ?, window_started_at = ? WHERE user_id = ?")
                .params(
                        hash,
                        expires,
                        windowOver ? 1 : window.get().codes() + 1,
                        windowOver ? now : window.get().startedAt().atOffset(ZoneOffset.UTC),
                        userId)
                .update();
        return Optional.of(code);
    }

    /** Checks a typed code; the right one confirms the address and is spent. */
    @Transactional
    public Outcome confirm(UUID userId, String typed) {
        if (confirmed(userId)) {
            return Outcome.CONFIRMED;
        }
        OffsetDateTime now = now();
        // The guess is counted first, and only while guesses remain: parallel guesses cannot exceed the budget.
        int counted = jdbc.sql("UPDATE email_confirmations SET failed_attempts = failed_attempts + 1"
                        + " WHERE user_id = ? AND failed_attempts < ? AND expires_at > ?")
                .params(userId, GUESSES_PER_CODE, now)
                .update();
        if (counted == 0) {
            return Outcome.NO_CODE;
        }
        String code = typed.replaceAll("\\s", "");
        if (!code.matches("[0-9]{6}")) {
            return Outcome.WRONG_CODE;
        }
        byte[] stored = jdbc.sql("SELECT code_index FROM email_confirmations WHERE user_id = ?")
                .param(userId)
                .query(byte[].class)
                .single();
        if (!MessageDigest.isEqual(stored, hash(userId, code))) {
            return Outcome.WRONG_CODE;
        }
        markConfirmed(userId, now);
        return Outcome.CONFIRMED;
    }

    /**
     * Marks an address confirmed without a code: only for the demo seeder, whose synthetic addresses
     * are no one's mailbox. Every other address is confirmed by its owner with {@link #confirm}.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void confirmDemoAddress(UUID userId) {
        markConfirmed(userId, now());
    }

    private void markConfirmed(UUID userId, OffsetDateTime now) {
        jdbc.sql("UPDATE user_accounts SET email_confirmed_at = ? WHERE id = ?")
                .params(now, userId)
                .update();
        jdbc.sql("DELETE FROM email_confirmations WHERE user_id = ?")
                .param(userId)
                .update();
    }

    private byte[] hash(UUID userId, String code) {
        return blindIndex.of(PURPOSE, userId + ":" + code);
    }

    private OffsetDateTime now() {
        return clock.instant().atOffset(ZoneOffset.UTC);
    }

    private record Window(int codes, Instant startedAt) {}
}
