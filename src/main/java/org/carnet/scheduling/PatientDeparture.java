package org.carnet.scheduling;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.carnet.access.AccessDecision;
import org.carnet.access.AccessRequest;
import org.carnet.directory.Directory;
import org.carnet.directory.Practitioner;
import org.carnet.patients.FileAccounts;
import org.carnet.scheduling.internal.AppointmentStore;
import org.carnet.scheduling.internal.SlotStore;
import org.carnet.shared.Action;
import org.carnet.shared.Actor;
import org.carnet.shared.EstablishmentId;
import org.carnet.shared.Field;
import org.carnet.shared.PatientRef;
import org.carnet.shared.Purpose;
import org.carnet.shared.Resource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * A patient erases their account (see docs/privacy.md): the booking side of it, in the caller's
 * transaction. Their future appointments are cancelled as if they had cancelled each one (whatever the
 * cut-off): the slot is freed, the practice's agenda shows the cancellation and {@link
 * AppointmentCancelled} is published. Which establishments keep a medical record of them is answered
 * from ids and times only.
 */
@Service
public class PatientDeparture {

    private static final List<Field> CHANGED = List.of(Field.SLOT, Field.STATUS);
    private static final List<Field> FORGOTTEN = List.of(Field.COMMENT, Field.FIRST_NAME, Field.LAST_NAME);

    private final AppointmentStore appointments;
    private final SlotStore slots;
    private final Directory directory;
    private final AccessDecision access;
    private final JdbcClient jdbc;
    private final org.springframework.context.ApplicationEventPublisher events;
    private final FileAccounts fileAccounts;
    private final Clock clock;

    PatientDeparture(
            AppointmentStore appointments,
            SlotStore slots,
            Directory directory,
            AccessDecision access,
            JdbcClient jdbc,
            org.springframework.context.ApplicationEventPublisher events,
            FileAccounts fileAccounts,
            Clock clock) {
        this.fileAccounts = fileAccounts;
        this.appointments = appointments;
        this.slots = slots;
        this.directory = directory;
        this.access = access;
        this.jdbc = jdbc;
        this.events = events;
        this.clock = clock;
    }

    /** Cancels the patient's booked appointments that have not started, each recorded as the erasure's; how many. */
    @Transactional(propagation = Propagation.MANDATORY)
    public int cancelFuture(Actor.Person patient) {
        Instant now = clock.instant();
        List<Appointment> future = appointments.ofPatient(patient.subjectId()).stream()
                .filter(a ->
                        a.status() == Appointment.Status.BOOKED && a.start().isAfter(now))
                .toList();
        Map<UUID, Practitioner> practitioners = directory.practitioners(
                future.stream().map(Appointment::practitionerId).toList());
        for (Appointment appointment : future) {
            access.require(new AccessRequest(
                    patient,
                    appointment.patient(),
                    appointment.establishment(),
                    Action.UPDATE,
                    Resource.APPOINTMENT,
                    CHANGED,
                    Purpose.ERASURE));
            // Like the practice, an erasure cancels after the patients' cut-off too: the account is going.
            Appointment cancelled = appointment.cancelledByPractice();
            if (appointments.markCancelled(cancelled, now)) {
                slots.release(
                        appointment.establishmentId(),
                        appointment.practitionerId(),
                        appointment.slotId(),
                        appointment.id());
                Practitioner practitioner = practitioners.get(appointment.practitionerId());
                events.publishEvent(AppointmentCancelled.of(
                        appointment, practitioner == null ? "" : practitioner.displayName(), ActedBy.PATIENT, now));
            }
        }
        return future.size();
    }

    /**
     * The establishments that keep a medical record of the patient: at least one appointment there
     * that was not cancelled and has started. Ids and times only, nothing sealed is read.
     */
    public Set<UUID> establishmentsWithPastConsultations(UUID patientAccountId) {
        Set<UUID> establishments = new LinkedHashSet<>();
        for (FileAccounts.FileRef file : fileAccounts.filesOf(patientAccountId)) {
            boolean consulted = jdbc.sql("SELECT 1 FROM appointments a JOIN slots s ON s.establishment_id ="
                            + " a.establishment_id AND s.id = a.slot_id WHERE a.establishment_id = ?"
                            + " AND a.patient_file_id = ? AND a.status = 'BOOKED' AND s.start_at <= ?"
                            + " FETCH FIRST 1 ROWS ONLY")
                    .params(file.establishmentId(), file.fileId(), SlotStore.utc(clock.instant()))
                    .query(Integer.class)
                    .optional()
                    .isPresent();
            if (consulted) {
                establishments.add(file.establishmentId());
            }
        }
        return establishments;
    }

    /**
     * Forgets the patient's own words (comment) and the relative named on their cancelled appointments
     * at every establishment but those keeping a medical record, each establishment's forgetting recorded;
     * the motive stays, sealed, as the practice's agenda history. Run after {@link #cancelFuture} and before
     * the patient's files there are erased (they are the way to the appointments).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void forgetCancelled(Actor.Person patient, Collection<UUID> keepingRecords) {
        for (FileAccounts.FileRef file : fileAccounts.filesOf(patient.subjectId())) {
            UUID establishment = file.establishmentId();
            if (keepingRecords.contains(establishment)) {
                continue;
            }
            int changed = jdbc.sql("UPDATE appointments SET comment = NULL, for_relative = NULL"
                            + " WHERE establishment_id = ? AND patient_file_id = ? AND status = 'CANCELLED'"
                            + " AND (comment IS NOT NULL OR for_relative IS NOT NULL)")
                    .params(establishment, file.fileId())
                    .update();
            if (changed > 0) {
                access.require(new AccessRequest(
                        patient,
                        PatientRef.account(patient.subjectId()),
                        EstablishmentId.of(establishment),
                        Action.DELETE,
                        Resource.APPOINTMENT,
                        FORGOTTEN,
                        Purpose.ERASURE));
            }
        }
    }
}
