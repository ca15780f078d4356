package org.carnet.exports.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.carnet.crypto.FieldSealer;
import org.carnet.crypto.KeyOwner;
import org.carnet.crypto.SealedTable;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code exports} table. The recipient's name and key and the export's secret are sealed under the
 * export's own data key; the download link is kept only as a keyed hash.
 */
@Repository
public class ExportStore {

    public static final SealedTable SEALED = SealedTable.of(
            "exports", "id", KeyOwner.Type.EXPORT, "recipient", "recipient_key", "secret", "recipient_networks");

    /** One row, its sealed columns opened. Redacted {@code toString}. */
    public record Row(
            UUID establishmentId,
            UUID id,
            List<String> scope,
            LocalDate from,
            LocalDate to,
            String recipient,
            String recipientKey,
            String recipientFingerprint,
            List<String> recipientNetworks,
            byte[] secret,
            UUID requestedBy,
            Instant requestedAt,
            @Nullable UUID approvedBy,
            @Nullable Instant approvedAt,
            @Nullable Instant linkExpiresAt,
            @Nullable Instant downloadedAt,
            @Nullable Integer rowsExported) {
        @Override
        public String toString() {
            return "ExportStore.Row[id=" + id + ", sealed fields redacted]";
        }
    }

    private final JdbcClient jdbc;
    private final FieldSealer sealer;

    ExportStore(JdbcClient jdbc, FieldSealer sealer) {
        this.jdbc = jdbc;
        this.sealer = sealer;
    }

    public void insert(Row row) {
        KeyOwner owner = KeyOwner.export(row.id());
        jdbc.sql("INSERT INTO exports (establishment_id, id, scope, from_date, to_date, recipient, recipient_key,"
                        + " recipient_fingerprint, recipient_networks, secret, requested_by, requested_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .param(row.establishmentId())
                .param(row.id())
                .param(String.join(",", row.scope()))
                .param(row.from())
                .param(row.to())
                .param(sealer.seal(owner, SEALED.column("recipient", row.id()), row.recipient()))
                .param(sealer.seal(owner, SEALED.column("recipient_key", row.id()), row.recipientKey()))
                .param(row.recipientFingerprint())
                .param(
                        row.recipientNetworks().isEmpty()
                                ? null
                                : sealer.seal(
                                        owner,
                                        SEALED.column("recipient_networks", row.id()),
                                        String.join(",", row.recipientNetworks())))
                .param(sealer.seal(
                        owner,
                        SEALED.column("secret", row.id()),
                        Base64.getEncoder().encodeToString(row.secret())))
                .param(row.requestedBy())
                .param(utc(row.requestedAt()))
                .update();
    }

    public Optional<Row> find(UUID id) {
        return jdbc.sql("SELECT * FROM exports WHERE id = ?")
                .param(id)
                .query(this::row)
                .optional();
    }

    public Optional<Row> findForUpdate(UUID id) {
        return jdbc.sql("SELECT * FROM exports WHERE id = ? FOR UPDATE")
                .param(id)
                .query(this::row)
                .optional();
    }

    /** The establishment's exports (or every export), newest first. */
    public List<Row> list(@Nullable UUID establishmentId, int limit) {
        return (establishmentId == null
                        ? jdbc.sql("SELECT * FROM exports ORDER BY requested_at DESC LIMIT " + limit)
                        : jdbc.sql("SELECT * FROM exports WHERE establishment_id = ? ORDER BY requested_at DESC LIMIT "
                                        + limit)
                                .param(establishmentId))
                .query(this::row)
                .list();
    }

    /** Every approved export, for leak tracing. */
    public List<Row> approved() {
        return jdbc.sql("SELECT * FROM exports WHERE approved_at IS NOT NULL ORDER BY approved_at")
                .query(this::row)
                .list();
    }

    /** Approves a requested export by another person than its requester; whether it was still to approve. */
    public boolean approve(UUID id, UUID approver, Instant at, byte[] linkHash, Instant linkExpiresAt) {
        return jdbc.sql("UPDATE exports SET approved_by = ?, approved_at = ?, link_hash = ?, link_expires_at = ?"
                                + " WHERE id = ? AND approved_by IS NULL AND requested_by <> ?")
                        .param(approver)
                        .param(utc(at))
                        .param(linkHash)
                        .param(utc(linkExpiresAt))
                        .param(id)
                        .param(approver)
                        .update()
                == 1;
    }

    /**
     * Uses a download link: the one conditional update that lets exactly one download through, while
     * the link is unused and unexpired. The export's id, if it was.
     */
    public Optional<UUID> useLink(byte[] linkHash, Instant now) {
        Optional<UUID> id = jdbc.sql("SELECT id FROM exports WHERE link_hash = ?")
                .param(linkHash)
                .query(UUID.class)
                .optional();
        if (id.isEmpty()) {
            return Optional.empty();
        }
        int used = jdbc.sql("UPDATE exports SET downloaded_at = ? WHERE id = ? AND link_hash = ?"
                        + " AND downloaded_at IS NULL AND link_expires_at > ?")
                .param(utc(now))
                .param(id.get())
                .param(linkHash)
                .param(utc(now))
                .update();
        return used == 1 ? id : Optional.empty();
    }

    /** The export a download link names, used, expired or not: for telling a replayed link from a made-up one. */
    public Optional<Row> byLink(byte[] linkHash) {
        return jdbc.sql("SELECT * FROM exports WHERE link_hash = ?")
                .param(linkHash)
                .query(this::row)
                .optional();
    }

    public void recordRows(UUID id, long rows) {
        jdbc.sql("UPDATE exports SET rows_exported = ? WHERE id = ?")
                .param((int) Math.min(rows, Integer.MAX_VALUE))
                .param(id)
                .update();
    }

    private Row row(ResultSet rs, int n) throws SQLException {
        UUID id = rs.getObject("id", UUID.class);
        KeyOwner owner = KeyOwner.export(id);
        Integer rows = rs.getObject("rows_exported") == null ? null : rs.getInt("rows_exported");
        return new Row(
                rs.getObject("establishment_id", UUID.class),
                id,
                Arrays.asList(rs.getString("scope").split(",")),
                rs.getObject("from_date", LocalDate.class),
                rs.getObject("to_date", LocalDate.class),
                open(owner, "recipient", id, rs),
                open(owner, "recipient_key", id, rs),
                rs.getString("recipient_fingerprint"),
                networks(owner, id, rs),
                Base64.getDecoder().decode(open(owner, "secret", id, rs)),
                rs.getObject("requested_by", UUID.class),
                instant(rs, "requested_at"),
                rs.getObject("approved_by", UUID.class),
                instantOrNull(rs, "approved_at"),
                instantOrNull(rs, "link_expires_at"),
                instantOrNull(rs, "downloaded_at"),
                rows);
    }

    /** Sealed (the recipient may be a person at home, whose address is personal data); none: from anywhere. */
    private List<String> networks(KeyOwner owner, UUID id, ResultSet rs) throws SQLException {
        byte[] sealed = rs.getBytes("recipient_networks");
        String networks = sealed == null ? null : sealer.open(owner, SEALED.column("recipient_networks", id), sealed);
        return networks == null || networks.isEmpty() ? List.of() : List.of(networks.split(","));
    }

    private String open(KeyOwner owner, String column, UUID id, ResultSet rs) throws SQLException {
        return Objects.requireNonNull(sealer.open(owner, SEALED.column(column, id), rs.getBytes(column)), column);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    private static @Nullable Instant instantOrNull(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
