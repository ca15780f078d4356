package org.carnet.scheduling;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.carnet.access.ReadOnlyEstablishments;
import org.carnet.directory.Directory;
import org.carnet.directory.Practitioner;
import org.carnet.scheduling.internal.SearchInvalidations;
import org.carnet.scheduling.internal.SlotGenerator;
import org.carnet.scheduling.internal.SlotStore;
import org.carnet.shared.InvalidRequestException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Practitioners' agendas: their weekly opening hours, absences, and the slots generated from them. An
 * establishment in read-only mode ({@link ReadOnlyEstablishments}) has its agenda changes refused; the
 * platform's own generation of slots up to the horizon goes on.
 */
@Service
public class Agendas {

    private final JdbcClient jdbc;
    private final JdbcTemplate jdbcTemplate;
    private final Directory directory;
    private final SlotStore slots;
    private final SearchInvalidations searches;
    private final ReadOnlyEstablishments readOnly;
    private final BookingProperties properties;
    private final Clock clock;

    Agendas(
            JdbcClient jdbc,
            JdbcTemplate jdbcTemplate,
            Directory directory,
            SlotStore slots,
            SearchInvalidations searches,
            ReadOnlyEstablishments readOnly,
            BookingProperties properties,
            Clock clock) {
        this.jdbc = jdbc;
        this.jdbcTemplate = jdbcTemplate;
        this.directory = directory;
        this.slots = slots;
        this.searches = searches;
        this.readOnly = readOnly;
        this.properties = properties;
        this.clock = clock;
    }

    /** A practitioner's slot length and weekly opening hours, by day then opening time. */
    public record Schedule(int slotMinutes, List<WeeklyHours> hours) {}

    /** The practitioner's current schedule, or empty if they have no agenda yet. */
    @Transactional(readOnly = true)
    public java.util.Optional<Schedule> schedule(UUID practitionerId) {
        return jdbc.sql("SELECT slot_minutes FROM agendas WHERE practitioner_id = ?")
                .param(practitionerId)
                .query(Integer.class)
                .optional()
                .map(minutes -> new Schedule(
                        minutes,
                        jdbc.sql("SELECT day_of_week, opens_at, closes_at FROM opening_hours WHERE practitioner_id = ?"
                                        + " ORDER BY day_of_week, opens_at")
                                .param(practitionerId)
                                .query((rs, n) -> new WeeklyHours(
                                        java.time.DayOfWeek.of(rs.getInt(1)),
                                        rs.getObject(2, java.time.LocalTime.class),
                                        rs.getObject(3, java.time.LocalTime.class)))
                                .list()));
    }

