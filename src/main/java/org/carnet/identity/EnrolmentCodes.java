package org.carnet.identity;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.carnet.crypto.BlindIndex;
import org.carnet.shared.Role;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * One-time enrolment codes: how a login created for someone else (the platform's first security
 * officer, an establishment's administrator, a practitioner or staff member invited by their
 * administrator) reaches its owner, who uses the
 * code once on {@code /enrol}, within {@link #VALIDITY}, to set their own password and enrol a
 * second factor. Nobody else ever sees or sets that password or secret. The code carries 140 random
 * bits; only its keyed hash (the blind index, HMAC-SHA-256 under the master key) is stored, and it is
 * spent, expired and looked up in the one statement that redeems it.
 */
@Service
public class EnrolmentCodes {

    /** How long an issued code can be used. */
    public static final Duration VALIDITY = Duration.ofHours(24);

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final int LENGTH = 28;
    private static final String PURPOSE = "enrolment-code";

    /**
     * A code just issued, to be handed to its owner only (printed once by the operator command, or
     * e-mailed to the invitee's address). Its {@code toString} does not show it.
     */
    public record IssuedCode(UUID userId, String code, Instant expiresAt) {
        @Override
        public String toString() {
            return "IssuedCode[userId=" + userId + ", code=(redacted), expiresAt=" + expiresAt + "]";
        }
    }

    private final JdbcClient jdbc;
    private final BlindIndex blindIndex;
    private final Logins logins;
    private final SecureRandom random;
    private final Clock clock;

    EnrolmentCodes(JdbcClient jdbc, BlindIndex blindIndex, Logins logins, SecureRandom random, Clock clock) {
        this.jdbc = jdbc;
        this.blindIndex = blindIndex;
        this.logins = logins;
        this.random = random;
        this.clock = clock;
    }

    /**
     * Creates a staff, administrator or security officer login that nobody can sign in to yet (its
     * password is random and never shown) and issues its owner's enrolment code.
     */
    @Transactional
    public IssuedCode invite(Role role, @Nullable UUID establishmentId, String displayName, String email) {
        UUID userId = logins.createStaff(role, establishmentId, displayName, EmailAddresses.checked(email), unusable());
        return issue(userId);
    }

    /**
     * Creates the login of a practitioner of the establishment's directory, that nobody can sign in to
     * yet, and issues its owner's enrolment code: the invitation an administrator sends.
     *
     * @throws org.carnet.shared.ConflictException when the practitioner or the e-mail already has a login
     */
    @Transactional
    public IssuedCode invitePractitioner(UUID practitionerId, UUID establishmentId, String email) {
        UUID userId = logins.create(
                Role.PRACTITIONER, practitionerId, establishmentId, EmailAddresses.checked(email), unusable());
        return issue(userId);
    }

    /**
     * Invites again, to this address, the practitioner or staff member {@code subjectId} of the
     * establishment whose login was made by invitation and never enrolled (its code unused, expired
     * or not): a new code replaces the old one. Empty when there is no such login, in particular once
     * its owner has enrolled: from then on the login is theirs alone and nobody can send its code
     * elsewhere.
     *
     * @throws org.carnet.shared.ConflictException when another login has this address
     */
    @Transactional
    public Optional<IssuedCode> reinvite(UUID subjectId, UUID establishmentId, String email) {
        String address = EmailAddresses.checked(email);
        Optional<UUID> pending = jdbc.sql("SELECT u.id FROM user_accounts u WHERE u.subject_id = ?"
                        + " AND u.establishment_id = ? AND u.role IN ('PRACTITIONER', 'STAFF')"
                        + " AND EXISTS (SELECT 1 FROM enrolment_codes c WHERE c.user_id = u.id)"
                        + " AND NOT EXISTS (SELECT 1 FROM enrolment_codes c WHERE c.user_id = u.id"
                        + " AND c.used_at IS NOT NULL)")
                .params(subjectId, establishmentId)
                .query(UUID.class)
                .optional();
        pending.ifPresent(userId -> logins.changeEmail(userId, address));
        return pending.map(this::issue);
    }

    /** The staff member of the establishment whose login has this address, if any: to invite them again. */
    public Optional<UUID> staffWithAddress(UUID establishmentId, String email) {
        return logins.find(EmailAddresses.checked(email))
                .map(Logins.StoredLogin::principal)
                .filter(p -> p.role() == Role.STAFF && establishmentId.equals(p.establishmentId()))
                .map(CarnetPrincipal::subjectId);
    }

    /** Issues a new code for a login, replacing any code it had. */
    @Transactional
    public IssuedCode issue(UUID userId) {
        Instant now = clock.instant();
        String code = newCode();
        Instant expires = now.plus(VALIDITY);
        jdbc.sql("DELETE FROM enrolment_codes WHERE user_id = ?").param(userId).update();
        jdbc.sql("INSERT INTO enrolment_codes (code_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)")
                .params(hash(code), userId, now.atOffset(ZoneOffset.UTC), expires.atOffset(ZoneOffset.UTC))
                .update();
        return new IssuedCode(userId, code, expires);
    }

    /**
     * Spends a code: the login it was issued for, if the code exists, is unused and has not expired;
     * the same empty answer otherwise. In the caller's transaction, so that a refused password leaves
     * the code unspent.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    Optional<UUID> redeem(String typed) {
        String code = normalised(typed);
        if (code.length() != LENGTH) {
            return Optional.empty();
        }
        byte[] hash = hash(code);
        var now = clock.instant().atOffset(ZoneOffset.UTC);
        int spent = jdbc.sql("UPDATE enrolment_codes SET used_at = ? WHERE code_hash = ? AND used_at IS NULL"
                        + " AND expires_at > ?")
                .params(now, hash, now)
                .update();
        if (spent != 1) {
            return Optional.empty();
        }
        return jdbc.sql("SELECT user_id FROM enrolment_codes WHERE code_hash = ?")
                .param(hash)
                .query(UUID.class)
                .optional();
    }

    /** Groups of four letters and digits, as printed; spaces, dashes and case do not matter when typed. */
    private String newCode() {
        StringBuilder code = new StringBuilder(LENGTH + LENGTH / 4);
        for (int i = 0; i < LENGTH; i++) {
            if (i > 0 && i % 4 == 0) {
                code.append('-');
            }
            code.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return code.toString();
    }

    static String normalised(String typed) {
        if (typed.length() > 100) {
            return "";
        }
        return typed.replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT);
    }

    private byte[] hash(String code) {
        return blindIndex.of(PURPOSE, normalised(code));
    }

    /** A password nobody knows, to be replaced by the owner's own at enrolment. */
    private String unusable() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return java.util.HexFormat.of().formatHex(bytes);
    }
}
