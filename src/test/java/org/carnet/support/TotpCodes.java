package org.carnet.support;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import java.security.InvalidKeyException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import javax.crypto.spec.SecretKeySpec;
import org.apache.commons.codec.binary.Base32;

/** What an authenticator app shows for a secret: computed here independently of Carnet's own code. */
public final class TotpCodes {

    private static final Duration STEP = Duration.ofSeconds(30);

    private TotpCodes() {}

    public static String now(String base32Secret) {
        return at(base32Secret, Instant.now());
    }

    public static String at(String base32Secret, Instant instant) {
        TimeBasedOneTimePasswordGenerator generator = new TimeBasedOneTimePasswordGenerator(STEP);
        SecretKeySpec key = new SecretKeySpec(new Base32().decode(base32Secret), generator.getAlgorithm());
        try {
            return String.format(Locale.ROOT, "%06d", generator.generateOneTimePassword(key, instant));
        } catch (InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The current 30-second step, to tell when a code already used becomes a new one. */
    public static long step() {
        return Instant.now().getEpochSecond() / STEP.toSeconds();
    }

    /**
     * Waits, without sleeping blindly, for the next time step: a code is accepted once per step, so a
     * second sign-in of the same account within one step needs the next code.
     */
    public static void awaitNextStep(long usedStep) {
        while (step() <= usedStep) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
