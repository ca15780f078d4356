package org.carnet.clients.internal;

import static org.carnet.clients.internal.ClientStore.instantOrNull;
import static org.carnet.clients.internal.ClientStore.utc;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.carnet.clients.ClientStatus;
import org.carnet.shared.EstablishmentId;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code third_party_client_tokens} table: every access token issued, kept only as its SHA-256
 * hash (a token is 5 minutes of random-looking signed bytes: a plain hash is enough to find it and
 * useless to whoever reads the table), with its claims.
 */
@Repository
public class IssuedTokens {

    /**
     * One issued token as stored; {@code clientStatus} is its program's state now, {@code userId} the
     * login it acts for (authorization code), or {@code null} for a program acting for itself.
     */
    public record Issued(
            String id,
            EstablishmentId establishment,
            UUID clientId,
            @Nullable UUID userId,
            Set<String> scopes,
            String claims,
            Instant issuedAt,
            Instant expiresAt,
            @Nullable Instant revokedAt,
            ClientStatus clientStatus) {

        /** Whether it still works: not revoked, not expired, its program active. */
        public boolean usable(Instant now) {
            return revokedAt == null && expiresAt.isAfter(now) && clientStatus == ClientStatus.ACTIVE;
        }
    }

    private final JdbcClient jdbc;

    IssuedTokens(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public void insert(
            EstablishmentId establishment,
            String id,
            UUID clientId,
            @Nullable UUID userId,
            String token,
            Set<String> scopes,
            String claims,
            Instant issuedAt,
            Instant expiresAt) {
        jdbc.sql("INSERT INTO third_party_client_tokens (establishment_id, id, client_id, user_id, token_hash, scopes,"
                        + " claims, issued_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .param(establishment.value())
                .param(id)
                .param(clientId)
                .param(userId)
                .param(hash(token))
                .param(String.join(" ", scopes))
                .param(claims)
                .param(utc(issuedAt))
                .param(utc(expiresAt))
                .update();
    }

    /** The token with this value, whatever its state, with its program's state: one indexed look-up. */
    public Optional<Issued> find(String token) {
        return jdbc.sql("SELECT t.*, c.status AS client_status FROM third_party_client_tokens t"
                        + " JOIN third_party_clients c ON c.establishment_id = t.establishment_id AND c.id = t.client_id"
                        + " WHERE t.token_hash = ?")
                .param(hash(token))
                .query(IssuedTokens::row)
                .optional();
    }

    public boolean exists(String id) {
        return jdbc.sql("SELECT COUNT(*) FROM third_party_client_tokens WHERE id = ?")
                        .param(id)
                        .query(Long.class)
                        .single()
                > 0;
    }

    public void revoke(String id, Instant at) {
        jdbc.sql("UPDATE third_party_client_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")
                .param(utc(at))
                .param(id)
                .update();
    }

    /** Revokes every unexpired token of a program (suspended or revoked: a reinstatement revives none). */
    public int revokeAllOf(UUID clientId, Instant at) {
        return jdbc.sql("UPDATE third_party_client_tokens SET revoked_at = ?"
                        + " WHERE client_id = ? AND revoked_at IS NULL AND expires_at > ?")
                .param(utc(at))
                .param(clientId)
                .param(utc(at))
                .update();
    }

    /** Revokes every unexpired token of every program of an establishment. */
    public int revokeAllOfEstablishment(UUID establishmentId, Instant at) {
        return jdbc.sql("UPDATE third_party_client_tokens SET revoked_at = ?"
                        + " WHERE establishment_id = ? AND revoked_at IS NULL AND expires_at > ?")
                .param(utc(at))
                .param(establishmentId)
                .param(utc(at))
                .update();
    }

    /** Revokes every unexpired token that a program holds to act for this login (authorization code). */
    public int revokeAllActingFor(UUID userId, Instant at) {
        return jdbc.sql("UPDATE third_party_client_tokens SET revoked_at = ?"
                        + " WHERE user_id = ? AND revoked_at IS NULL AND expires_at > ?")
                .param(utc(at))
                .param(userId)
                .param(utc(at))
                .update();
    }

    public void delete(String id) {
        jdbc.sql("DELETE FROM third_party_client_tokens WHERE id = ?").param(id).update();
    }

    /** Forgets tokens expired before {@code before}. */
    public int prune(Instant before) {
        return jdbc.sql("DELETE FROM third_party_client_tokens WHERE expires_at < ?")
                .param(utc(before))
                .update();
    }

    private static Issued row(ResultSet rs, int n) throws SQLException {
        String scopes = rs.getString("scopes");
        return new Issued(
                rs.getString("id"),
                EstablishmentId.of(rs.getObject("establishment_id", UUID.class)),
                rs.getObject("client_id", UUID.class),
                rs.getObject("user_id", UUID.class),
                scopes.isEmpty() ? Set.of() : new LinkedHashSet<>(Arrays.asList(scopes.split(" "))),
                rs.getString("claims"),
                rs.getObject("issued_at", OffsetDateTime.class).toInstant(),
                rs.getObject("expires_at", OffsetDateTime.class).toInstant(),
                instantOrNull(rs, "revoked_at"),
                ClientStatus.valueOf(rs.getString("client_status")));
    }
}
