package org.carnet.scheduling;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.carnet.access.AccessDecision;
import org.carnet.access.AccessRequest;
import org.carnet.access.Grant;
import org.carnet.directory.Directory;
import org.carnet.directory.Establishment;
import org.carnet.directory.Practitioner;
import org.carnet.directory.VisitMotive;
import org.carnet.identity.EmailConfirmations;
import org.carnet.patients.PatientFiles;
import org.carnet.patients.Relatives;
import org.carnet.scheduling.internal.AppointmentStore;
import org.carnet.scheduling.internal.BookingRequests;
import org.carnet.scheduling.internal.SlotStore;
import org.carnet.shared.Action;
import org.carnet.shared.Actor;
import org.carnet.shared.ConflictException;
import org.carnet.shared.DataCategory;
import org.carnet.shared.Field;
import org.carnet.shared.ForbiddenException;
import org.carnet.shared.InvalidRequestException;
import org.carnet.shared.NotFoundException;
import org.carnet.shared.Purpose;
import org.carnet.shared.Resource;
import org.carnet.shared.Role;
import org.carnet.shared.UnprocessableException;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Booking, cancelling and rescheduling by a patient. Every change is one transaction, which publishes
 * its event ({@link AppointmentBooked}, {@link AppointmentCancelled}, {@link AppointmentMoved}); a slot
 * goes to exactly one appointment because booking it is a conditional update that only one
 * transaction can win.
 */
@Service
public class Bookings {

    /** What a patient asks to book, for themselves or (with {@code relativeId}) for one of their relatives. */
    public record BookingRequest(
            UUID slotId,
            UUID motiveId,
            @Nullable String comment,
            @Nullable UUID relativeId) {
        public BookingRequest(UUID slotId, UUID motiveId, @Nullable String comment) {
            this(slotId, motiveId, comment, null);
        }

        @Override
        public String toString() {
            return "BookingRequest[slot=" + slotId + "]";
        }
    }

    /** The appointment, and whether this request created it or found it from an earlier one with the same key. */
    public record Outcome(AppointmentView appointment, boolean created) {}

    /** The reason a booking is refused until the patient's address is confirmed (the problem type). */
    public static final String ADDRESS_NOT_CONFIRMED = "email-not-confirmed";

    private static final List<Field> APPOINTMENT_FIELDS = List.of(Field.SLOT, Field.MOTIVE, Field.COMMENT);
    /** An appointment for a relative also shows who the relative is. */
    private static final List<Field> RELATIVE_FIELDS = List.of(Field.FIRST_NAME, Field.LAST_NAME);

    private final SlotStore slots;
    private final AppointmentStore appointments;
    private final BookingRequests requests;
    private final PatientFiles patientFiles;
    private final Relatives relatives;
    private final Directory directory;
    private final AccessDecision access;
    private final EmailConfirmations confirmations;
    private final ApplicationEventPublisher events;
    private final BookingProperties properties;
    private final TransactionTemplate transactions;
    private final Clock clock;

    Bookings(
            SlotStore slots,
            AppointmentStore appointments,
            BookingRequests requests,
            PatientFiles patientFiles,
            Relatives relatives,
            Directory directory,
            AccessDecision access,
            EmailConfirmations confirmations,
            ApplicationEventPublisher events,
            BookingProperties properties,
            TransactionTemplate transactions,
            Clock clock) {
        this.slots = slots;
        this.appointments = appointments;
        this.requests = requests;
        this.patientFiles = patientFiles;
        this.relatives = relatives;
        this.directory = directory;
        this.access = access;
        this.confirmations = confirmations;
        this.events = events;
        this.properties = properties;
        this.transactions = transactions;
        this.clock = clock;
    }

    /**
     * Books a slot for the signed-in patient. With an idempotency key, a repeated request returns the
     * appointment of the first one instead of booking again.
     *
     * @throws ConflictException when the slot is taken, past, or the key's first request is still running
     * @throws UnprocessableException when the key was used for a different request
     * @throws ForbiddenException ({@value #ADDRESS_NOT_CONFIRMED}) until the patient has confirmed their
     *     e-mail address with the code sent to it
     */
    public Outcome book(Actor.Person patient, BookingRequest request, @Nullable String idempotencyKey) {
        if (!confirmations.confirmed(patient.userId())) {
            throw new ForbiddenException(
                    ADDRESS_NOT_CONFIRMED,
                    "Confirm your e-mail address with the 6-digit code sent to it before booking"
                            + " (POST /api/v1/me/email-confirmation)");
        }
        byte[] requestHash =
                BookingRequests.hash(request.slotId(), request.motiveId(), request.comment(), request.relativeId());
        try {
            // The key is claimed first thing in the transaction: a repeated request fails there, at once,
            // and gets the first one's answer below (no look-up before, which a first request would pay).
            return transactions.execute(status -> bookOnce(patient, request, idempotencyKey, requestHash));
        } catch (DuplicateKeyException e) {
            // A request with the same key committed first (or commits while this one waited on its row).
            return earlier(patient, idempotencyKey, requestHash)
                    .orElseThrow(() -> new ConflictException(
                            "A request with this Idempotency-Key is still being processed; retry shortly"));
        }
    }

