package org.carnet.identity;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.commons.codec.digest.DigestUtils;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Ten one-time recovery codes per account, for when the authenticator is lost. Each has 140 random
 * bits (28 characters of an alphabet without 0, 1, l or o, shown in groups of four), so a SHA-256
 * (after a version byte) is enough to store it: no dump can be swept for them, as for bearer tokens. A
 * used code is kept, marked, and refused.
 *
 * <p>Codes made before (version 1: 10 characters, 50 bits, {@code abcde-fghij}) still work once each
 * until their owner renews them, which the security page asks for: a dump could be swept for those.
 */
@Component
class RecoveryCodes {

    static final int COUNT = 10;
    private static final byte FORMAT_V1 = 1;
    private static final byte FORMAT_V2 = 2;
    private static final String ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";
    private static final int LENGTH = 28;
    private static final int GROUP = 4;
    private static final Pattern V2 = Pattern.compile("[a-km-np-z2-9]{" + LENGTH + "}");
    private static final Pattern V1 = Pattern.compile("[a-z2-9]{5}-[a-z2-9]{5}");

    /** A typed code in its canonical form, with the format version it claims. */
    private record Typed(byte version, String canonical) {}

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
            String canonical = newCode();
            codes.add(grouped(canonical));
            jdbc.sql("INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)")
                    .params(userId, hash(FORMAT_V2, canonical))
                    .update();
        }
        return codes;
    }

    /** Uses up a code: true once for each of the account's unused codes, false for anything else. */
    boolean consume(UUID userId, String typed) {
        Typed code = parse(typed);
        if (code == null) {
            return false;
        }
        return jdbc.sql("UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL")
                        .params(
                                clock.instant().atOffset(ZoneOffset.UTC),
                                userId,
                                hash(code.version(), code.canonical()))
                        .update()
                == 1;
    }

    int remaining(UUID userId) {
        return jdbc.sql("SELECT COUNT(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL")
                .param(userId)
                .query(Integer.class)
                .single();
    }

    /** Unused codes of the old, short kind (version 1), which their owner should renew. */
    int oldKindLeft(UUID userId) {
        return (int) jdbc
                .sql("SELECT code_hash FROM recovery_codes WHERE user_id = ? AND used_at IS NULL")
                .param(userId)
                .query(byte[].class)
                .list()
                .stream()
                .filter(hash -> hash.length > 0 && hash[0] == FORMAT_V1)
                .count();
    }

    /** Recovery codes are 28 letters and digits (spaces, hyphens and case do not matter), or an old {@code abcde-fghij}. */
    static boolean looksLikeRecoveryCode(String typed) {
        return parse(typed) != null;
    }

    private String newCode() {
        StringBuilder code = new StringBuilder(LENGTH);
        for (int i = 0; i < LENGTH; i++) {
            code.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return code.toString();
    }

    private static String grouped(String canonical) {
        StringBuilder shown = new StringBuilder();
        for (int i = 0; i < canonical.length(); i += GROUP) {
            if (i > 0) {
                shown.append('-');
            }
            shown.append(canonical, i, i + GROUP);
        }
        return shown.toString();
    }

    private static @Nullable Typed parse(@Nullable String typed) {
        if (typed == null || typed.length() > 64) {
            return null;
        }
        String lower = typed.strip().toLowerCase(Locale.ROOT);
        if (V1.matcher(lower).matches()) {
            return new Typed(FORMAT_V1, lower);
        }
        String canonical = lower.replace("-", "").replace(" ", "");
        return V2.matcher(canonical).matches() ? new Typed(FORMAT_V2, canonical) : null;
    }

    private static byte[] hash(byte version, String code) {
        byte[] digest = DigestUtils.sha256(code);
        byte[] versioned = new byte[digest.length + 1];
        versioned[0] = version;
        System.arraycopy(digest, 0, versioned, 1, digest.length);
        return versioned;
    }
}
