package org.carnet.identity;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.carnet.crypto.BlindIndex;
import org.carnet.crypto.FieldSealer;
import org.carnet.crypto.KeyOwner;
import org.carnet.crypto.SealedColumn;
import org.carnet.crypto.SealedTable;
import org.carnet.shared.Actor;
import org.carnet.shared.ConflictException;
import org.carnet.shared.Role;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/** Creates logins and keeps their credentials: password hash, second factor, failure count. */
@Service
public class Logins {

    /** A login as stored; the second-factor secret stays sealed until it is needed. */
    record StoredLogin(
            UUID id,
            String passwordHash,
            CarnetPrincipal principal,
            byte @Nullable [] totpSecret,
            @Nullable Long totpLastStep,
            int failedAttempts,
            @Nullable Instant blockedUntil,
            boolean rppsBound,
            @Nullable Renewal renewal) {

        boolean hasSecondFactor() {
            return totpSecret != null;
        }

        boolean blockedAt(Instant now) {
            return blockedUntil != null && blockedUntil.isAfter(now);
        }
    }

    private static final String COLUMNS = "id, password_hash, role, subject_id, establishment_id, totp_secret,"
            + " totp_last_step, failed_attempts, blocked_until, rpps_index, renewal";

    private final JdbcClient jdbc;
    private final BlindIndex blindIndex;
    private final PasswordEncoder passwordEncoder;
    private final PasswordPolicy passwordPolicy;
    private final FieldSealer sealer;
    private final Clock clock;

    private final EmailConfirmations confirmations;

    Logins(
            JdbcClient jdbc,
            BlindIndex blindIndex,
            PasswordEncoder passwordEncoder,
            PasswordPolicy passwordPolicy,
            FieldSealer sealer,
            EmailConfirmations confirmations,
            Clock clock) {
        this.confirmations = confirmations;
        this.jdbc = jdbc;
        this.blindIndex = blindIndex;
        this.passwordEncoder = passwordEncoder;
        this.passwordPolicy = passwordPolicy;
        this.sealer = sealer;
        this.clock = clock;
    }

    /**
     * Creates the login of a patient account or a practitioner, in the caller's transaction.
     *
     * @throws ConflictException when the e-mail already has a login, or the subject already has one (one
     *     login per person: the database refuses a second one too)
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public UUID create(Role role, UUID subjectId, @Nullable UUID establishmentId, String email, String password) {
        return insert(UUID.randomUUID(), role, subjectId, establishmentId, email, password);
    }

    /**
     * Creates a login that is its own subject (staff, establishment administrator, security officer),
     * with the person's name sealed under the login's key.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public UUID createStaff(
            Role role, @Nullable UUID establishmentId, String displayName, String email, String password) {
        UUID id = UUID.randomUUID();
        insert(id, role, id, establishmentId, email, password);
        jdbc.sql("UPDATE user_accounts SET display_name = ? WHERE id = ?")
                .params(sealer.seal(KeyOwner.login(id), nameColumn(id), displayName), id)
                .update();
        return id;
    }

    private UUID insert(
            UUID id, Role role, UUID subjectId, @Nullable UUID establishmentId, String email, String password) {
        if (role.ofEstablishment() && establishmentId == null) {
            throw new IllegalArgumentException("A " + role + " login belongs to an establishment");
        }
        passwordPolicy.check(password);
        if (hasLogin(subjectId)) {
            throw new ConflictException("This person already has a login");
        }
        try {
            // param by param: Spring 7.0 declares null (SQL NULL) for param(Object), not for params(Object...)
            jdbc.sql("INSERT INTO user_accounts (id, email_index, password_hash, role, subject_id,"
                            + " establishment_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
                    .param(id)
                    .param(emailIndex(email))
                    .param(passwordEncoder.encode(password))
                    .param(role.name())
                    .param(subjectId)
                    .param(establishmentId)
                    .param(OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC))
                    .update();
        } catch (DuplicateKeyException e) {
            // The e-mail's or the subject's unique constraint (the latter when two requests raced).
            throw new ConflictException("An account already exists for this e-mail address or person");
        }
        return id;
    }

    /** Whether a person (a patient account, a practitioner) already has their login: at most one each. */
    public boolean hasLogin(UUID subjectId) {
        return jdbc.sql("SELECT COUNT(*) FROM user_accounts WHERE subject_id = ?")
                        .param(subjectId)
                        .query(Integer.class)
                        .single()
                > 0;
    }

