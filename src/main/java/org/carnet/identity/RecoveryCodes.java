package org.carnet.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Ten one-time recovery codes per account, for when the authenticator is lost. Each has 50 random
 * bits, so a SHA-256 (with a version byte) is enough to store it; a used code is kept, marked, and
 * refused.
 */
@Component
class RecoveryCodes {

    static final int COUNT = 10;
    private static final byte FORMAT_V1 = 1;
    private static final String ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";

    private final JdbcClient jdbc;
    private final SecureRandom random;
    private final Clock clock;

    RecoveryCodes(JdbcClient jdbc, SecureRandom random, Clock clock) {
        this.jdbc = jdbc;
        this.random = random;
        this.clock = clock;
    }

    /** Replaces the account's codes with ten new ones, returned once and never stored in clear. */
    List<String> renew(UUID userId) {
        jdbc.sql("DELETE FROM recovery_codes WHERE user_id = ?").param(userId).update();
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < COUNT; i++) {
            String code = newCode();
            codes.add(code);
            jdbc.sql("INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)")
                    .params(userId, hash(code))
                    .update();
        }
        return codes;
    }

    /** Uses up a code: true once for each of the account's unused codes, false for anything else. */
    boolean consume(UUID userId, String typed) {
        String code = normalise(typed);
        if (code == null) {
            return false;
        }
        return jdbc.sql("UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL")
                        .params(clock.instant().atOffset(ZoneOffset.UTC), userId, hash(code))
                        .update()
                == 1;
    }

    int remaining(UUID userId) {
        return jdbc.sql("SELECT COUNT(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL")
                .param(userId)
                .query(Integer.class)
                .single();
    }

    /** Recovery codes look like {@code abcde-fghij}; anything else is not one. */
    static boolean looksLikeRecoveryCode(String typed) {
        return normalise(typed) != null;
    }

    private String newCode() {
        StringBuilder code = new StringBuilder(11);
        for (int i = 0; i < 10; i++) {
            if (i == 5) {
                code.append('-');
            }
            code.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return code.toString();
    }

    private static @Nullable String normalise(@Nullable String typed) {
        if (typed == null) {
            return null;
        }
        String code = typed.strip().toLowerCase(Locale.ROOT);
        return code.matches("[a-z2-9]{5}-[a-z2-9]{5}") ? code : null;
    }

    private static byte[] hash(String code) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(code.getBytes(StandardCharsets.US_ASCII));
            byte[] versioned = new byte[digest.length + 1];
            versioned[0] = FORMAT_V1;
            System.arraycopy(digest, 0, versioned, 1, digest.length);
            return versioned;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
