package org.carnet.scheduling;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.carnet.access.AccessDecision;
import org.carnet.access.AccessRequest;
import org.carnet.access.Grant;
import org.carnet.directory.Directory;
import org.carnet.directory.Practitioner;
import org.carnet.directory.VisitMotive;
import org.carnet.patients.PatientFiles;
import org.carnet.scheduling.internal.AppointmentStore;
import org.carnet.scheduling.internal.BookingRequests;
import org.carnet.scheduling.internal.SlotStore;
import org.carnet.shared.Action;
import org.carnet.shared.Actor;
import org.carnet.shared.ConflictException;
import org.carnet.shared.Field;
import org.carnet.shared.InvalidRequestException;
import org.carnet.shared.NotFoundException;
import org.carnet.shared.PatientRef;
import org.carnet.shared.Purpose;
import org.carnet.shared.Resource;
import org.carnet.shared.UnprocessableException;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What a third-party program does with its establishment's appointments (issue 13): list and read
 * them, book a slot for a patient the establishment has a file for, cancel. Every appointment touched
 * is decided and recorded by the access decision, with the fields actually served: times and status,
 * the motive only when the program holds the scope for it. Booking is the same conditional update of
 * the slot as every other booking, so that a slot goes to exactly one appointment.
 */
@Service
public class ProgramAppointments {

    /** What every program that reads appointments sees of one. */
    public static final List<Field> AGENDA_FIELDS = List.of(Field.SLOT, Field.STATUS);

    /** One page of an establishment's appointments, and how many there are in all. */
    public record Page(List<ProgramAppointment> appointments, int total) {}

    private final AppointmentStore appointments;
    private final SlotStore slots;
    private final BookingRequests requests;
    private final PatientFiles files;
    private final Directory directory;
    private final AccessDecision access;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final Clock clock;

    ProgramAppointments(
            AppointmentStore appointments,
            SlotStore slots,
            BookingRequests requests,
            PatientFiles files,
            Directory directory,
            AccessDecision access,
            ApplicationEventPublisher events,
            TransactionTemplate transactions,
            Clock clock) {
        this.appointments = appointments;
        this.slots = slots;
        this.requests = requests;
        this.files = files;
        this.directory = directory;
        this.access = access;
        this.events = events;
        this.transactions = transactions;
        this.clock = clock;
    }

    /**
     * The program's establishment's appointments starting in [from, to), optionally of one practitioner,
     * by start; each one decided and recorded. With {@code motive}, the motive of those the decision
     * grants it for.
     */
    public Page list(
            Actor.Client program,
            Instant from,
            Instant to,
            @Nullable UUID practitionerId,
            boolean motive,
            int offset,
            int count) {
        return transactions.execute(status -> {
            UUID establishment = program.establishment().value();
            int total = appointments.countOfEstablishment(establishment, from, to, practitionerId);
            List<ProgramAppointment> page = count == 0
                    ? List.of()
                    : appointments.ofEstablishment(establishment, from, to, practitionerId, offset, count);
            List<ProgramAppointment> shown = new ArrayList<>();
            for (ProgramAppointment appointment : page) {
                shown(program, appointment, motive).ifPresent(shown::add);
            }
            return new Page(shown, total);
        });
    }

    /** One appointment of the program's establishment, if the decision grants it; recorded either way. */
    public Optional<ProgramAppointment> read(Actor.Client program, UUID appointmentId, boolean motive) {
        return transactions.execute(status -> appointments
                .inEstablishment(program.establishment().value(), appointmentId)
                .flatMap(appointment -> shown(program, appointment, motive)));
    }

    private Optional<ProgramAppointment> shown(Actor.Client program, ProgramAppointment appointment, boolean motive) {
        List<Field> wanted = motive ? List.of(Field.SLOT, Field.STATUS, Field.MOTIVE) : AGENDA_FIELDS;
        Grant grant = access.decide(request(program, appointment, Action.READ, wanted, Purpose.AGENDA));
        if (!grant.allowsAll(AGENDA_FIELDS)) {
            return Optional.empty();
        }
        return Optional.of(
                grant.allows(Field.MOTIVE)
                        ? appointment.withMotive(
                                appointments.motiveLabel(program.establishment().value(), appointment.id()))
                        : appointment);
    }

    /** The appointment and whether this request booked it (false: an earlier one with the same key did). */
    public record Booked(ProgramAppointment appointment, boolean created) {}

    /**
     * Books a free slot of the program's establishment for a patient it holds a file for, with the
     * given visit motive of the slot's practitioner, or else that practitioner's first. With an
     * idempotency key, a repeated request answers the first one's appointment instead of booking again.
     *
     * @throws NotFoundException when the slot is not one of the establishment's
     * @throws ConflictException when the slot is taken or past, or the key's first request is still running
     * @throws UnprocessableException when the key was used for a different request
     */
    public Booked book(
            Actor.Client program, UUID slotId, UUID fileId, @Nullable UUID motiveId, @Nullable String idempotencyKey) {
        byte[] hash =
                BookingRequests.hash(slotId, motiveId == null ? slotId : motiveId, "program-file:" + fileId, null);
        if (idempotencyKey != null) {
            Optional<Booked> earlier = earlier(program, idempotencyKey, hash);
            if (earlier.isPresent()) {
                return earlier.get();
            }
        }
        try {
            return transactions.execute(status -> bookOnce(program, slotId, fileId, motiveId, idempotencyKey, hash));
        } catch (DuplicateKeyException e) {
            return earlier(program, idempotencyKey, hash)
                    .orElseThrow(() -> new ConflictException(
                            "A request with this Idempotency-Key is still being processed; retry shortly"));
        }
    }

