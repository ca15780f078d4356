package org.carnet.clients.internal;

import static org.carnet.clients.internal.ClientStore.instantOrNull;
import static org.carnet.clients.internal.ClientStore.utc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.carnet.shared.EstablishmentId;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code third_party_client_grants} table: authorizations in flight between {@code /oauth2/authorize}
 * and the token request. The consent state and the code are kept only as SHA-256 hashes (both are
 * random, single-use and short-lived); a state is good for {@link #CONSENT_WINDOW} seconds' worth of
 * reading, a code until its own expiry, and once.
 */
@Repository
public class AuthorizationGrants {

    /** How long a professional may take on the consent page. */
    public static final java.time.Duration CONSENT_WINDOW = java.time.Duration.ofMinutes(10);

    /**
     * One authorization in flight.
     *
     * @param request the authorization request as JSON (redirect URI, scopes, the program's state, PKCE challenge)
     */
    public record Grant(
            EstablishmentId establishment,
            String id,
            UUID clientId,
            UUID userId,
            String request,
            Set<String> scopes,
            Instant createdAt,
            @Nullable Instant codeIssuedAt,
            @Nullable Instant codeExpiresAt,
            @Nullable Instant codeUsedAt) {}

    private final JdbcClient jdbc;

    AuthorizationGrants(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A new authorization waiting for the professional's consent. */
    public void awaitConsent(
            EstablishmentId establishment,
            String id,
            UUID clientId,
            UUID userId,
            String request,
            Set<String> scopes,
            String state,
            Instant at) {
        jdbc.sql("INSERT INTO third_party_client_grants (establishment_id, id, client_id, user_id, request, scopes,"
                        + " state_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                .param(establishment.value())
                .param(id)
                .param(clientId)
                .param(userId)
                .param(request)
                .param(String.join(" ", scopes))
                .param(IssuedTokens.hash(state))
                .param(utc(at))
                .update();
    }

    /** Consent given: the state is spent, the code issued for these scopes. */
    public boolean codeIssued(String id, String code, Set<String> scopes, Instant issuedAt, Instant expiresAt) {
        return jdbc.sql("UPDATE third_party_client_grants SET state_hash = NULL, code_hash = ?, scopes = ?,"
                                + " code_issued_at = ?, code_expires_at = ? WHERE id = ? AND code_hash IS NULL")
                        .param(IssuedTokens.hash(code))
                        .param(String.join(" ", scopes))
                        .param(utc(issuedAt))
                        .param(utc(expiresAt))
                        .param(id)
                        .update()
                == 1;
    }

    /** The code was exchanged (or presented by another program): it never works again. */
    public boolean codeUsed(String id, Instant at) {
        return jdbc.sql("UPDATE third_party_client_grants SET code_used_at = ? WHERE id = ? AND code_used_at IS NULL")
                        .param(utc(at))
                        .param(id)
                        .update()
                == 1;
    }

    /** The authorization waiting for consent under this state, if it is still within {@link #CONSENT_WINDOW}. */
    public Optional<Grant> byState(String state, Instant now) {
        return jdbc.sql("SELECT * FROM third_party_client_grants WHERE state_hash = ? AND created_at > ?")
                .param(IssuedTokens.hash(state))
                .param(utc(now.minus(CONSENT_WINDOW)))
                .query(AuthorizationGrants::row)
                .optional();
    }

    /** The authorization this code was issued for, spent or not (a spent one is refused, and its token revoked). */
    public Optional<Grant> byCode(String code) {
        return jdbc.sql("SELECT * FROM third_party_client_grants WHERE code_hash = ?")
                .param(IssuedTokens.hash(code))
                .query(AuthorizationGrants::row)
                .optional();
    }

    public void delete(String id) {
        jdbc.sql("DELETE FROM third_party_client_grants WHERE id = ?").param(id).update();
    }

    /** Forgets authorizations begun before {@code before} (their codes and states long expired). */
    public int prune(Instant before) {
        return jdbc.sql("DELETE FROM third_party_client_grants WHERE created_at < ?")
                .param(utc(before))
                .update();
    }

    private static Grant row(ResultSet rs, int n) throws SQLException {
        String scopes = rs.getString("scopes");
        return new Grant(
                EstablishmentId.of(rs.getObject("establishment_id", UUID.class)),
                rs.getString("id"),
                rs.getObject("client_id", UUID.class),
                rs.getObject("user_id", UUID.class),
                rs.getString("request"),
                scopes.isEmpty() ? Set.of() : new LinkedHashSet<>(Arrays.asList(scopes.split(" "))),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                instantOrNull(rs, "code_issued_at"),
                instantOrNull(rs, "code_expires_at"),
                instantOrNull(rs, "code_used_at"));
    }
}
