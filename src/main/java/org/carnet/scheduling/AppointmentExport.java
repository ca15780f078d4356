package org.carnet.scheduling;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;
import org.carnet.access.AccessDecision;
import org.carnet.access.AccessRequest;
import org.carnet.shared.Action;
import org.carnet.shared.Actor;
import org.carnet.shared.EstablishmentId;
import org.carnet.shared.Field;
import org.carnet.shared.PatientRef;
import org.carnet.shared.Purpose;
import org.carnet.shared.Resource;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * An establishment's appointments starting within a date range, for its export: times, status,
 * practitioner and patient file (never the motive or the comment, which stay sealed). Read by pages of
 * ids, each page in a transaction of its own in which every appointment is decided and recorded by the
 * access decision (purpose {@code export}); memory stays flat whatever the number.
 */
@Service
public class AppointmentExport {

    public static final List<Field> FIELDS = List.of(Field.SLOT, Field.STATUS);
    static final int PAGE = 500;

    /** One appointment as an export writes it. */
    public record ExportedAppointment(
            UUID id,
            UUID practitionerId,
            UUID patientFileId,
            Instant start,
            Instant end,
            String status,
            Instant bookedAt) {}

    private final JdbcClient jdbc;
    private final AccessDecision access;
    private final org.carnet.scheduling.internal.AppointmentStore appointmentStore;
    private final TransactionTemplate pageTransaction;
    private final ZoneId zone;

    AppointmentExport(
            JdbcClient jdbc,
            AccessDecision access,
            org.carnet.scheduling.internal.AppointmentStore appointmentStore,
            PlatformTransactionManager transactions,
            @Value("${carnet.booking.zone}") ZoneId zone) {
        this.jdbc = jdbc;
        this.appointmentStore = appointmentStore;
        this.access = access;
        this.zone = zone;
        this.pageTransaction = new TransactionTemplate(transactions);
        this.pageTransaction.setPropagationBehavior(TransactionTemplate.PROPAGATION_REQUIRES_NEW);
    }

    /**
     * Hands every appointment of the establishment starting from {@code from} to {@code to} (inclusive
     * days, in the booking zone) to {@code sink}, in id order; the number of appointments.
     */
    public long each(
            UUID establishmentId, LocalDate from, LocalDate to, Actor actor, Consumer<ExportedAppointment> sink) {
        OffsetDateTime start = from.atStartOfDay(zone).toOffsetDateTime();
        OffsetDateTime end = to.plusDays(1).atStartOfDay(zone).toOffsetDateTime();
        long count = 0;
        UUID after = null;
        while (true) {
            List<ExportedAppointment> page = page(establishmentId, start, end, actor, after);
            page.forEach(sink);
            count += page.size();
            if (page.size() < PAGE) {
                return count;
            }
            after = page.get(page.size() - 1).id();
        }
    }

    private List<ExportedAppointment> page(
            UUID establishmentId, OffsetDateTime start, OffsetDateTime end, Actor actor, @Nullable UUID after) {
        return Objects.requireNonNull(
                pageTransaction.execute(status -> {
                    List<ExportedAppointment> appointments = new ArrayList<>(PAGE);
                    JdbcClient.StatementSpec select = jdbc.sql(
                                    "SELECT a.id, a.establishment_id, a.practitioner_id, a.patient_account, a.patient_account_id,"
                                            + " a.patient_file_id, a.status, a.booked_at, s.start_at, s.end_at FROM appointments a"
                                            + " JOIN slots s ON s.establishment_id = a.establishment_id AND s.id = a.slot_id"
                                            + " WHERE a.establishment_id = :establishment AND s.start_at >= :start AND s.start_at < :end"
                                            + (after == null ? "" : " AND a.id > :after") + " ORDER BY a.id LIMIT "
                                            + PAGE)
                            .param("establishment", establishmentId)
                            .param("start", start)
                            .param("end", end);
                    if (after != null) {
                        select = select.param("after", after);
                    }
                    select.query(rs -> {
                        UUID id = rs.getObject("id", UUID.class);
                        UUID file = rs.getObject("patient_file_id", UUID.class);
                        access.require(new AccessRequest(
                                actor,
                                PatientRef.of(appointmentStore.accountOf(rs), file),
                                EstablishmentId.of(establishmentId),
                                Action.READ,
                                Resource.APPOINTMENT,
                                FIELDS,
                                Purpose.EXPORT));
                        appointments.add(new ExportedAppointment(
                                id,
                                rs.getObject("practitioner_id", UUID.class),
                                file,
                                rs.getObject("start_at", OffsetDateTime.class).toInstant(),
                                rs.getObject("end_at", OffsetDateTime.class).toInstant(),
                                rs.getString("status"),
                                rs.getObject("booked_at", OffsetDateTime.class).toInstant()));
                    });
                    return appointments;
                }),
                "page");
    }
}