    private Optional<Booked> earlier(Actor.Client program, @Nullable String key, byte[] hash) {
        if (key == null) {
            return Optional.empty();
        }
        // The program's keys live beside the patients' own, under its client id (random UUIDs never meet).
        return requests.find(program.clientId(), key).map(remembered -> {
            if (!MessageDigest.isEqual(remembered.requestHash(), hash)) {
                throw new UnprocessableException(
                        "This Idempotency-Key was already used for a different booking request");
            }
            return new Booked(
                    read(program, remembered.appointmentId(), false)
                            .orElseThrow(() -> new NotFoundException("Appointment")),
                    false);
        });
    }

    private Booked bookOnce(
            Actor.Client program,
            UUID slotId,
            UUID fileId,
            @Nullable UUID motiveId,
            @Nullable String key,
            byte[] hash) {
        Instant now = clock.instant();
        UUID appointmentId = UUID.randomUUID();
        UUID establishment = program.establishment().value();
        if (key != null) {
            requests.claim(program.clientId(), key, hash, appointmentId, now);
        }
        Slot slot = slots.find(slotId)
                .filter(s -> s.establishmentId().equals(establishment))
                .orElseThrow(() -> new NotFoundException("Slot"));
        PatientRef patient = files.patientOf(establishment, fileId)
                .orElseThrow(() -> new InvalidRequestException("patient", "is not a patient of this establishment"));
        VisitMotive motive = motive(slot, motiveId);
        if (!slots.book(slot, appointmentId, now)) {
            throw new ConflictException("This slot is no longer available");
        }
        Appointment appointment = new Appointment(
                appointmentId,
                establishment,
                slot.practitionerId(),
                patient instanceof PatientRef.Account account ? account.id() : null,
                fileId,
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
        // Refused (no system/Appointment.c, or no file): nothing of the above commits.
        access.require(request(program, view(appointment), Action.CREATE, List.of(Field.SLOT), Purpose.BOOKING));
        events.publishEvent(AppointmentBooked.of(appointment, ActedBy.PRACTICE));
        return new Booked(view(appointment), true);
    }

    /**
     * Cancels a booked appointment of the program's establishment and frees its slot.
     *
     * @throws NotFoundException when it is not one of the establishment's, or the program may not change it
     * @throws ConflictException when it is already cancelled
     */
    public ProgramAppointment cancel(Actor.Client program, UUID appointmentId) {
        return transactions.execute(status -> {
            Appointment appointment = appointments
                    .find(appointmentId)
                    .filter(a ->
                            a.establishmentId().equals(program.establishment().value()))
                    .orElseThrow(() -> new NotFoundException("Appointment"));
            access.require(request(
                    program, view(appointment), Action.UPDATE, AGENDA_FIELDS, Purpose.CANCELLATION_BY_PRACTICE));
            Instant now = clock.instant();
            if (!appointments.markCancelled(appointment.cancelledByPractice(), now)) {
                throw new ConflictException("The appointment is already cancelled");
            }
            slots.release(
                    appointment.establishmentId(),
                    appointment.practitionerId(),
                    appointment.slotId(),
                    appointment.id());
            String practitioner = directory
                    .practitioner(appointment.practitionerId())
                    .map(Practitioner::displayName)
                    .orElse("");
            events.publishEvent(AppointmentCancelled.of(appointment, practitioner, ActedBy.PRACTICE, now));
            return view(appointment).cancelled();
        });
    }

    private VisitMotive motive(Slot slot, @Nullable UUID motiveId) {
        if (motiveId != null) {
            return directory
                    .motive(motiveId)
                    .filter(m -> m.practitionerId().equals(slot.practitionerId()))
                    .orElseThrow(
                            () -> new InvalidRequestException("serviceType", "is not a motive of this practitioner"));
        }
        return directory.motives(slot.practitionerId()).stream()
                .findFirst()
                .orElseThrow(() -> new InvalidRequestException("serviceType", "this practitioner has no visit motive"));
    }

    private static ProgramAppointment view(Appointment appointment) {
        return new ProgramAppointment(
                appointment.id(),
                appointment.practitionerId(),
                appointment.patientAccountId(),
                appointment.patientFileId(),
                appointment.slotId(),
                appointment.start(),
                appointment.end(),
                appointment.status(),
                null);
    }

    private static AccessRequest request(
            Actor.Client program, ProgramAppointment appointment, Action action, List<Field> fields, Purpose purpose) {
        return new AccessRequest(
                program,
                PatientRef.of(appointment.patientAccountId(), appointment.patientFileId()),
                program.establishment(),
                action,
                Resource.APPOINTMENT,
                fields,
                purpose);
    }
}
