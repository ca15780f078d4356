package org.carnet.notifications.internal;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Optional;
import org.carnet.crypto.BlindIndex;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The code every outgoing message carries, such as {@code CRN-7Q4K-2M9X}: 8 characters drawn at random
 * from 31 that cannot be mistaken for one another (no 0/O, 1/I/L), about 40 bits, so that guessing
 * one among the codes in use at {@code /verifier}'s rate limit takes years. Stored only as a keyed
 * hash with the message's kind and time; it tells that Carnet sent such a message, never to whom.
 * A code is valid for 90 days; after that {@code /verifier} says it has expired, and a year after its
 * message it is forgotten.
 */
@Component
public class VerificationCodes {

    static final Duration VALID = Duration.ofDays(90);
    static final Duration REMEMBERED = Duration.ofDays(365);
    static final String ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    static final int LENGTH = 8;
    private static final String PURPOSE = "message-verification-code";

    /** What /verifier may say about a code. */
    public record Verified(String kind, Instant sentAt, boolean expired) {}

    private final JdbcClient jdbc;
    private final BlindIndex blindIndex;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    VerificationCodes(JdbcClient jdbc, BlindIndex blindIndex, Clock clock) {
        this.jdbc = jdbc;
        this.blindIndex = blindIndex;
        this.clock = clock;
    }

    /** A new code for a message of this kind sent now, in the caller's transaction. */
    @Transactional(propagation = Propagation.MANDATORY)
    public String issue(String kind) {
        return issue(kind, clock.instant());
    }

    /** A new code for a message of this kind sent at {@code now}. */
    @Transactional(propagation = Propagation.MANDATORY)
    String issue(String kind, Instant now) {
        while (true) {
            StringBuilder code = new StringBuilder(LENGTH);
            for (int i = 0; i < LENGTH; i++) {
                code.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            int inserted = jdbc.sql("INSERT INTO message_verifications (code_index, kind, sent_at, expires_at)"
                            + " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")
                    .params(index(code.toString()), kind, utc(now), utc(now.plus(VALID)))
                    .update();
            if (inserted == 1) {
                return "CRN-" + code.substring(0, 4) + "-" + code.substring(4);
            }
        }
    }

    /** What Carnet sent with the code typed, if anything; spaces, hyphens, case and the prefix do not matter. */
    public Optional<Verified> check(String typed) {
        return normalise(typed)
                .flatMap(code -> jdbc.sql(
                                "SELECT kind, sent_at, expires_at FROM message_verifications WHERE code_index = ?")
                        .param(index(code))
                        .query((rs, n) -> new Verified(
                                rs.getString("kind"),
                                rs.getObject("sent_at", OffsetDateTime.class).toInstant(),
                                !rs.getObject("expires_at", OffsetDateTime.class)
                                        .toInstant()
                                        .isAfter(clock.instant())))
                        .optional());
    }

    /** Forgets codes whose message is more than a year old; how many. */
    int prune() {
        return jdbc.sql("DELETE FROM message_verifications WHERE sent_at < ?")
                .param(utc(clock.instant().minus(REMEMBERED)))
                .update();
    }

    static Optional<String> normalise(String typed) {
        String code = typed.toUpperCase(Locale.ROOT).replaceAll("[\\s\\-–_.]", "");
        if (code.startsWith("CRN")) {
            code = code.substring(3);
        }
        if (code.length() != LENGTH || !code.chars().allMatch(c -> ALPHABET.indexOf(c) >= 0)) {
            return Optional.empty();
        }
        return Optional.of(code);
    }

    private byte[] index(String normalised) {
        return blindIndex.of(PURPOSE, normalised);
    }

    private static OffsetDateTime utc(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