    /**
     * Sets a practitioner's weekly opening hours and slot length. Future free slots are generated
     * again from the new pattern; booked and blocked slots stay, and no new slot overlaps them.
     */
    @Transactional
    public void defineOpeningHours(UUID practitionerId, int slotMinutes, List<WeeklyHours> pattern) {
        if (slotMinutes < 5 || slotMinutes > 240) {
            throw new InvalidRequestException("slotMinutes", "must be between 5 and 240");
        }
        Practitioner practitioner = directory
                .practitioner(practitionerId)
                .orElseThrow(() -> new InvalidRequestException("practitionerId", "unknown practitioner"));
        UUID establishmentId = practitioner.establishmentId();
        readOnly.requireWritable(establishmentId);
        searches.slotsChanged(practitionerId);
        int updated = jdbc.sql("UPDATE agendas SET slot_minutes = ? WHERE establishment_id = ? AND practitioner_id = ?")
                .params(slotMinutes, establishmentId, practitionerId)
                .update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO agendas (establishment_id, practitioner_id, slot_minutes) VALUES (?, ?, ?)")
                    .params(establishmentId, practitionerId, slotMinutes)
                    .update();
        }
        jdbc.sql("DELETE FROM opening_hours WHERE establishment_id = ? AND practitioner_id = ?")
                .params(establishmentId, practitionerId)
                .update();
        if (updated > 0) {
            jdbc.sql("DELETE FROM slots WHERE establishment_id = ? AND practitioner_id = ? AND status = 'FREE'"
                            + " AND start_at > ?")
                    .params(establishmentId, practitionerId, SlotStore.utc(clock.instant()))
                    .update();
            jdbc.sql("UPDATE agendas SET generated_until = NULL WHERE establishment_id = ? AND practitioner_id = ?")
                    .params(establishmentId, practitionerId)
                    .update();
        }
        jdbcTemplate.batchUpdate(
                "INSERT INTO opening_hours (establishment_id, practitioner_id, day_of_week, opens_at, closes_at)"
                        + " VALUES (?, ?, ?, ?, ?)",
                pattern,
                pattern.size(),
                (ps, hours) -> {
                    ps.setObject(1, establishmentId);
                    ps.setObject(2, practitionerId);
                    ps.setInt(3, hours.day().getValue());
                    ps.setObject(4, hours.opens());
                    ps.setObject(5, hours.closes());
                });
        fillHorizon(practitionerId);
    }

    /**
     * Records an absence: free slots inside it disappear and no new ones are generated there. Booked
     * appointments are never cancelled silently: their slots stay, and their ids are returned so that
     * staff can move or cancel them and tell the patients.
     */
    @Transactional
    public List<UUID> addAbsence(UUID practitionerId, java.time.Instant start, java.time.Instant end) {
        if (start == null || end == null || !start.isBefore(end)) {
            throw new InvalidRequestException("absence", "must start before it ends");
        }
        Practitioner practitioner = directory
                .practitioner(practitionerId)
                .orElseThrow(() -> new InvalidRequestException("practitionerId", "unknown practitioner"));
        UUID establishmentId = practitioner.establishmentId();
        readOnly.requireWritable(establishmentId);
        jdbc.sql(
                        "INSERT INTO absences (establishment_id, id, practitioner_id, starts_at, ends_at) VALUES (?, ?, ?, ?, ?)")
                .params(
                        establishmentId,
                        UUID.randomUUID(),
                        practitionerId,
                        start.atOffset(ZoneOffset.UTC),
                        end.atOffset(ZoneOffset.UTC))
                .update();
        searches.slotsChanged(practitionerId);
        jdbc.sql("DELETE FROM slots WHERE establishment_id = ? AND practitioner_id = ? AND status = 'FREE'"
                        + " AND start_at < ? AND end_at > ?")
                .params(establishmentId, practitionerId, end.atOffset(ZoneOffset.UTC), start.atOffset(ZoneOffset.UTC))
                .update();
        return jdbc.sql("SELECT appointment_id FROM slots WHERE establishment_id = ? AND practitioner_id = ?"
                        + " AND status = 'BOOKED' AND start_at < ? AND end_at > ? ORDER BY start_at")
                .params(establishmentId, practitionerId, end.atOffset(ZoneOffset.UTC), start.atOffset(ZoneOffset.UTC))
                .query(UUID.class)
                .list();
    }

    /** Blocks a free slot of the practitioner so that nobody can book it; false if it was not free. */
    @Transactional
    public boolean blockSlot(UUID practitionerId, UUID slotId) {
        refuseIfReadOnly(practitionerId);
        return slots.block(practitionerId, slotId);
    }

    /** Makes a blocked slot of the practitioner bookable again; false if it was not blocked. */
    @Transactional
    public boolean unblockSlot(UUID practitionerId, UUID slotId) {
        refuseIfReadOnly(practitionerId);
        return slots.unblock(practitionerId, slotId);
    }

    /** An establishment in read-only mode (incident containment) keeps its agenda as it is. */
    private void refuseIfReadOnly(UUID practitionerId) {
        directory.practitioner(practitionerId).ifPresent(p -> readOnly.requireWritable(p.establishmentId()));
    }

    /** Generates the missing slots of one practitioner up to the horizon; already generated ones stay. */
    @Transactional
    public int fillHorizon(UUID practitionerId) {
        AgendaRow agenda = jdbc.sql("SELECT establishment_id, slot_minutes, generated_until FROM agendas"
                        + " WHERE practitioner_id = ?")
                .param(practitionerId)
                .query((rs, n) ->
                        new AgendaRow(rs.getObject(1, UUID.class), rs.getInt(2), rs.getObject(3, LocalDate.class)))
                .optional()
                .orElseThrow(() -> new InvalidRequestException("practitionerId", "has no opening hours"));
        LocalDate today = LocalDate.now(clock.withZone(properties.zone()));
        LocalDate until = today.plusWeeks(properties.horizonWeeks());
        LocalDate from =
                agenda.generatedUntil() == null || agenda.generatedUntil().isBefore(today)
                        ? today
                        : agenda.generatedUntil();
        if (!from.isBefore(until)) {
            return 0;
        }
        List<WeeklyHours> pattern = jdbc.sql("SELECT day_of_week, opens_at, closes_at FROM opening_hours"
                        + " WHERE establishment_id = ? AND practitioner_id = ?")
                .params(agenda.establishmentId(), practitionerId)
                .query((rs, n) -> new WeeklyHours(
                        java.time.DayOfWeek.of(rs.getInt(1)),
                        rs.getObject(2, java.time.LocalTime.class),
                        rs.getObject(3, java.time.LocalTime.class)))
                .list();
        List<TimeRange> absences = jdbc.sql(
                        "SELECT starts_at, ends_at FROM absences WHERE practitioner_id = ?" + " AND ends_at > ?")
                .params(practitionerId, from.atStartOfDay(properties.zone()).toOffsetDateTime())
                .query((rs, n) -> new TimeRange(
                        rs.getObject(1, java.time.OffsetDateTime.class).toInstant(),
                        rs.getObject(2, java.time.OffsetDateTime.class).toInstant()))
                .list();
        // Booked and blocked slots (perhaps of another length, before the hours changed) are kept clear.
        List<TimeRange> taken = new java.util.ArrayList<>(absences);
        taken.addAll(jdbc.sql("SELECT start_at, end_at FROM slots WHERE practitioner_id = ? AND status <> 'FREE'"
                        + " AND end_at > ?")
                .params(practitionerId, from.atStartOfDay(properties.zone()).toOffsetDateTime())
                .query((rs, n) -> new TimeRange(
                        rs.getObject(1, java.time.OffsetDateTime.class).toInstant(),
                        rs.getObject(2, java.time.OffsetDateTime.class).toInstant()))
                .list());
        List<TimeRange> slots =
                SlotGenerator.generate(pattern, taken, from, until, agenda.slotMinutes(), properties.zone());
        jdbcTemplate.batchUpdate(
                "INSERT INTO slots (establishment_id, id, practitioner_id, start_at, end_at, status)"
                        + " VALUES (?, ?, ?, ?, ?, 'FREE') ON CONFLICT DO NOTHING",
                slots,
                500,
                (ps, slot) -> {
                    ps.setObject(1, agenda.establishmentId());
                    ps.setObject(2, UUID.randomUUID());
                    ps.setObject(3, practitionerId);
                    ps.setObject(4, slot.start().atOffset(ZoneOffset.UTC));
                    ps.setObject(5, slot.end().atOffset(ZoneOffset.UTC));
                });
        jdbc.sql("UPDATE agendas SET generated_until = ? WHERE establishment_id = ? AND practitioner_id = ?")
                .params(until, agenda.establishmentId(), practitionerId)
                .update();
        if (!slots.isEmpty()) {
            searches.slotsChanged(practitionerId);
        }
        return slots.size();
    }

    /** The practitioners whose horizon is short of the configured number of weeks. */
    List<UUID> agendasToFill() {
        LocalDate until = LocalDate.now(clock.withZone(properties.zone())).plusWeeks(properties.horizonWeeks());
        return jdbc.sql("SELECT practitioner_id FROM agendas WHERE generated_until IS NULL OR generated_until < ?")
                .param(until)
                .query(UUID.class)
                .list();
    }

    private record AgendaRow(UUID establishmentId, int slotMinutes, LocalDate generatedUntil) {}
}
