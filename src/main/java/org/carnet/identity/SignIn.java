package org.carnet.identity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import org.carnet.shared.Role;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The one place that decides a sign-in, for pages and API alike: password, then second factor, with
 * failures counted per account. An unknown e-mail, a wrong password and a locked account give the
 * same answer after the same work (one password hash).
 */
@Service
class SignIn {

    /** Where a sign-in stands after a step. */
    sealed interface Step {
        /** Every factor given. */
        record SignedIn(CarnetPrincipal principal) implements Step {}

        /** Password right; the account's second factor is still to be given. */
        record SecondFactorNeeded(CarnetPrincipal principal) implements Step {}

        /** Password right; a professional without a second factor may only enrol one. */
        record EnrolmentNeeded(CarnetPrincipal principal) implements Step {}

        /** Wrong second factor (or a reused code); the sign-in may go on. */
        record WrongCode() implements Step {}

        /** Refused, with no hint why: unknown e-mail, wrong password, locked or throttled account. */
        record Refused() implements Step {}
    }

    private static final Duration LONGEST_PATIENT_DELAY = Duration.ofHours(1);

    private final Logins logins;
    private final Totp totp;
    private final RecoveryCodes recoveryCodes;
    private final PasswordEncoder passwordEncoder;
    private final SecurityProperties properties;
    private final ApplicationEventPublisher events;
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
            Clock clock) {
        this.logins = logins;
        this.totp = totp;
        this.recoveryCodes = recoveryCodes;
        this.passwordEncoder = passwordEncoder;
        this.properties = properties;
        this.events = events;
        this.clock = clock;
        this.decoyHash = passwordEncoder.encode("decoy password for timing equalisation");
    }

    @Transactional
    public Step password(String email, String password) {
        Instant now = clock.instant();
        Optional<Logins.StoredLogin> found = logins.find(email);
        Optional<Logins.StoredLogin> open = found.filter(login -> !login.blockedAt(now));
        boolean matches = passwordEncoder.matches(
                password, open.map(Logins.StoredLogin::passwordHash).orElse(decoyHash));
        if (open.isEmpty()) {
            return new Step.Refused();
        }
        Logins.StoredLogin login = open.get();
        if (!matches) {
            fail(login, now);
            return new Step.Refused();
        }
        if (login.hasSecondFactor()) {
            // Failures are cleared only once every factor is given: a known password must not reset
            // the count that protects the second factor.
            return new Step.SecondFactorNeeded(login.principal());
        }
        logins.clearFailures(login.id());
        if (login.principal().role().professional()) {
            return new Step.EnrolmentNeeded(login.principal());
        }
        return new Step.SignedIn(login.principal());
    }

    /** The second step: a code from the authenticator app or one of the recovery codes. */
    @Transactional
    public Step secondFactor(UUID userId, String code) {
        Instant now = clock.instant();
        Logins.StoredLogin login = logins.stored(userId).orElse(null);
        if (login == null || login.blockedAt(now) || !login.hasSecondFactor()) {
            return new Step.Refused();
        }
        if (accepts(login, code)) {
            logins.clearFailures(userId);
            return new Step.SignedIn(login.principal());
        }
        return fail(login, now) ? new Step.Refused() : new Step.WrongCode();
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

    /** Counts a failure and blocks the account when there are too many; true if it is now blocked. */
    private boolean fail(Logins.StoredLogin login, Instant now) {
        int failures = logins.countFailure(login.id());
        int beyond = failures - properties.maxFailedAttempts();
        if (beyond < 0) {
            return false;
        }
        CarnetPrincipal principal = login.principal();
        Instant until = now.plus(blockFor(principal.role(), beyond));
        logins.blockUntil(login.id(), until);
        if (beyond == 0) {
            events.publishEvent(new AccountLocked(login.id(), principal.subjectId(), principal.role(), until));
        }
        return true;
    }

    /** Professionals are locked for a fixed time; patients wait a delay that doubles with each failure. */
    private Duration blockFor(Role role, int beyond) {
        if (role.professional()) {
            return properties.professionalLockout();
        }
        Duration delay = properties.patientBaseDelay().multipliedBy(1L << Math.min(beyond, 20));
        return delay.compareTo(LONGEST_PATIENT_DELAY) > 0 ? LONGEST_PATIENT_DELAY : delay;
    }
}
