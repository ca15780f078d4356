package org.carnet.identity;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import org.apache.commons.codec.digest.DigestUtils;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Opaque bearer tokens for the API: 256 random bits handed to the client, only their SHA-256 kept,
 * short-lived and revocable. A version prefix ({@code ct1.}) lets the format change later.
 */
@Component
class AccessTokens {

    static final String PREFIX = "ct1.";

    record Issued(String token, Duration lifetime) {}

    private final JdbcClient jdbc;
    private final SecureRandom random;
    private final Clock clock;
    private final Duration lifetime;

    AccessTokens(JdbcClient jdbc, SecureRandom random, Clock clock, ApiProperties properties) {
        this.jdbc = jdbc;
        this.random = random;
        this.clock = clock;
        this.lifetime = properties.tokenLifetime();
    }

    Issued issue(UUID userId) {
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String token = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Instant now = clock.instant();
        jdbc.sql("INSERT INTO access_tokens (token_hash, user_id, issued_at, expires_at) VALUES (?, ?, ?, ?)")
                .params(hash(token), userId, utc(now), utc(now.plus(lifetime)))
                .update();
        return new Issued(token, lifetime);
    }

    /** The user a live token belongs to; expired, revoked and unknown tokens give nothing. */
    Optional<UUID> userOf(String token) {
        if (token == null || !token.startsWith(PREFIX) || token.length() > 100) {
            return Optional.empty();
        }
        return jdbc.sql("SELECT user_id FROM access_tokens WHERE token_hash = ? AND revoked = FALSE"
                        + " AND expires_at > ?")
                .params(hash(token), utc(clock.instant()))
                .query(UUID.class)
                .optional();
    }

    /** Revokes one token; unknown tokens are ignored. */
    void revoke(String token) {
        jdbc.sql("UPDATE access_tokens SET revoked = TRUE WHERE token_hash = ?")
                .param(hash(token))
                .update();
    }

    /** Revokes every token of a user, as when the password changes. */
    void revokeAll(UUID userId) {
        jdbc.sql("UPDATE access_tokens SET revoked = TRUE WHERE user_id = ?")
                .param(userId)
                .update();
    }

    /** Forgets tokens that expired more than a day ago; they are refused anyway. */
    int prune() {
        return jdbc.sql("DELETE FROM access_tokens WHERE expires_at < ?")
                .param(utc(clock.instant().minus(Duration.ofDays(1))))
                .update();
    }

    private static byte[] hash(String token) {
        return DigestUtils.sha256(token);
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
