package org.carnet.breach.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.carnet.breach.IncidentView;
import org.carnet.breach.Severity;
import org.carnet.crypto.FieldSealer;
import org.carnet.crypto.KeyOwner;
import org.carnet.crypto.SealedTable;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The incidents and their timelines; a timeline entry's details are sealed under the incident's own key. */
@Repository
public class IncidentStore {

    /** Article 33: notify within 72 hours of becoming aware. */
    public static final Duration NOTIFY_WITHIN = Duration.ofHours(72);

    public static final SealedTable SEALED = new SealedTable(
            "breach_incident_events", "id", "incident_id", Set.of(KeyOwner.Type.PLATFORM), List.of("details"));

    /** The stored head of an incident. */
    public record Stored(
            UUID id,
            String subject,
            String status,
            Severity severity,
            List<String> rules,
            Instant awareAt,
            Instant notifyBy,
            @Nullable UUID clientId,
            @Nullable UUID userId,
            @Nullable Integer patientsRead) {}

    private static final String COLUMNS =
            "id, subject_key, status, severity, rules, aware_at, notify_by, client_id, user_id, patients_read";

    private final JdbcClient jdbc;
    private final FieldSealer sealer;

    IncidentStore(JdbcClient jdbc, FieldSealer sealer) {
        this.jdbc = jdbc;
        this.sealer = sealer;
    }

