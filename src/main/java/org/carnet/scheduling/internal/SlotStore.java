package org.carnet.scheduling.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.carnet.scheduling.Availability;
import org.carnet.scheduling.Slot;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The slots table. Booking a slot is one conditional update: it succeeds for exactly one caller. */
@Component
public class SlotStore {

    static final RowMapper<Slot> SLOT = (rs, n) -> new Slot(
            rs.getObject("id", UUID.class),
            rs.getObject("establishment_id", UUID.class),
            rs.getObject("practitioner_id", UUID.class),
            rs.getObject("start_at", OffsetDateTime.class).toInstant(),
            rs.getObject("end_at", OffsetDateTime.class).toInstant(),
            Slot.Status.valueOf(rs.getString("status")));

    private final JdbcClient jdbc;
    private final SearchInvalidations searches;

    SlotStore(JdbcClient jdbc, SearchInvalidations searches) {
        this.jdbc = jdbc;
        this.searches = searches;
    }

    public Optional<Slot> find(UUID slotId) {
        return jdbc.sql("SELECT * FROM slots WHERE id = ?")
                .param(slotId)
                .query(SLOT)
                .optional();
    }

    /** Marks a free, future slot as held by the appointment; false if someone else got it first. */
    public boolean book(Slot slot, UUID appointmentId, Instant now) {
        boolean booked = jdbc.sql("UPDATE slots SET status = 'BOOKED', appointment_id = ? WHERE establishment_id = ?"
                                + " AND id = ? AND status = 'FREE' AND start_at > ?")
                        .params(appointmentId, slot.establishmentId(), slot.id(), utc(now))
                        .update()
                == 1;
        if (booked) {
            searches.slotsChanged(slot.practitionerId());
        }
        return booked;
    }

    /** Frees the practitioner's slot held by the appointment. */
    public void release(UUID establishmentId, UUID practitionerId, UUID slotId, UUID appointmentId) {
        if (jdbc.sql("UPDATE slots SET status = 'FREE', appointment_id = NULL WHERE establishment_id = ? AND id = ?"
                                + " AND appointment_id = ?")
                        .params(establishmentId, slotId, appointmentId)
                        .update()
                > 0) {
            searches.slotsChanged(practitionerId);
        }
    }

    /** Free slots of one practitioner starting in [from, to), earliest first. */
    public List<Slot> free(UUID practitionerId, Instant from, Instant to, int limit) {
        return jdbc.sql("SELECT * FROM slots WHERE practitioner_id = ? AND status = 'FREE' AND start_at >= ?"
                        + " AND start_at < ? ORDER BY start_at LIMIT ?")
                .params(practitionerId, utc(from), utc(to), limit)
                .query(SLOT)
                .list();
    }

    /**
     * The first {@code each} free slots of each of the practitioners starting in [from, to), in one
     * statement (one ordered index probe per practitioner, as {@link #free(UUID, Instant, Instant, int)}
     * makes alone): a search page's slots in one round trip instead of one per practitioner.
     */
    public Map<UUID, List<Slot>> free(List<UUID> practitionerIds, Instant from, Instant to, int each) {
        if (practitionerIds.isEmpty()) {
            return Map.of();
        }
        String one = "(SELECT * FROM slots WHERE practitioner_id = ? AND status = 'FREE' AND start_at >= ?"
                + " AND start_at < ? ORDER BY start_at LIMIT ?)";
        List<Object> params = new java.util.ArrayList<>();
        for (UUID id : practitionerIds) {
            params.addAll(List.of(id, utc(from), utc(to), each));
        }
        Map<UUID, List<Slot>> found = new java.util.HashMap<>();
        jdbc.sql(String.join(" UNION ALL ", java.util.Collections.nCopies(practitionerIds.size(), one)))
                .params(params)
                .query(SLOT)
                .list()
                .forEach(slot -> found.computeIfAbsent(slot.practitionerId(), id -> new java.util.ArrayList<>())
                        .add(slot));
        // UNION ALL keeps no order of its own: each practitioner's slots are put back in order.
        found.values().forEach(list -> list.sort(java.util.Comparator.comparing(Slot::start)));
        return found;
    }

    /** Free slots of any of the practitioners starting in [from, to), by start then id: one page of them. */
    public List<Slot> free(Collection<UUID> practitionerIds, Instant from, Instant to, int offset, int limit) {
        return jdbc.sql("SELECT * FROM slots WHERE practitioner_id IN (:ids) AND status = 'FREE' AND start_at >= :from"
                        + " AND start_at < :to ORDER BY start_at, id LIMIT :limit OFFSET :offset")
                .param("ids", List.copyOf(practitionerIds))
                .param("from", utc(from))
                .param("to", utc(to))
                .param("limit", limit)
                .param("offset", offset)
                .query(SLOT)
                .list();
    }