    private Optional<Outcome> earlier(Actor.Person patient, @Nullable String key, byte[] requestHash) {
        if (key == null) {
            return Optional.empty(); // no key, nothing remembered (the query would match no row)
        }
        return requests.find(patient.subjectId(), key).map(remembered -> {
            if (!MessageDigest.isEqual(remembered.requestHash(), requestHash)) {
                throw new UnprocessableException(
                        "This Idempotency-Key was already used for a different booking request");
            }
            return new Outcome(appointment(patient, remembered.appointmentId()), false);
        });
    }

    private Outcome bookOnce(Actor.Person patient, BookingRequest request, @Nullable String key, byte[] requestHash) {
        Instant now = clock.instant();
        UUID appointmentId = UUID.randomUUID();
        if (key != null) {
            requests.claim(patient.subjectId(), key, requestHash, appointmentId, now);
        }
        Slot slot = slots.find(request.slotId()).orElseThrow(() -> new NotFoundException("Slot"));
        VisitMotive motive = directory
                .motive(request.motiveId())
                .filter(m -> m.practitionerId().equals(slot.practitionerId()))
                .orElseThrow(
                        () -> new InvalidRequestException("motiveId", "is not a motive of this slot's practitioner"));
        ForWhom forWhom = request.relativeId() == null
                ? null
                : relatives
                        .find(patient.subjectId(), request.relativeId(), patient, Purpose.BOOKING)
                        .map(ForWhom::of)
                        .orElseThrow(() -> new InvalidRequestException("relativeId", "is not one of your relatives"));
        if (!slots.book(slot, appointmentId, now)) {
            throw new ConflictException("This slot is no longer available");
        }
        UUID fileId = patientFiles.ensureFile(slot.establishmentId(), patient.subjectId(), patient);
        Appointment appointment = new Appointment(
                appointmentId,
                slot.establishmentId(),
                slot.practitionerId(),
                patient.subjectId(),
                fileId,
                slot.id(),
                slot.start(),
                slot.end(),
                motive.id(),
                motive.label(),
                request.comment(),
                Appointment.Status.BOOKED,
                now,
                forWhom);
        appointments.insert(appointment);
        access.require(request(patient, appointment, Action.CREATE, Purpose.BOOKING));
        events.publishEvent(AppointmentBooked.of(appointment, ActedBy.PATIENT));
        return new Outcome(view(appointment), true);
    }

    /** Cancels one of the patient's appointments and frees its slot. */
    public void cancel(Actor.Person patient, UUID appointmentId) {
        transactions.executeWithoutResult(status -> {
            Instant now = clock.instant();
            Appointment appointment = reachable(patient, appointmentId, Action.UPDATE, Purpose.CANCELLATION);
            Appointment cancelled = appointment.cancelled(now, properties.cancellationCutoff());
            if (!appointments.markCancelled(cancelled, now)) {
                throw new ConflictException("The appointment is already cancelled");
            }
            slots.release(
                    appointment.establishmentId(),
                    appointment.practitionerId(),
                    appointment.slotId(),
                    appointment.id());
            events.publishEvent(
                    AppointmentCancelled.of(appointment, practitionerName(appointment), ActedBy.PATIENT, now));
        });
    }

    /** Moves one of the patient's appointments to another free slot of the same practitioner, atomically. */
    public AppointmentView reschedule(Actor.Person patient, UUID appointmentId, UUID newSlotId) {
        return transactions.execute(status -> {
            Instant now = clock.instant();
            Appointment appointment = reachable(patient, appointmentId, Action.UPDATE, Purpose.RESCHEDULING);
            appointment.checkChangeable(now, properties.cancellationCutoff());
            Slot target = slots.find(newSlotId)
                    .filter(s -> s.practitionerId().equals(appointment.practitionerId()))
                    .orElseThrow(() -> new InvalidRequestException("slotId", "is not a slot of the same practitioner"));
            if (!slots.book(target, appointment.id(), now)) {
                throw new ConflictException("This slot is no longer available");
            }
            slots.release(
                    appointment.establishmentId(),
                    appointment.practitionerId(),
                    appointment.slotId(),
                    appointment.id());
            if (!appointments.moveTo(appointment, target.id())) {
                throw new ConflictException("The appointment changed meanwhile; reload and retry");
            }
            events.publishEvent(
                    AppointmentMoved.of(appointment, target, practitionerName(appointment), ActedBy.PATIENT, now));
            return view(appointments.find(appointment.id()).orElseThrow());
        });
    }

