package org.carnet.identity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.carnet.identity.limits.SourceNetwork;
import org.carnet.shared.Role;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The one place that decides a sign-in, for pages and API alike: password, then second factor, with
 * failures counted per account. An unknown e-mail, a wrong password and a locked account give the
 * same answer after the same work (one password hash). The hash runs outside any transaction (it may
 * wait for a hashing permit; no database connection is held meanwhile); a failure is then counted in a
 * short transaction of its own, or the caller's.
 */
@Service
class SignIn {

    /** Where a sign-in stands after a step. */
    sealed interface Step {
        /** Every factor given. */
        record SignedIn(CarnetPrincipal principal) implements Step {}

        /** Password right; the account's second factor is still to be given. */
        record SecondFactorNeeded(CarnetPrincipal principal) implements Step {}

        /**
         * Password right; a professional without a second factor, or an account renewing its credentials,
         * may only enrol one.
         */
        record EnrolmentNeeded(CarnetPrincipal principal) implements Step {}

        /** Every factor given, but a security officer required new credentials: only a new password may be chosen. */
        record RenewalNeeded(CarnetPrincipal principal) implements Step {}

        /** Wrong second factor (or a reused code); the sign-in may go on. */
        record WrongCode() implements Step {}

        /** Refused, with no hint why: unknown e-mail, wrong password, locked or throttled account. */
        record Refused() implements Step {}
    }

    private final Logins logins;
    private final Totp totp;
    private final RecoveryCodes recoveryCodes;
    private final PasswordEncoder passwordEncoder;
    private final SecurityProperties properties;
    private final ApplicationEventPublisher events;
    private final TransactionOperations transactions;
    private final Clock clock;
    // Hashed once so that an unknown e-mail costs as much as a wrong password.
    private final String decoyHash;

    SignIn(
            Logins logins,
            Totp totp,
            RecoveryCodes recoveryCodes,
            PasswordEncoder passwordEncoder,
            SecurityProperties properties,
            ApplicationEventPublisher events,
            TransactionOperations transactions,
            Clock clock) {
        this.logins = logins;
        this.totp = totp;
        this.recoveryCodes = recoveryCodes;
        this.passwordEncoder = passwordEncoder;
        this.properties = properties;
        this.events = events;
        this.transactions = transactions;
        this.clock = clock;
        this.decoyHash = passwordEncoder.encode("decoy password for timing equalisation");
    }

    public Step password(String email, String password) {
        Instant now = clock.instant();
        Optional<Logins.StoredLogin> found = logins.find(email);
        Optional<Logins.StoredLogin> open = found.filter(login -> !login.blockedAt(now));
        boolean matches = passwordEncoder.matches(
                password, open.map(Logins.StoredLogin::passwordHash).orElse(decoyHash));
        if (open.isEmpty()) {
            if (found.isEmpty()) {
                events.publishEvent(new SignInFailed(null, source(), now));
            }
            return new Step.Refused();
        }
        Logins.StoredLogin login = open.get();
        if (!matches) {
            events.publishEvent(new SignInFailed(login.id(), source(), now));
            fail(login, now);
            return new Step.Refused();
        }
        if (login.rppsBound()) {
            // Bound to an RPPS: only Pro Santé Connect opens it. Same answer as a wrong password
            // (after the same hash), and not counted: the password was right.
            return new Step.Refused();
        }
        if (login.hasSecondFactor()) {
            // Failures are cleared only once every factor is given: a known password must not reset
            // the count that protects the second factor.
            return new Step.SecondFactorNeeded(login.principal());
        }
        logins.clearFailures(login.id());
        if (login.renewal() == Renewal.PASSWORD) {
            return new Step.RenewalNeeded(login.principal());
        }
        if (login.principal().role().professional() || login.renewal() == Renewal.SECOND_FACTOR) {
            return new Step.EnrolmentNeeded(login.principal());
        }
        return new Step.SignedIn(login.principal());
    }

    /** The second step: a code from the authenticator app or one of the recovery codes. */
    public Step secondFactor(UUID userId, String code) {
        Instant now = clock.instant();
        Logins.StoredLogin login = logins.stored(userId).orElse(null);
        if (login == null || login.blockedAt(now) || !login.hasSecondFactor() || login.rppsBound()) {
            return new Step.Refused();
        }
        if (accepts(login, code)) {
            logins.clearFailures(userId);
            if (login.renewal() == Renewal.PASSWORD) {
                return new Step.RenewalNeeded(login.principal());
            }
            return new Step.SignedIn(login.principal());
        }
        return fail(login, now) ? new Step.Refused() : new Step.WrongCode();
    }

    /**
     * The current password asked again by a signed-in user before a change of credentials, counted
     * like a sign-in: a wrong one is a failure towards the lock, and a locked account is refused
     * without checking, so a stolen session cannot be used to guess the password.
     */
    public boolean currentPassword(UUID userId, String password) {
        Instant now = clock.instant();
        Logins.StoredLogin login = logins.stored(userId).orElse(null);
        if (login == null || login.blockedAt(now) || password.length() > 128) {
            return false;
        }
        if (passwordEncoder.matches(password, login.passwordHash())) {
            return true;
        }
        fail(login, now);
        return false;
    }

    /** The request's source network, as the sign-in rate limit counts it; {@code null} outside a request. */
    private static @Nullable String source() {
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
            return SourceNetwork.of(attributes.getRequest().getRemoteAddr());
        }
        return null;
    }

    private boolean accepts(Logins.StoredLogin login, String code) {
        if (RecoveryCodes.looksLikeRecoveryCode(code)) {
            return recoveryCodes.consume(login.id(), code);
        }
        // Only asked of a login with a second factor (secondFactor checks hasSecondFactor first).
        String secret = logins.openTotpSecret(
                login.id(), Objects.requireNonNull(login.totpSecret(), "the login's TOTP secret"));
        OptionalLong step = totp.verify(secret, code, login.totpLastStep());
        return step.isPresent() && logins.useTotpStep(login.id(), step.getAsLong());
    }

    /**
     * Counts a failure and locks the account when there are too many, in a transaction (the caller's
     * if there is one); true if it is now locked. Failures are cleared only by a complete sign-in, so
     * each failure past the limit is a further lock, twice as long as the one before, and each is
     * published for the owner's inbox (and, past {@code locks-before-alert}, the security officers').
     */
    private boolean fail(Logins.StoredLogin login, Instant now) {
        Boolean locked = transactions.execute(status -> {
            int failures = logins.countFailure(login.id());
            int beyond = failures - properties.maxFailedAttempts();
            if (beyond < 0) {
                return false;
            }
            CarnetPrincipal principal = login.principal();
            Instant until = now.plus(lockFor(principal.role(), beyond));
            logins.blockUntil(login.id(), until);
            int lockNumber = beyond + 1;
            events.publishEvent(new AccountLocked(
                    login.id(),
                    principal.subjectId(),
                    principal.role(),
                    until,
                    lockNumber,
                    lockNumber >= properties.locksBeforeAlert()));
            return true;
        });
        return Boolean.TRUE.equals(locked);
    }

    /**
     * The first lock lasts {@code professional-lockout} (professionals) or {@code patient-base-delay}
     * (patients); each further one twice as long as the one before, at most {@code longest-lockout}.
     */
    private Duration lockFor(Role role, int beyond) {
        Duration first = role.professional() ? properties.professionalLockout() : properties.patientBaseDelay();
        Duration lock = first.multipliedBy(1L << Math.min(beyond, 30));
        return lock.compareTo(properties.longestLockout()) > 0 ? properties.longestLockout() : lock;
    }
}