    /** The login of a person (a patient account, a practitioner) by their subject id, if they have one. */
    public Optional<Actor.Person> loginOf(UUID subjectId) {
        return jdbc.sql("SELECT id FROM user_accounts WHERE subject_id = ?")
                .param(subjectId)
                .query(UUID.class)
                .optional()
                .flatMap(this::byId);
    }

    /** The login an address already has, if any (registration tells its owner that someone tried). */
    public Optional<CarnetPrincipal> withEmail(String email) {
        return find(email).map(StoredLogin::principal);
    }

    /**
     * Checks a password against the policy and hashes it, as creating a login does, and stores nothing:
     * registering with an address that already has a login then fails the same way and takes as long
     * as registering a new one, so the answer does not tell which it was.
     */
    public void rehearseNewLogin(String password) {
        passwordPolicy.check(password);
        if (passwordEncoder.encode(password) == null) {
            throw new IllegalStateException("The password encoder returned nothing");
        }
    }

    /** Whether any login has this role (the platform's first security officer is made only once). */
    public boolean anyWithRole(Role role) {
        return jdbc.sql("SELECT COUNT(*) FROM user_accounts WHERE role = ?")
                        .param(role.name())
                        .query(Integer.class)
                        .single()
                > 0;
    }

    /** The name of a staff, administrator or security officer login, if it has one. */
    public Optional<String> displayName(UUID userId) {
        return jdbc.sql("SELECT display_name FROM user_accounts WHERE id = ? AND display_name IS NOT NULL")
                .param(userId)
                .query(byte[].class)
                .optional()
                .map(ciphertext -> sealer.open(KeyOwner.login(userId), nameColumn(userId), ciphertext));
    }

    /** The logins of the platform's security officers (each its own subject), to tell them of an incident. */
    public java.util.List<UUID> securityOfficers() {
        return jdbc.sql("SELECT subject_id FROM user_accounts WHERE role = ?")
                .param(Role.SECURITY_OFFICER.name())
                .query(UUID.class)
                .list();
    }

    /** The person a login is, for showing who acted in a log entry. */
    public Optional<Actor.Person> byId(UUID userId) {
        return principal(userId).map(CarnetPrincipal::person);
    }

    /**
     * The person a login is while it may sign in (not locked, not blocked, no renewal required): what a
     * third-party program's token acting for that person is checked against on every request, so a lock or
     * a required renewal stops it at once.
     */
    public Optional<Actor.Person> signInAllowed(UUID userId) {
        Instant now = clock.instant();
        return stored(userId)
                .filter(login -> !login.blockedAt(now) && login.renewal() == null)
                .map(login -> login.principal().person());
    }

    /** The principal of a login, for resolving a token or a passkey. */
    Optional<CarnetPrincipal> principal(UUID userId) {
        return stored(userId).map(StoredLogin::principal);
    }

    /** The account an API token is live for: whose, until when, and whether its address is confirmed. */
    record TokenHolder(CarnetPrincipal principal, Instant expiresAt, boolean confirmed) {}

    /** The holder of the live (unrevoked, unexpired) token of this hash, in one statement. */
    Optional<TokenHolder> holderOfLiveToken(byte[] tokenHash, Instant now) {
        return jdbc.sql("SELECT u.id, u.role, u.subject_id, u.establishment_id, t.expires_at, u.email_confirmed_at"
                        + " FROM access_tokens t JOIN user_accounts u ON u.id = t.user_id"
                        + " WHERE t.token_hash = ? AND t.revoked = FALSE AND t.expires_at > ?")
                .params(tokenHash, now.atOffset(java.time.ZoneOffset.UTC))
                .query((rs, n) -> new TokenHolder(
                        new CarnetPrincipal(
                                rs.getObject(1, UUID.class),
                                Role.valueOf(rs.getString(2)),
                                rs.getObject(3, UUID.class),
                                rs.getObject(4, UUID.class)),
                        rs.getObject(5, OffsetDateTime.class).toInstant(),
                        rs.getObject(6, OffsetDateTime.class) != null))
                .optional();
    }

