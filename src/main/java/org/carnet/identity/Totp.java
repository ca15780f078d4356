package org.carnet.identity;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;
import javax.crypto.spec.SecretKeySpec;
import org.apache.commons.codec.binary.Base32;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * RFC 6238 time-based codes (SHA-1, 6 digits, 30 s, what every authenticator app reads), with one
 * step of clock drift either way. The caller keeps the last accepted step so a code is never
 * accepted twice.
 */
@Component
class Totp {

    static final Duration STEP = Duration.ofSeconds(30);
    private static final int SECRET_BYTES = 20;

    private final SecureRandom random;
    private final Clock clock;

    Totp(SecureRandom random, Clock clock) {
        this.random = random;
        this.clock = clock;
    }

    /** A new secret, base32 as authenticator apps expect. */
    String newSecret() {
        byte[] secret = new byte[SECRET_BYTES];
        random.nextBytes(secret);
        return new Base32().encodeToString(secret).replace("=", "");
    }

    /** The {@code otpauth://} address an authenticator app scans. */
    static String enrolmentUri(String secret, String accountLabel) {
        String label = URLEncoder.encode("Carnet:" + accountLabel, StandardCharsets.UTF_8)
                .replace("+", "%20");
        return "otpauth://totp/" + label + "?secret=" + secret + "&issuer=Carnet&algorithm=SHA1&digits=6&period=30";
    }

    /**
     * The time step the code matches, if it matches one later than {@code lastUsedStep}.
     *
     * @param code six digits as typed (spaces ignored)
     */
    OptionalLong verify(String secret, @Nullable String code, @Nullable Long lastUsedStep) {
        String digits = code == null ? "" : code.replace(" ", "");
        if (!digits.matches("\\d{6}")) {
            return OptionalLong.empty();
        }
        int given = Integer.parseInt(digits);
        long now = clock.instant().getEpochSecond() / STEP.toSeconds();
        for (long step = now - 1; step <= now + 1; step++) {
            if (lastUsedStep != null && step <= lastUsedStep) {
                continue;
            }
            if (codeAt(secret, step) == given) {
                return OptionalLong.of(step);
            }
        }
        return OptionalLong.empty();
    }

    private static int codeAt(String secret, long step) {
        TimeBasedOneTimePasswordGenerator generator = new TimeBasedOneTimePasswordGenerator(STEP);
        SecretKeySpec key = new SecretKeySpec(new Base32().decode(secret), generator.getAlgorithm());
        try {
            return generator.generateOneTimePassword(key, Instant.ofEpochSecond(step * STEP.toSeconds()));
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("Unusable second-factor secret", e);
        }
    }
}
