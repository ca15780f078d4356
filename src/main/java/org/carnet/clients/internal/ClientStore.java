package org.carnet.clients.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.carnet.clients.ClientStatus;
import org.carnet.clients.ProgramKeys;
import org.carnet.clients.SmartScope;
import org.carnet.clients.ThirdPartyClient;
import org.carnet.shared.EstablishmentId;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code third_party_clients} table and the history of each registration's states in
 * {@code third_party_client_changes}. Nothing here is personal: a program's name, purpose, scopes and
 * public keys, and the ids of the people who requested and decided.
 */
@Repository
public class ClientStore {

    private final JdbcClient jdbc;

    ClientStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(ThirdPartyClient client) {
        jdbc.sql("INSERT INTO third_party_clients (establishment_id, id, program, purpose, scopes, jwks, jwks_uri,"
                        + " status, requested_by, requested_by_subject, requested_at, tokens_issued, redirect_uris)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)")
                .param(client.establishment().value())
                .param(client.id())
                .param(client.program())
                .param(client.purpose())
                .param(String.join(" ", client.scopeNames()))
                .param(client.keys().json())
                .param(client.keys().uri() == null ? null : client.keys().uri().toString())
                .param(client.status().name())
                .param(client.requestedBy())
                .param(client.requestedBySubject())
                .param(utc(client.requestedAt()))
                .param(String.join(" ", client.redirectUris()))
                .update();
    }

    public Optional<ThirdPartyClient> find(UUID id) {
        return jdbc.sql("SELECT * FROM third_party_clients WHERE id = ?")
                .param(id)
                .query(ClientStore::row)
                .optional();
    }

    public Optional<ThirdPartyClient> findForUpdate(UUID id) {
        return jdbc.sql("SELECT * FROM third_party_clients WHERE id = ? FOR UPDATE")
                .param(id)
                .query(ClientStore::row)
                .optional();
    }

    /** An establishment's programs (or every program), newest first. */
    public List<ThirdPartyClient> list(@Nullable UUID establishmentId, int limit) {
        return (establishmentId == null
                        ? jdbc.sql("SELECT * FROM third_party_clients ORDER BY requested_at DESC LIMIT " + limit)
                        : jdbc.sql("SELECT * FROM third_party_clients WHERE establishment_id = ?"
                                        + " ORDER BY requested_at DESC LIMIT " + limit)
                                .param(establishmentId))
                .query(ClientStore::row)
                .list();
    }

    /**
     * Moves a registration from {@code from} to the decided state, and records who and when; false when
     * it was no longer in {@code from} (someone decided first).
     */
    public boolean decide(ThirdPartyClient decided, ClientStatus from) {
        UUID officer = decided.decidedBy();
        Instant at = decided.decidedAt();
        if (officer == null || at == null) {
            throw new IllegalArgumentException("A decision names its officer and time");
        }
        int changed = jdbc.sql("UPDATE third_party_clients SET status = ?, decided_by = ?, decided_at = ?"
                        + " WHERE id = ? AND status = ? AND requested_by <> ?")
                .param(decided.status().name())
                .param(officer)
                .param(utc(at))
                .param(decided.id())
                .param(from.name())
                .param(officer)
                .update();
        if (changed != 1) {
            return false;
        }
        recordChange(decided.establishment(), decided.id(), from, decided.status(), officer, at);
        return true;
    }

    public void recordChange(
            EstablishmentId establishment,
            UUID client,
            @Nullable ClientStatus from,
            ClientStatus to,
            UUID by,
            Instant at) {
        jdbc.sql("INSERT INTO third_party_client_changes (establishment_id, id, client_id, from_status, to_status,"
                        + " changed_by, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
                .param(establishment.value())
                .param(UUID.randomUUID())
                .param(client)
                .param(from == null ? null : from.name())
                .param(to.name())
                .param(by)
                .param(utc(at))
                .update();
    }

    /** The recorded changes of one registration, oldest first. */
    public List<Change> changes(UUID client) {
        return jdbc.sql("SELECT from_status, to_status, changed_by, changed_at FROM third_party_client_changes"
                        + " WHERE client_id = ? ORDER BY changed_at, id")
                .param(client)
                .query((rs, n) -> new Change(
                        rs.getString("from_status") == null ? null : ClientStatus.valueOf(rs.getString("from_status")),
                        ClientStatus.valueOf(rs.getString("to_status")),
                        rs.getObject("changed_by", UUID.class),
                        rs.getObject("changed_at", OffsetDateTime.class).toInstant()))
                .list();
    }

    /** One recorded state change. */
    public record Change(@Nullable ClientStatus from, ClientStatus to, UUID by, Instant at) {}

    /** Counts an access token issued to the program. */
    public void tokenIssued(UUID client, Instant at) {
        jdbc.sql("UPDATE third_party_clients SET tokens_issued = tokens_issued + 1, last_token_at = ? WHERE id = ?")
                .param(utc(at))
                .param(client)
                .update();
    }

    private static ThirdPartyClient row(ResultSet rs, int n) throws SQLException {
        String scopes = rs.getString("scopes");
        return new ThirdPartyClient(
                rs.getObject("id", UUID.class),
                EstablishmentId.of(rs.getObject("establishment_id", UUID.class)),
                rs.getString("program"),
                rs.getString("purpose"),
                scopes.isEmpty()
                        ? List.of()
                        : Arrays.stream(scopes.split(" "))
                                .map(s -> SmartScope.parse(s, "scopes"))
                                .toList(),
                rs.getString("redirect_uris").isEmpty()
                        ? List.of()
                        : List.of(rs.getString("redirect_uris").split(" ")),
                ProgramKeys.stored(rs.getString("jwks"), rs.getString("jwks_uri")),
                ClientStatus.valueOf(rs.getString("status")),
                rs.getObject("requested_by", UUID.class),
                rs.getObject("requested_by_subject", UUID.class),
                rs.getObject("requested_at", OffsetDateTime.class).toInstant(),
                rs.getObject("decided_by", UUID.class),
                instantOrNull(rs, "decided_at"),
                rs.getLong("tokens_issued"),
                instantOrNull(rs, "last_token_at"));
    }

    static @Nullable Instant instantOrNull(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