    Optional<StoredLogin> find(String email) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM user_accounts WHERE email_index = ?")
                .param(emailIndex(email))
                .query(Logins::storedLogin)
                .optional();
    }

    Optional<StoredLogin> stored(UUID userId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM user_accounts WHERE id = ?")
                .param(userId)
                .query(Logins::storedLogin)
                .optional();
    }

    boolean hasSecondFactor(UUID userId) {
        return stored(userId).map(StoredLogin::hasSecondFactor).orElse(false);
    }

    /** Counts a failed sign-in and returns the new count. */
    int countFailure(UUID userId) {
        jdbc.sql("UPDATE user_accounts SET failed_attempts = failed_attempts + 1 WHERE id = ?")
                .param(userId)
                .update();
        return jdbc.sql("SELECT failed_attempts FROM user_accounts WHERE id = ?")
                .param(userId)
                .query(Integer.class)
                .single();
    }

    void blockUntil(UUID userId, Instant until) {
        jdbc.sql("UPDATE user_accounts SET blocked_until = ? WHERE id = ?")
                .params(until.atOffset(ZoneOffset.UTC), userId)
                .update();
    }

    void clearFailures(UUID userId) {
        jdbc.sql("UPDATE user_accounts SET failed_attempts = 0, blocked_until = NULL WHERE id = ?")
                .param(userId)
                .update();
    }

    /** Whether the password is the login's; costs one hash whatever the answer. */
    boolean passwordMatches(UUID userId, String password) {
        return stored(userId)
                .map(login -> passwordEncoder.matches(password, login.passwordHash()))
                .orElse(false);
    }

    void changePassword(UUID userId, String newPassword) {
        storePasswordHash(userId, newPasswordHash(newPassword));
    }

    /**
     * The hash of a new password, once the policy accepts it: the slow part of a change, for callers
     * that hash before opening a transaction (a wait for a hashing permit then holds no connection).
     */
    String newPasswordHash(String newPassword) {
        passwordPolicy.check(newPassword);
        return passwordEncoder.encode(newPassword);
    }

    void storePasswordHash(UUID userId, String hash) {
        jdbc.sql("UPDATE user_accounts SET password_hash = ? WHERE id = ?")
                .params(hash, userId)
                .update();
    }

    /** @throws ConflictException when another login has this e-mail */
    void changeEmail(UUID userId, String newEmail) {
        try {
            // A new address is confirmed anew (EmailConfirmations) before its patient books again.
            jdbc.sql("UPDATE user_accounts SET email_index = ?, email_confirmed_at = NULL WHERE id = ?")
                    .params(emailIndex(newEmail), userId)
                    .update();
            confirmations.forget(userId);
        } catch (DuplicateKeyException e) {
            throw new ConflictException("An account already exists for this e-mail address");
        }
    }

    /**
     * Binds a practitioner's login to their RPPS number (kept as a blind index): from now on only an
     * OpenID Connect sign-in presenting that number opens it ({@link OidcSignIn}).
     *
     * @return false when the login is already bound, or another login is bound to this RPPS
     */
    boolean bindRpps(UUID userId, String rpps) {
        try {
            return jdbc.sql("UPDATE user_accounts SET rpps_index = ?, rpps_bound_at = ? WHERE id = ?"
                                    + " AND rpps_index IS NULL")
                            .params(
                                    rppsIndex(rpps),
                                    OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC),
                                    userId)
                            .update()
                    == 1;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    /** The login bound to an RPPS number, if any. */
    Optional<StoredLogin> boundTo(String rpps) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM user_accounts WHERE rpps_index = ?")
                .param(rppsIndex(rpps))
                .query(Logins::storedLogin)
                .optional();
    }

    private byte[] rppsIndex(String rpps) {
        return blindIndex.of("rpps", rpps);
    }

    /** The blind index of an address, in its normalised form: the one way logins are found by e-mail. */
    private byte[] emailIndex(String email) {
        return blindIndex.of("email", EmailAddresses.normalised(email));
    }

    String openTotpSecret(UUID userId, byte[] sealed) {
        return sealer.open(KeyOwner.login(userId), totpColumn(userId, "totp_secret"), sealed);
    }

    /** The secret being enrolled, if an enrolment was started. */
    Optional<String> pendingTotpSecret(UUID userId) {
        return jdbc.sql("SELECT totp_pending FROM user_accounts WHERE id = ? AND totp_pending IS NOT NULL")
                .param(userId)
                .query(byte[].class)
                .optional()
                .map(ciphertext -> sealer.open(KeyOwner.login(userId), totpColumn(userId, "totp_pending"), ciphertext));
    }

    void startTotpEnrolment(UUID userId, String secret) {
        jdbc.sql("UPDATE user_accounts SET totp_pending = ? WHERE id = ?")
                .params(sealer.seal(KeyOwner.login(userId), totpColumn(userId, "totp_pending"), secret), userId)
                .update();
    }

    /** Makes a secret the login's second factor; the step it was confirmed with cannot be reused. */
    void enrolTotp(UUID userId, String secret, long confirmedStep) {
        jdbc.sql("UPDATE user_accounts SET totp_secret = ?, totp_pending = NULL, totp_last_step = ? WHERE id = ?")
                .params(
                        sealer.seal(KeyOwner.login(userId), totpColumn(userId, "totp_secret"), secret),
                        confirmedStep,
                        userId)
                .update();
    }

    /**
     * Gives a login a known second-factor secret without the enrolment page: for demo accounts, whose
     * secrets are published so that a newcomer can sign in with any authenticator app.
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void presetSecondFactor(UUID userId, String base32Secret) {
        jdbc.sql("UPDATE user_accounts SET totp_secret = ? WHERE id = ?")
                .params(sealer.seal(KeyOwner.login(userId), totpColumn(userId, "totp_secret"), base32Secret), userId)
                .update();
    }

    void removeTotp(UUID userId) {
        jdbc.sql("UPDATE user_accounts SET totp_secret = NULL, totp_pending = NULL, totp_last_step = NULL"
                        + " WHERE id = ?")
                .param(userId)
                .update();
        jdbc.sql("DELETE FROM recovery_codes WHERE user_id = ?").param(userId).update();
    }

    /**
     * Requires the login to renew its password, then its second factor, before anything else (a security
     * officer's containment, {@link AccountContainment#requireRenewal}).
     *
     * @return false when there is no such login
     */
    boolean requireRenewal(UUID userId) {
        return jdbc.sql("UPDATE user_accounts SET renewal = 'PASSWORD' WHERE id = ?")
                        .param(userId)
                        .update()
                == 1;
    }

    /**
     * The renewal's password step done: its new password replaces the old, and its second factor goes
     * with it ({@link #removeTotp}) when a new one must be enrolled; the renewal is then over only once
     * that is done ({@link #secondFactorRenewed}).
     *
     * @param newSecondFactor whether a new authenticator must be enrolled (a professional, or an account
     *     that had one)
     * @return false when the login was not at this step (renewed meanwhile in another session)
     */
    boolean passwordRenewed(UUID userId, String newPasswordHash, boolean newSecondFactor) {
        String next = newSecondFactor ? "'" + Renewal.SECOND_FACTOR.name() + "'" : "NULL";
        int renewed = jdbc.sql("UPDATE user_accounts SET password_hash = ?, renewal = " + next
                        + " WHERE id = ? AND renewal = 'PASSWORD'")
                .params(newPasswordHash, userId)
                .update();
        if (renewed == 1 && newSecondFactor) {
            removeTotp(userId);
        }
        return renewed == 1;
    }

    /** A new authenticator enrolled: a renewal waiting for it is over. */
    void secondFactorRenewed(UUID userId) {
        jdbc.sql("UPDATE user_accounts SET renewal = NULL WHERE id = ? AND renewal = 'SECOND_FACTOR'")
                .param(userId)
                .update();
    }

    /** Records the step of an accepted code; false if a concurrent sign-in already used it or a later one. */
    boolean useTotpStep(UUID userId, long step) {
        return jdbc.sql("UPDATE user_accounts SET totp_last_step = ? WHERE id = ?"
                                + " AND (totp_last_step IS NULL OR totp_last_step < ?)")
                        .params(step, userId, step)
                        .update()
                == 1;
    }

    private static SealedColumn totpColumn(UUID userId, String column) {
        return SEALED.column(column, userId);
    }

    private static SealedColumn nameColumn(UUID userId) {
        return SEALED.column("display_name", userId);
    }

    /** A staff member's name and the second-factor secrets, sealed under the login's own key. */
    static final SealedTable SEALED =
            SealedTable.of("user_accounts", "id", KeyOwner.Type.LOGIN, "display_name", "totp_secret", "totp_pending");

    /** The logins' sealed table, declared to crypto's one list. */
    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    static class SealedTables {
        @org.springframework.context.annotation.Bean
        SealedTable userAccountsTable() {
            return SEALED;
        }
    }

    private static StoredLogin storedLogin(ResultSet rs, int row) throws SQLException {
        UUID id = rs.getObject(1, UUID.class);
        OffsetDateTime blocked = rs.getObject(9, OffsetDateTime.class);
        long step = rs.getLong(7);
        Long lastStep = rs.wasNull() ? null : step;
        return new StoredLogin(
                id,
                rs.getString(2),
                new CarnetPrincipal(
                        id, Role.valueOf(rs.getString(3)), rs.getObject(4, UUID.class), rs.getObject(5, UUID.class)),
                rs.getBytes(6),
                lastStep,
                rs.getInt(8),
                blocked == null ? null : blocked.toInstant(),
                rs.getBytes(10) != null,
                rs.getString(11) == null ? null : Renewal.valueOf(rs.getString(11)));
    }
}