    /** The patient's appointments, earliest first. */
    public List<AppointmentView> appointmentsOf(Actor.Person patient) {
        return appointmentsOf(patient, Purpose.SELF_SERVICE);
    }

    /** The patient's appointments, earliest first, each read recorded for the given purpose. */
    public List<AppointmentView> appointmentsOf(Actor.Person patient, Purpose purpose) {
        return transactions.execute(status -> {
            List<Appointment> mine = appointments.ofPatient(patient.subjectId());
            mine.forEach(a -> access.require(request(patient, a, Action.READ, purpose)));
            return views(mine);
        });
    }

    /**
     * An appointment as the actor may see it: the patient's own in full; for a practitioner of the
     * establishment in care of the patient, in full; for staff, without motive or comment. Anyone else
     * gets not found, as for an id that does not exist.
     */
    public AppointmentView appointment(Actor.Person actor, UUID appointmentId) {
        return transactions.execute(status -> {
            Appointment appointment =
                    appointments.find(appointmentId).orElseThrow(() -> new NotFoundException("Appointment"));
            Grant grant = access.decide(request(actor, appointment, Action.READ, purposeOf(actor)));
            if (!grant.any()) {
                throw new NotFoundException("Appointment");
            }
            AppointmentView view = view(appointment);
            return grant.allows(DataCategory.MEDICAL) ? view : view.withoutMedicalContent();
        });
    }

    /** The appointment, if the actor may change it; recorded as the given change. */
    private Appointment reachable(Actor.Person actor, UUID appointmentId, Action action, Purpose purpose) {
        Appointment appointment =
                appointments.find(appointmentId).orElseThrow(() -> new NotFoundException("Appointment"));
        access.require(new AccessRequest(
                actor,
                appointment.patient(),
                appointment.establishment(),
                action,
                Resource.APPOINTMENT,
                List.of(Field.SLOT, Field.STATUS),
                purpose));
        return appointment;
    }

    private String practitionerName(Appointment appointment) {
        return directory
                .practitioner(appointment.practitionerId())
                .map(Practitioner::displayName)
                .orElseThrow();
    }

    private static Purpose purposeOf(Actor.Person actor) {
        return actor.role() == Role.PATIENT ? Purpose.SELF_SERVICE : Purpose.CARE;
    }

    /** An access to the appointment's slot, motive and comment, and the relative's name if it is for one. */
    private static AccessRequest request(Actor actor, Appointment appointment, Action action, Purpose purpose) {
        List<Field> fields = appointment.forWhom() == null
                ? APPOINTMENT_FIELDS
                : java.util.stream.Stream.concat(APPOINTMENT_FIELDS.stream(), RELATIVE_FIELDS.stream())
                        .toList();
        return new AccessRequest(
                actor,
                appointment.patient(),
                appointment.establishment(),
                action,
                Resource.APPOINTMENT,
                fields,
                purpose);
    }

    private AppointmentView view(Appointment appointment) {
        return views(List.of(appointment)).get(0);
    }

    private List<AppointmentView> views(List<Appointment> list) {
        Map<UUID, Practitioner> practitioners = directory.practitioners(
                list.stream().map(Appointment::practitionerId).toList());
        Map<UUID, Establishment> establishments = directory.establishments(
                list.stream().map(Appointment::establishmentId).toList());
        return list.stream()
                .map(a -> {
                    Practitioner p = practitioners.get(a.practitionerId());
                    Establishment e = establishments.get(a.establishmentId());
                    return new AppointmentView(
                            a.id(),
                            a.slotId(),
                            a.start(),
                            a.end(),
                            a.status().name(),
                            a.practitionerId(),
                            p == null ? null : p.displayName(),
                            p == null ? null : p.specialty().code(),
                            a.establishmentId(),
                            e == null ? null : e.name(),
                            e == null ? null : e.fullAddress(),
                            a.motiveId(),
                            a.motiveLabel(),
                            a.comment(),
                            a.forWhom() == null ? null : a.forWhom().relativeId(),
                            a.forWhom() == null ? null : a.forWhom().displayName());
                })
                .toList();
    }
}
