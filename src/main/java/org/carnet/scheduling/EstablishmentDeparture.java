package org.carnet.scheduling;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.carnet.directory.Directory;
import org.carnet.directory.Practitioner;
import org.carnet.scheduling.internal.SearchInvalidations;
import org.carnet.shared.AppointmentId;
import org.carnet.shared.EstablishmentId;
import org.carnet.shared.PatientAccountId;
import org.carnet.shared.PatientFileId;
import org.carnet.shared.PractitionerId;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * An establishment leaves Carnet (its data exported, its keys about to be destroyed): its agendas stop,
 * in the caller's transaction. Opening hours and future free slots go (the others are blocked); future appointments
 * are cancelled by the practice, each published as {@link AppointmentCancelled} so their patients are
 * told (with ids and times only: nothing sealed is read, since the keys go next). Past appointments
 * stay, sealed, for the keys' destruction to make unreadable. Recorded in the access log once, by the
 * caller, as the departure's own act.
 */
@Service
public class EstablishmentDeparture {

    private record Future(
            UUID id, UUID practitionerId, @Nullable UUID patientAccountId, UUID patientFileId, Instant start) {}

    private final JdbcClient jdbc;
    private final Directory directory;
    private final org.carnet.scheduling.internal.AppointmentStore appointmentStore;
    private final ApplicationEventPublisher events;
    private final SearchInvalidations searches;
    private final Clock clock;

    EstablishmentDeparture(
            JdbcClient jdbc,
            Directory directory,
            org.carnet.scheduling.internal.AppointmentStore appointmentStore,
            ApplicationEventPublisher events,
            SearchInvalidations searches,
            Clock clock) {
        this.jdbc = jdbc;
        this.appointmentStore = appointmentStore;
        this.directory = directory;
        this.events = events;
        this.searches = searches;
        this.clock = clock;
    }

    /** Stops the establishment's agendas; the number of future appointments cancelled. */
    @Transactional(propagation = Propagation.MANDATORY)
    public int stop(UUID establishmentId) {
        Instant now = clock.instant();
        OffsetDateTime after = now.atOffset(ZoneOffset.UTC);
        // Its practitioners leave the search (the directory closes the establishment in this transaction too).
        searches.allSlotsChanged();
        List<Future> future = jdbc.sql("SELECT a.id, a.practitioner_id, a.establishment_id, a.patient_account,"
                        + " a.patient_account_id, a.patient_file_id,"
                        + " s.start_at FROM appointments a JOIN slots s ON s.id = a.slot_id"
                        + " WHERE a.establishment_id = ? AND a.status = 'BOOKED' AND s.start_at > ?")
                .params(establishmentId, after)
                .query((rs, n) -> new Future(
                        rs.getObject(1, UUID.class),
                        rs.getObject(2, UUID.class),
                        appointmentStore.accountOf(rs),
                        rs.getObject("patient_file_id", UUID.class),
                        rs.getObject("start_at", OffsetDateTime.class).toInstant()))
                .list();
        jdbc.sql("DELETE FROM opening_hours WHERE establishment_id = ?")
                .param(establishmentId)
                .update();
        jdbc.sql("UPDATE slots SET status = 'BLOCKED', appointment_id = NULL"
                        + " WHERE establishment_id = ? AND status = 'BOOKED' AND start_at > ?")
                .params(establishmentId, after)
                .update();
        jdbc.sql("UPDATE appointments SET status = 'CANCELLED', cancelled_at = ? WHERE establishment_id = ?"
                        + " AND status = 'BOOKED' AND slot_id IN (SELECT id FROM slots WHERE establishment_id = ?"
                        + " AND start_at > ?)")
                .params(after, establishmentId, establishmentId, after)
                .update();
        Map<UUID, Practitioner> practitioners = directory.practitioners(
                future.stream().map(Future::practitionerId).collect(Collectors.toSet()));
        for (Future appointment : future) {
            Practitioner practitioner = practitioners.get(appointment.practitionerId());
            events.publishEvent(new AppointmentCancelled(
                    AppointmentId.of(appointment.id()),
                    EstablishmentId.of(establishmentId),
                    PractitionerId.of(appointment.practitionerId()),
                    practitioner == null ? "" : practitioner.displayName(),
                    appointment.patientAccountId() == null ? null : PatientAccountId.of(appointment.patientAccountId()),
                    PatientFileId.of(appointment.patientFileId()),
                    appointment.start(),
                    ActedBy.PRACTICE,
                    now));
        }
        jdbc.sql("DELETE FROM slots WHERE establishment_id = ? AND status = 'FREE' AND start_at > ?")
                .params(establishmentId, after)
                .update();
        return future.size();
    }
}