    /** The open incident about this subject, locked for the caller's transaction. */
    public Optional<Stored> openAbout(String subject) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM breach_incidents WHERE subject_key = ? AND status = 'OPEN'"
                        + " ORDER BY aware_at DESC LIMIT 1 FOR UPDATE")
                .param(subject)
                .query((rs, n) -> stored(rs))
                .optional();
    }

    public Optional<Stored> find(UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM breach_incidents WHERE id = ?")
                .param(id)
                .query((rs, n) -> stored(rs))
                .optional();
    }

    /** Newest first, at most {@code limit}; open ones only if asked. */
    public List<Stored> list(boolean openOnly, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM breach_incidents"
                        + (openOnly ? " WHERE status = 'OPEN'" : "")
                        + " ORDER BY aware_at DESC, id LIMIT ?")
                .param(limit)
                .query((rs, n) -> stored(rs))
                .list();
    }

    public Stored open(RuleHit hit) {
        UUID id = UUID.randomUUID();
        Instant notifyBy = hit.at().plus(NOTIFY_WITHIN);
        jdbc.sql("INSERT INTO breach_incidents (id, subject_key, status, severity, rules, aware_at, notify_by,"
                        + " last_hit_at, client_id, user_id) VALUES (?, ?, 'OPEN', ?, ?, ?, ?, ?, ?, ?)")
                .params(Arrays.asList(
                        id,
                        hit.subject(),
                        hit.rule().severity().name(),
                        hit.rule().code(),
                        utc(hit.at()),
                        utc(notifyBy),
                        utc(hit.at()),
                        hit.clientId(),
                        hit.userId()))
                .update();
        return new Stored(
                id,
                hit.subject(),
                "OPEN",
                hit.rule().severity(),
                List.of(hit.rule().code()),
                hit.at(),
                notifyBy,
                hit.clientId(),
                hit.userId(),
                null);
    }

    /**
     * Closes an open incident.
     *
     * @return false when it was not open
     */
    public boolean close(UUID incident, Instant at, UUID by) {
        return jdbc.sql("UPDATE breach_incidents SET status = 'CLOSED', closed_at = ?, closed_by = ?"
                                + " WHERE id = ? AND status = 'OPEN'")
                        .params(utc(at), by, incident)
                        .update()
                == 1;
    }

    /** When the incident was closed, if it was. */
    public Optional<Instant> closedAt(UUID incident) {
        return jdbc.sql("SELECT closed_at FROM breach_incidents WHERE id = ? AND closed_at IS NOT NULL")
                .param(incident)
                .query((rs, n) -> rs.getObject(1, OffsetDateTime.class).toInstant())
                .optional();
    }

    /** One establishment's notification decision, as the register keeps it. */
    public record Notification(
            UUID establishmentId,
            String decision,
            Instant decidedAt,
            UUID decidedBy,
            @Nullable String reference) {}

    /**
     * Records (or replaces) the decision about notifying the CNIL for one establishment of the incident.
     */
    public void decide(UUID incident, Notification notification) {
        int updated = jdbc.sql("UPDATE breach_notifications SET decision = ?, decided_at = ?, decided_by = ?,"
                        + " reference = ? WHERE incident_id = ? AND establishment_id = ?")
                .params(Arrays.asList(
                        notification.decision(),
                        utc(notification.decidedAt()),
                        notification.decidedBy(),
                        notification.reference(),
                        incident,
                        notification.establishmentId()))
                .update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO breach_notifications (incident_id, establishment_id, decision, decided_at,"
                            + " decided_by, reference) VALUES (?, ?, ?, ?, ?, ?)")
                    .params(Arrays.asList(
                            incident,
                            notification.establishmentId(),
                            notification.decision(),
                            utc(notification.decidedAt()),
                            notification.decidedBy(),
                            notification.reference()))
                    .update();
        }
    }

    public List<Notification> notifications(UUID incident) {
        return jdbc.sql("SELECT establishment_id, decision, decided_at, decided_by, reference"
                        + " FROM breach_notifications WHERE incident_id = ? ORDER BY establishment_id")
                .param(incident)
                .query((rs, n) -> new Notification(
                        rs.getObject(1, UUID.class),
                        rs.getString(2),
                        rs.getObject(3, OffsetDateTime.class).toInstant(),
                        rs.getObject(4, UUID.class),
                        rs.getString(5)))
                .list();
    }

    /** How many distinct patients the subject read, as listed from the access log. */
    public void patientsRead(UUID incident, int patients) {
        jdbc.sql("UPDATE breach_incidents SET patients_read = ? WHERE id = ?")
                .params(patients, incident)
                .update();
    }

    /** Adds the hit's rule and severity to an open incident. */
    public void extend(Stored incident, RuleHit hit) {
        Set<String> rules = new LinkedHashSet<>(incident.rules());
        rules.add(hit.rule().code());
        jdbc.sql("UPDATE breach_incidents SET severity = ?, rules = ?, last_hit_at = ? WHERE id = ?")
                .params(
                        incident.severity().atLeast(hit.rule().severity()).name(),
                        String.join(",", rules),
                        utc(hit.at()),
                        incident.id())
                .update();
    }

    public void concern(UUID incident, Set<UUID> establishments) {
        Set<UUID> known = Set.copyOf(establishments(incident));
        for (UUID establishment : establishments) {
            if (!known.contains(establishment)) {
                jdbc.sql("INSERT INTO breach_incident_establishments (incident_id, establishment_id) VALUES (?, ?)")
                        .params(incident, establishment)
                        .update();
            }
        }
    }

    public List<UUID> establishments(UUID incident) {
        return jdbc.sql("SELECT establishment_id FROM breach_incident_establishments WHERE incident_id = ?"
                        + " ORDER BY establishment_id")
                .param(incident)
                .query(UUID.class)
                .list();
    }

    /** Appends to the timeline; the details are sealed. */
    public void append(UUID incident, Instant at, String kind, String code, @Nullable UUID by, String details) {
        UUID id = UUID.randomUUID();
        jdbc.sql("INSERT INTO breach_incident_events (id, incident_id, occurred_at, kind, code, actor_id, details)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?)")
                .params(Arrays.asList(
                        id,
                        incident,
                        utc(at),
                        kind,
                        code,
                        by,
                        sealer.seal(KeyOwner.platform(incident), SEALED.column("details", id), details)))
                .update();
    }

    public List<IncidentView.TimelineEntry> timeline(UUID incident) {
        return jdbc.sql("SELECT id, occurred_at, kind, code, actor_id, details FROM breach_incident_events"
                        + " WHERE incident_id = ? ORDER BY occurred_at, id")
                .param(incident)
                .query((rs, n) -> {
                    UUID id = rs.getObject(1, UUID.class);
                    String details =
                            sealer.open(KeyOwner.platform(incident), SEALED.column("details", id), rs.getBytes(6));
                    return new IncidentView.TimelineEntry(
                            rs.getObject(2, OffsetDateTime.class).toInstant(),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getObject(5, UUID.class),
                            details == null ? "" : details);
                })
                .list();
    }

    private static Stored stored(ResultSet rs) throws SQLException {
        return new Stored(
                rs.getObject(1, UUID.class),
                rs.getString(2),
                rs.getString(3),
                Severity.valueOf(rs.getString(4)),
                new ArrayList<>(Arrays.asList(rs.getString(5).split(","))),
                rs.getObject(6, OffsetDateTime.class).toInstant(),
                rs.getObject(7, OffsetDateTime.class).toInstant(),
                rs.getObject(8, UUID.class),
                rs.getObject(9, UUID.class),
                rs.getObject(10, Integer.class));
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}
