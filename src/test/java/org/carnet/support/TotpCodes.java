package org.carnet.support;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import java.security.InvalidKeyException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;
import javax.crypto.spec.SecretKeySpec;
import org.apache.commons.codec.binary.Base32;
import org.awaitility.Awaitility;

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

    /**
     * Signs in with the code the app shows, the way a person does: a code is accepted once, so when
     * the account already used this step's code (an earlier sign-in of the same test account), the
     * attempt is refused, and is made again with the next step's code once the app shows it.
     *
     * @param attempt a sign-in with the given code; its answer
     * @param refused whether an answer is the refusal of an already used code
     * @return the last attempt's answer
     */
    public static <T> T signInWithCode(String base32Secret, Function<String, T> attempt, Predicate<T> refused) {
        long step = step();
        T answer = attempt.apply(atStep(base32Secret, step));
        if (!refused.test(answer)) {
            return answer;
        }
        Awaitility.await("the next 30-second step")
                .atMost(STEP.plusSeconds(5))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> step() > step);
        return attempt.apply(now(base32Secret));
    }

    private static long step() {
        return Instant.now().getEpochSecond() / STEP.toSeconds();
    }

    private static String atStep(String base32Secret, long step) {
        return at(base32Secret, Instant.ofEpochSecond(step * STEP.toSeconds()));
    }
}
