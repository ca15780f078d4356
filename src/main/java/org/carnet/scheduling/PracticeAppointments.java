package org.carnet.scheduling;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.carnet.access.AccessDecision;
import org.carnet.access.AccessRequest;
import org.carnet.directory.Directory;
import org.carnet.directory.Practitioner;
import org.carnet.patients.FileSummary;
import org.carnet.patients.PatientFiles;
import org.carnet.scheduling.internal.AppointmentStore;
import org.carnet.scheduling.internal.SlotStore;
import org.carnet.shared.Action;
import org.carnet.shared.Actor;
import org.carnet.shared.ConflictException;
import org.carnet.shared.Field;
import org.carnet.shared.NotFoundException;
import org.carnet.shared.PageParams;
import org.carnet.shared.Purpose;
import org.carnet.shared.Resource;
import org.carnet.shared.Role;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * What practitioners and staff do with the appointments of their establishment's agendas: open one
 * (the patient's identity and contact; the motive for the practitioner only), cancel or move one, and
 * record an absence, whose booked appointments are listed. Each change publishes its event
 * ({@link AppointmentCancelled}, {@link AppointmentMoved}, {@link AppointmentAffectedByAbsence}), on
 * which the patient is told in their inbox. A practitioner acts on their own agenda only; staff on
 * those of their establishment.
 */
@Component
public class PracticeAppointments {

    static final List<Field> MOTIVE_FIELDS = List.of(Field.SLOT, Field.MOTIVE, Field.COMMENT);
    static final List<Field> SLOT_FIELDS = List.of(Field.SLOT);

    /** An appointment opened for a professional; {@code motive} and {@code comment} null for staff. */
    public record Detail(Appointment appointment, FileSummary patient, boolean motiveShown) {}

    private final AppointmentStore appointments;
    private final SlotStore slots;
    private final Agendas agendas;
    private final PatientFiles patientFiles;
    private final Directory directory;
    private final ApplicationEventPublisher events;
    private final AccessDecision access;
    private final Clock clock;

    PracticeAppointments(
            AppointmentStore appointments,
            SlotStore slots,
            Agendas agendas,
            PatientFiles patientFiles,
            Directory directory,
            ApplicationEventPublisher events,
            AccessDecision access,
            Clock clock) {
        this.appointments = appointments;
        this.slots = slots;
        this.agendas = agendas;
        this.patientFiles = patientFiles;
        this.directory = directory;
        this.events = events;
        this.access = access;
        this.clock = clock;
    }

    /** The practitioner whose agenda this professional may work on, or empty. */
    public Optional<Practitioner> agendaOf(Actor.Person professional, @Nullable UUID practitionerId) {
        if (professional.role() == Role.PRACTITIONER) {
            return directory.practitioner(professional.subjectId());
        }
        if ((professional.role() == Role.STAFF || professional.role() == Role.ESTABLISHMENT_ADMIN)
                && practitionerId != null) {
            return directory
                    .practitioner(practitionerId)
                    .filter(p -> p.establishmentId().equals(professional.establishmentId()));
        }
        return Optional.empty();
    }

    /**
     * The agenda asked for in a page address ({@code practitioner=}): a practitioner's own whatever the
     * parameter; for staff the given practitioner of their establishment, or the first one.
     */
    public Practitioner agendaFor(Actor.Person professional, @Nullable String practitionerParam) {
        UUID wanted = PageParams.uuid(practitionerParam).orElse(null);
        if (professional.role() != Role.PRACTITIONER && wanted == null) {
            wanted = directory.practitionersOf(professional.professionalEstablishmentId()).stream()
                    .findFirst()
                    .map(Practitioner::id)
                    .orElse(null);
        }
        return agendaOf(professional, wanted).orElseThrow(() -> new NotFoundException("Practitioner"));
    }

    @Transactional
    public Detail open(Actor.Person professional, UUID appointmentId) {
        Appointment appointment = allowed(professional, appointmentId);
        boolean practitioner = professional.role() == Role.PRACTITIONER;
        FileSummary patient = patientFiles
                .file(appointment.establishmentId(), appointment.patientFileId(), professional, Purpose.AGENDA)
                .orElseThrow(() -> new NotFoundException("Patient file"));
        record(professional, appointment, Action.READ, practitioner ? MOTIVE_FIELDS : SLOT_FIELDS, Purpose.AGENDA);
        return new Detail(appointment, patient, practitioner);
    }

    @Transactional
    public void cancel(Actor.Person professional, UUID appointmentId, String practitionerName) {
        Appointment appointment = allowed(professional, appointmentId);
        Appointment cancelled = appointment.cancelledByPractice();
        Instant now = clock.instant();
        if (!appointments.markCancelled(cancelled, now)) {
            throw new ConflictException("The appointment is already cancelled");
        }
        slots.release(
                appointment.establishmentId(), appointment.practitionerId(), appointment.slotId(), appointment.id());
        record(professional, appointment, Action.UPDATE, SLOT_FIELDS, Purpose.CANCELLATION_BY_PRACTICE);
        events.publishEvent(AppointmentCancelled.of(appointment, practitionerName, ActedBy.PRACTICE, now));
    }

    /**
     * Moves a booked appointment to another free slot of the same practitioner, atomically (no cut-off
     * for the practice).
     */
    @Transactional
    public void move(Actor.Person professional, UUID appointmentId, UUID newSlotId, String practitionerName) {
        Appointment appointment = allowed(professional, appointmentId);
        if (appointment.status() != Appointment.Status.BOOKED) {
            throw new ConflictException("The appointment is cancelled");
        }
        Slot target = slots.find(newSlotId)
                .filter(s -> s.practitionerId().equals(appointment.practitionerId()))
                .orElseThrow(() -> new NotFoundException("Slot"));
        if (!slots.book(target, appointment.id(), clock.instant())) {
            throw new ConflictException("This slot is no longer available");
        }
        slots.release(
                appointment.establishmentId(), appointment.practitionerId(), appointment.slotId(), appointment.id());
        if (!appointments.moveTo(appointment, target.id())) {
            throw new ConflictException("The appointment changed meanwhile");
        }
        record(professional, appointment, Action.UPDATE, SLOT_FIELDS, Purpose.RESCHEDULING_BY_PRACTICE);
        events.publishEvent(
                AppointmentMoved.of(appointment, target, practitionerName, ActedBy.PRACTICE, clock.instant()));
    }

    /**
     * Records an absence of the practitioner. Free slots inside it go; booked appointments stay booked
     * (never cancelled silently) and are returned, each with its {@link AppointmentAffectedByAbsence}.
     */
    @Transactional
    public List<Appointment> addAbsence(
            Actor.Person professional, Practitioner practitioner, Instant start, Instant end) {
        List<UUID> booked = agendas.addAbsence(practitioner.id(), start, end);
        List<Appointment> affected =
                booked.stream().map(id -> appointments.find(id).orElseThrow()).toList();
        Instant now = clock.instant();
        for (Appointment appointment : affected) {
            record(professional, appointment, Action.READ, SLOT_FIELDS, Purpose.ABSENCE);
            events.publishEvent(
                    AppointmentAffectedByAbsence.of(appointment, practitioner.displayName(), start, end, now));
        }
        return affected;
    }

    private Appointment allowed(Actor.Person professional, UUID appointmentId) {
        return appointments
                .find(appointmentId)
                .filter(a -> a.establishmentId().equals(professional.establishmentId()))
                .filter(a -> professional.role() != Role.PRACTITIONER
                        || a.practitionerId().equals(professional.subjectId()))
                .filter(a -> professional.role() == Role.PRACTITIONER || professional.role() == Role.STAFF)
                .orElseThrow(() -> new NotFoundException("Appointment"));
    }

    /** Asks the access decision for this change or read of the appointment; refused: not found. */
    private void record(
            Actor.Person professional, Appointment appointment, Action action, List<Field> fields, Purpose purpose) {
        access.require(new AccessRequest(
                professional,
                appointment.patient(),
                appointment.establishment(),
                action,
                Resource.APPOINTMENT,
                fields,
                purpose));
    }
}
