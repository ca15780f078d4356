package org.carnet.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.codec.digest.DigestUtils;
import org.carnet.shared.AfterTransaction;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Opaque bearer tokens for the API: 256 random bits handed to the client, only their SHA-256 kept,
 * short-lived and revocable. A version prefix ({@code ct1.}) lets the format change later.
 *
 * <p>A token is checked with its account in one statement; found live, it is answered for from memory
 * for {@code carnet.api.token-cache} (2 seconds) after that: a burst of requests makes one round trip to
 * authenticate. The same statement tells {@link EmailConfirmations} whether the address is confirmed. Revoking evicts at once on the node that revokes (and again after its transaction
 * commits, so that a request reading the row before the commit cannot put it back); other nodes stop
 * accepting the token when their memory of it runs out, within the cache's duration.
 */
@Component
class AccessTokens {

    static final String PREFIX = "ct1.";

    record Issued(String token, Duration lifetime) {}

    /** A token checked in the database: whose, until when. */
    private record Checked(CarnetPrincipal principal, Instant expiresAt) {}

    private final JdbcClient jdbc;
    private final Logins logins;
    private final EmailConfirmations confirmations;
    private final SecureRandom random;
    private final Clock clock;
    private final Duration lifetime;
    private final Cache<ByteBuffer, Checked> checked;
    /** Counts revocations, so that a check that raced with one does not stay in memory. */
    private final AtomicLong revocations = new AtomicLong();

    AccessTokens(
            JdbcClient jdbc,
            Logins logins,
            EmailConfirmations confirmations,
            SecureRandom random,
            Clock clock,
            ApiProperties properties) {
        this.jdbc = jdbc;
        this.logins = logins;
        this.confirmations = confirmations;
        this.random = random;
        this.clock = clock;
        this.lifetime = properties.tokenLifetime();
        this.checked = Caffeine.newBuilder()
                .expireAfterWrite(properties.tokenCache())
                .maximumSize(properties.tokenCache().isZero() ? 0 : 200_000)
                .build();
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

    /** The account a live token belongs to; expired, revoked and unknown tokens give nothing. */
    Optional<CarnetPrincipal> principalOf(String token) {
        if (token == null || !token.startsWith(PREFIX) || token.length() > 100) {
            return Optional.empty();
        }
        ByteBuffer key = ByteBuffer.wrap(hash(token));
        Instant now = clock.instant();
        Checked remembered = checked.getIfPresent(key);
        if (remembered != null && remembered.expiresAt().isAfter(now)) {
            return Optional.of(remembered.principal());
        }
        long revocationsBefore = revocations.get();
        Optional<Logins.TokenHolder> holder = logins.holderOfLiveToken(key.array(), now);
        holder.ifPresent(found -> {
            checked.put(key, new Checked(found.principal(), found.expiresAt()));
            if (revocations.get() != revocationsBefore) {
                checked.invalidate(key); // a revocation ran meanwhile: this check may predate it
            }
            if (found.confirmed()) {
                confirmations.seenConfirmed(found.principal().userId());
            }
        });
        return holder.map(Logins.TokenHolder::principal);
    }

    /** Revokes one token; unknown tokens are ignored. */
    void revoke(String token) {
        byte[] hash = hash(token);
        jdbc.sql("UPDATE access_tokens SET revoked = TRUE WHERE token_hash = ?")
                .param(hash)
                .update();
        ByteBuffer key = ByteBuffer.wrap(hash);
        forget(() -> checked.invalidate(key));
    }

    /** Revokes every token of a user, as when the password changes. */
    void revokeAll(UUID userId) {
        jdbc.sql("UPDATE access_tokens SET revoked = TRUE WHERE user_id = ?")
                .param(userId)
                .update();
        forget(() ->
                checked.asMap().values().removeIf(c -> c.principal().userId().equals(userId)));
    }

    /** Evicts now, and again once the caller's transaction (if any) has committed the revocation. */
    private void forget(Runnable eviction) {
        Runnable evict = () -> {
            revocations.incrementAndGet();
            eviction.run();
        };
        evict.run();
        AfterTransaction.run(evict);
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
