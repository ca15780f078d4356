package org.carnet.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;
import org.carnet.shared.Action;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;

/** Reads the access log back: a patient's own accesses, an establishment's log. Newest first. */
@Service
public class AuditTrail {

    private static final String COLUMNS = "id, occurred_at, establishment_id, actor_type, actor_id, actor_role,"
            + " on_behalf_of, patient_id, action, resource, fields, purpose, outcome, source_address, seq";

    private final JdbcTemplate jdbc;

    AuditTrail(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Every access to this patient's data, in any establishment, newest first, at most {@code limit}. */
    public List<AuditEntry> ofPatient(UUID patientId, int limit) {
        Objects.requireNonNull(patientId, "patientId");
        return jdbc.query(
                "SELECT " + COLUMNS + " FROM audit_log WHERE patient_id = ? ORDER BY occurred_at DESC, id DESC LIMIT ?",
                (rs, n) -> entry(rs),
                patientId,
                limit);
    }

    /**
     * Entries by their place in the table ({@link AuditEntry#id()}), oldest first: those after {@code
     * afterId}, at most {@code limit}. For readers that follow the log as it grows (breach detection).
     * Ids are given out before commit, so an entry may appear later below the last id seen.
     */
    public List<AuditEntry> after(long afterId, int limit) {
        return jdbc.query(
                "SELECT " + COLUMNS + " FROM audit_log WHERE id > ? ORDER BY id LIMIT ?",
                (rs, n) -> entry(rs),
                afterId,
                limit);
    }

    /** The entries with these ids that exist (committed) now, oldest first. */
    public List<AuditEntry> withIds(java.util.Collection<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        String marks = String.join(",", java.util.Collections.nCopies(ids.size(), "?"));
        return jdbc.query(
                "SELECT " + COLUMNS + " FROM audit_log WHERE id IN (" + marks + ") ORDER BY id",
                (rs, n) -> entry(rs),
                ids.toArray());
    }

    /** The highest id in the log now, or 0 when it is empty. */
    public long lastId() {
        Long last = jdbc.queryForObject("SELECT MAX(id) FROM audit_log", Long.class);
        return last == null ? 0 : last;
    }

    /** The establishment's entries matching the search, newest first, at most {@code limit}. */
    public List<AuditEntry> ofEstablishment(UUID establishmentId, AuditSearch search, int limit) {
        List<Object> params = new ArrayList<>();
        String sql = "SELECT " + COLUMNS + " FROM audit_log" + where(establishmentId, search, params)
                + " ORDER BY occurred_at DESC, id DESC LIMIT ?";
        params.add(limit);
        return jdbc.query(sql, (rs, n) -> entry(rs), params.toArray());
    }

    /** Hands each matching entry of the establishment, newest first, to {@code sink} without holding them all. */
    public void exportEstablishment(UUID establishmentId, AuditSearch search, Consumer<AuditEntry> sink) {
        List<Object> params = new ArrayList<>();
        String sql = "SELECT " + COLUMNS + " FROM audit_log" + where(establishmentId, search, params)
                + " ORDER BY occurred_at DESC, id DESC";
        jdbc.query(
                sql,
                rs -> {
                    sink.accept(entry(rs));
                },
                params.toArray());
    }

    /**
     * The establishment's entries recorded from {@code from} (inclusive) to {@code to} (exclusive), oldest
     * first (then by id): at most {@code limit} of them, those after {@code after} (the last entry of the
     * previous page, {@code null} for the first). Keyset pages, so that a reader of a whole log (an export)
     * holds one page at a time and no transaction stays open between pages.
     */
    public List<AuditEntry> ofEstablishmentBetween(
            UUID establishmentId, Instant from, Instant to, @Nullable AuditEntry after, int limit) {
        Objects.requireNonNull(establishmentId, "establishmentId");
        List<Object> params = new ArrayList<>(List.of(
                establishmentId,
                OffsetDateTime.ofInstant(from, ZoneOffset.UTC),
                OffsetDateTime.ofInstant(to, ZoneOffset.UTC)));
        String sql = "SELECT " + COLUMNS + " FROM audit_log WHERE establishment_id = ? AND occurred_at >= ?"
                + " AND occurred_at < ?";
        if (after != null) {
            OffsetDateTime at = OffsetDateTime.ofInstant(after.occurredAt(), ZoneOffset.UTC);
            sql += " AND (occurred_at > ? OR (occurred_at = ? AND id > ?))";
            params.add(at);
            params.add(at);
            params.add(after.id());
        }
        params.add(limit);
        return jdbc.query(sql + " ORDER BY occurred_at, id LIMIT ?", (rs, n) -> entry(rs), params.toArray());
    }

    /**
     * The entries matching the query, newest first (then by id, descending): {@code limit} of them after
     * the first {@code offset}.
     */
    public List<AuditEntry> search(AuditQuery query, int offset, int limit) {
        List<Object> params = new ArrayList<>();
        String sql = "SELECT " + COLUMNS + " FROM audit_log" + where(query, params)
                + " ORDER BY occurred_at DESC, id DESC LIMIT ? OFFSET ?";
        params.add(limit);
        params.add(offset);
        return jdbc.query(sql, (rs, n) -> entry(rs), params.toArray());
    }

    /** How many entries match the query. */
    public int count(AuditQuery query) {
        List<Object> params = new ArrayList<>();
        Integer count = jdbc.queryForObject(
                "SELECT COUNT(*) FROM audit_log" + where(query, params), Integer.class, params.toArray());
        return count == null ? 0 : count;
    }

    /** The entry with this id, if it exists (committed) now. */
    public java.util.Optional<AuditEntry> byId(long id) {
        return withIds(List.of(id)).stream().findFirst();
    }

    private static String where(AuditQuery query, List<Object> params) {
        List<String> conditions = new ArrayList<>();
        if (query.establishmentId() != null) {
            conditions.add("establishment_id = ?");
            params.add(query.establishmentId());
        }
        if (query.actorType() != null) {
            conditions.add("actor_type = ?");
            params.add(query.actorType().name());
        }
        if (query.actorId() != null) {
            conditions.add("actor_id = ?");
            params.add(query.actorId());
        }
        if (query.patientId() != null) {
            conditions.add("patient_id = ?");
            params.add(query.patientId());
        }
        if (query.from() != null) {
            conditions.add("occurred_at >= ?");
            params.add(OffsetDateTime.ofInstant(query.from(), ZoneOffset.UTC));
        }
        if (query.to() != null) {
            conditions.add("occurred_at < ?");
            params.add(OffsetDateTime.ofInstant(query.to(), ZoneOffset.UTC));
        }
        return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
    }

    private static String where(UUID establishmentId, AuditSearch search, List<Object> params) {
        Objects.requireNonNull(establishmentId, "establishmentId");
        StringBuilder where = new StringBuilder(" WHERE establishment_id = ?");
        params.add(establishmentId);
        if (search.patientId() != null) {
            where.append(" AND patient_id = ?");
            params.add(search.patientId());
        }
        if (search.actorId() != null) {
            where.append(" AND actor_id = ?");
            params.add(search.actorId());
        }
        if (search.from() != null) {
            where.append(" AND occurred_at >= ?");
            params.add(OffsetDateTime.ofInstant(search.from(), ZoneOffset.UTC));
        }
        if (search.to() != null) {
            where.append(" AND occurred_at < ?");
            params.add(OffsetDateTime.ofInstant(search.to(), ZoneOffset.UTC));
        }
        if (search.action() != null) {
            where.append(" AND action = ?");
            params.add(search.action().name());
        }
        return where.toString();
    }

    private static AuditEntry entry(ResultSet rs) throws SQLException {
        long seq = rs.getLong(15);
        Long position = rs.wasNull() ? null : seq;
        String fields = rs.getString(11);
        return new AuditEntry(
                rs.getLong(1),
                rs.getObject(2, OffsetDateTime.class).toInstant(),
                rs.getObject(3, UUID.class),
                new RecordedActor(
                        RecordedActor.Type.valueOf(rs.getString(4)), rs.getObject(5, UUID.class), rs.getString(6)),
                rs.getObject(7, UUID.class),
                rs.getObject(8, UUID.class),
                Action.valueOf(rs.getString(9)),
                rs.getString(10),
                fields == null || fields.isEmpty() ? List.of() : Arrays.asList(fields.split(",")),
                rs.getString(12),
                AccessEvent.Outcome.valueOf(rs.getString(13)),
                rs.getString(14),
                position);
    }
}
