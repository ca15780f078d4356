package org.carnet.scheduling;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.carnet.access.AccessDecision;
import org.carnet.access.AccessRequest;
import org.carnet.directory.Directory;
import org.carnet.directory.Practitioner;
import org.carnet.directory.VisitMotive;
import org.carnet.patients.FileSummary;
import org.carnet.patients.PatientFiles;
import org.carnet.patients.Sex;
import org.carnet.scheduling.internal.AppointmentStore;
import org.carnet.scheduling.internal.SlotStore;
import org.carnet.shared.Action;
import org.carnet.shared.Actor;
import org.carnet.shared.ConflictException;
import org.carnet.shared.Field;
import org.carnet.shared.InvalidRequestException;
import org.carnet.shared.NotFoundException;
import org.carnet.shared.Purpose;
import org.carnet.shared.Resource;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Bookings made by the practice on a patient's behalf (over the phone), on a file of the
 * establishment: an existing one, or one made for a new patient in the same transaction, so that a
 * failed booking leaves no file behind. Each publishes {@link AppointmentBooked}.
 */
@Component
public class PhoneBookings {

    /** A new patient's identity and contact, as typed by staff. Redacted {@code toString}. */
    public record NewPatientFile(
            String firstName,
            String lastName,
            LocalDate birthDate,
            Sex sex,
            String phone,
            @Nullable String email) {
        @Override
        public String toString() {
            return "NewPatientFile[redacted]";
        }
    }

    private final SlotStore slots;
    private final AppointmentStore appointments;
    private final PracticeAppointments practice;
    private final PatientFiles patients;
    private final Directory directory;
    private final AccessDecision access;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    PhoneBookings(
            SlotStore slots,
            AppointmentStore appointments,
            PracticeAppointments practice,
            PatientFiles patients,
            Directory directory,
            AccessDecision access,
            ApplicationEventPublisher events,
            Clock clock) {
        this.slots = slots;
        this.appointments = appointments;
        this.practice = practice;
        this.patients = patients;
        this.directory = directory;
        this.access = access;
        this.events = events;
        this.clock = clock;
    }

    /** The slot, if it belongs to an agenda this professional works on. */
    public Slot slot(Actor.Person professional, UUID slotId) {
        Slot slot = slots.find(slotId).orElseThrow(() -> new NotFoundException("Slot"));
        boolean worksOnIt = practice.agendaOf(professional, slot.practitionerId())
                .filter(p -> p.id().equals(slot.practitionerId()))
                .isPresent();
        if (!worksOnIt) {
            throw new NotFoundException("Slot");
        }
        return slot;
    }

    @Transactional
    public UUID book(Actor.Person professional, UUID slotId, UUID motiveId, UUID fileId) {
        Slot slot = slot(professional, slotId);
        FileSummary file = patients.file(slot.establishmentId(), fileId, professional, Purpose.PHONE_BOOKING)
                .orElseThrow(() -> new InvalidRequestException("fileId", "is not a file of this establishment"));
        return bookOn(professional, slot, motiveId, file);
    }

    @Transactional
    public UUID bookNewPatient(Actor.Person professional, UUID slotId, UUID motiveId, NewPatientFile patient) {
        Slot slot = slot(professional, slotId);
        motive(slot, motiveId);
        UUID fileId = patients.create(
                slot.establishmentId(),
                patient.firstName(),
                patient.lastName(),
                patient.birthDate(),
                patient.sex(),
                patient.phone(),
                patient.email(),
                professional);
        FileSummary file = new FileSummary(
                fileId, null, patient.firstName(), patient.lastName(), patient.birthDate(), patient.phone());
        return bookOn(professional, slot, motiveId, file);
    }

    private UUID bookOn(Actor.Person professional, Slot slot, UUID motiveId, FileSummary file) {
        VisitMotive motive = motive(slot, motiveId);
        Instant now = clock.instant();
        UUID appointmentId = UUID.randomUUID();
        if (!slots.book(slot, appointmentId, now)) {
            throw new ConflictException("This slot is no longer available");
        }
        Appointment appointment = new Appointment(
                appointmentId,
                slot.establishmentId(),
                slot.practitionerId(),
                file.patientAccountId(),
                file.fileId(),
                slot.id(),
                slot.start(),
                slot.end(),
                motive.id(),
                motive.label(),
                null,
                Appointment.Status.BOOKED,
                now,
                null);
        appointments.insert(appointment);
        // The visit motive is the kind of appointment the practice chose on the phone, not the patient's
        // own words: the booking writes the slot for this patient.
        access.require(new AccessRequest(
                professional,
                appointment.patient(),
                appointment.establishment(),
                Action.CREATE,
                Resource.APPOINTMENT,
                List.of(Field.SLOT),
                Purpose.PHONE_BOOKING));
        events.publishEvent(AppointmentBooked.of(appointment, ActedBy.PRACTICE));
        return appointmentId;
    }

    private VisitMotive motive(Slot slot, UUID motiveId) {
        return directory
                .motive(motiveId)
                .filter(m -> m.practitionerId().equals(slot.practitionerId()))
                .orElseThrow(() -> new InvalidRequestException("motiveId", "is not a motive of this practitioner"));
    }

    public Practitioner practitionerOf(Slot slot) {
        return directory.practitioner(slot.practitionerId()).orElseThrow();
    }
}