    /** How many free slots the practitioners have starting in [from, to). */
    public int countFree(Collection<UUID> practitionerIds, Instant from, Instant to) {
        return jdbc.sql("SELECT COUNT(*) FROM slots WHERE practitioner_id IN (:ids) AND status = 'FREE'"
                        + " AND start_at >= :from AND start_at < :to")
                .param("ids", List.copyOf(practitionerIds))
                .param("from", utc(from))
                .param("to", utc(to))
                .query(Integer.class)
                .single();
    }

    /**
     * All slots of one practitioner starting in [from, to), each booked one with the patient file of its
     * appointment.
     */
    public List<Availability.AgendaEntry> allWithPatients(UUID practitionerId, Instant from, Instant to) {
        return jdbc.sql("SELECT s.*, a.patient_file_id, a.for_relative IS NOT NULL AS for_relative"
                        + " FROM slots s LEFT JOIN appointments a"
                        + " ON a.establishment_id = s.establishment_id AND a.id = s.appointment_id"
                        + " WHERE s.practitioner_id = ? AND s.start_at >= ? AND s.start_at < ? ORDER BY s.start_at")
                .params(practitionerId, utc(from), utc(to))
                .query((rs, n) -> new Availability.AgendaEntry(
                        SLOT.mapRow(rs, n),
                        rs.getObject("appointment_id", UUID.class),
                        rs.getObject("patient_file_id", UUID.class),
                        rs.getBoolean("for_relative")))
                .list();
    }

    /** Blocks a free slot of the practitioner; false if it is not free (booked meanwhile, or already blocked). */
    public boolean block(UUID practitionerId, UUID slotId) {
        return changed(
                practitionerId,
                jdbc.sql("UPDATE slots SET status = 'BLOCKED' WHERE practitioner_id = ? AND id = ? AND status = 'FREE'")
                                .params(practitionerId, slotId)
                                .update()
                        == 1);
    }

    /** Frees a blocked slot of the practitioner; false if it was not blocked. */
    public boolean unblock(UUID practitionerId, UUID slotId) {
        return changed(
                practitionerId,
                jdbc.sql("UPDATE slots SET status = 'FREE' WHERE practitioner_id = ? AND id = ? AND status = 'BLOCKED'")
                                .params(practitionerId, slotId)
                                .update()
                        == 1);
    }

    private boolean changed(UUID practitionerId, boolean changed) {
        if (changed) {
            searches.slotsChanged(practitionerId);
        }
        return changed;
    }

    public record FirstFree(UUID practitionerId, Instant start) {}

    /**
     * A page of {@link #firstFree}: its practitioners, how many of all the given practitioners have a free
     * slot, and the earliest of all their first free slots (when the page is not empty).
     */
    public record FirstFrees(
            List<FirstFree> page, int total, @Nullable Instant earliest) {}

    /**
     * Of the given practitioners, those with a free slot from {@code from}, by their earliest one; with
     * how many they are and the earliest first slot of all, counted over them all in the same statement
     * (window functions, before the page is cut): an empty page past the end knows neither. The
     * correlated {@code MIN} reads one index entry per practitioner ({@code slots_free}), not every free
     * slot they have.
     */
    public FirstFrees firstFree(Collection<UUID> practitionerIds, Instant from, int offset, int limit) {
        int[] total = {0};
        Instant[] earliest = {null};
        List<FirstFree> page = jdbc.sql(
                        "SELECT practitioner_id, first_start, COUNT(*) OVER () AS total, MIN(first_start) OVER ()"
                                + " AS earliest FROM (SELECT a.practitioner_id,"
                                + " (SELECT MIN(s.start_at) FROM slots s WHERE s.practitioner_id = a.practitioner_id"
                                + " AND s.status = 'FREE' AND s.start_at >= :from) AS first_start"
                                + " FROM agendas a WHERE a.practitioner_id IN (:ids)) firsts"
                                + " WHERE first_start IS NOT NULL ORDER BY first_start, practitioner_id LIMIT :limit OFFSET :offset")
                .param("ids", List.copyOf(practitionerIds))
                .param("from", utc(from))
                .param("limit", limit)
                .param("offset", offset)
                .query((rs, n) -> {
                    total[0] = rs.getInt(3);
                    earliest[0] = rs.getObject(4, OffsetDateTime.class).toInstant();
                    return new FirstFree(
                            rs.getObject(1, UUID.class),
                            rs.getObject(2, OffsetDateTime.class).toInstant());
                })
                .list();
        return new FirstFrees(page, total[0], earliest[0]);
    }

    /** How many of the given practitioners have a free slot from {@code from}: one index probe each. */
    public int countWithFree(Collection<UUID> practitionerIds, Instant from) {
        return jdbc.sql("SELECT COUNT(*) FROM agendas a WHERE a.practitioner_id IN (:ids) AND EXISTS"
                        + " (SELECT 1 FROM slots s WHERE s.practitioner_id = a.practitioner_id AND s.status = 'FREE'"
                        + " AND s.start_at >= :from)")
                .param("ids", List.copyOf(practitionerIds))
                .param("from", utc(from))
                .query(Integer.class)
                .single();
    }

    public static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
