package org.carnet.fhir.web;

import ca.uhn.fhir.model.api.annotation.Description;
import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Offset;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.RequiredParam;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.annotation.Update;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;
import org.carnet.clients.ClientPseudonyms;
import org.carnet.clients.SmartScope;
import org.carnet.clients.UnknownIds;
import org.carnet.scheduling.BookingProperties;
import org.carnet.scheduling.ProgramAppointment;
import org.carnet.scheduling.ProgramAppointments;
import org.carnet.shared.Actor;
import org.carnet.shared.ConflictException;
import org.carnet.shared.NotFoundException;
import org.carnet.shared.UnprocessableException;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Reference;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * A program's view of its own establishment's appointments (issue 13): read ({@code
 * system/Appointment.r}), search by date and practitioner ({@code .s}), book ({@code .c}) and cancel
 * ({@code .u}); each scope checked before anything is looked up. What it sees is minimised by scope:
 * times, duration, status, practitioner and the patient's pseudonym; the motive only with {@value
 * SmartScope#APPOINTMENT_MOTIVE}.
 */
@Component
class AppointmentProvider implements IResourceProvider {

    /** The longest date range one search covers: a quarter, and then some. */
    static final Duration MAX_WINDOW = Duration.ofDays(100);

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final Pattern KEY_SHAPE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private final ProgramAppointments appointments;
    private final ClientPseudonyms pseudonyms;
    private final BookingProperties properties;
    private final UnknownIds unknown;

    AppointmentProvider(
            ProgramAppointments appointments,
            ClientPseudonyms pseudonyms,
            BookingProperties properties,
            UnknownIds unknown) {
        this.appointments = appointments;
        this.pseudonyms = pseudonyms;
        this.properties = properties;
        this.unknown = unknown;
    }

    @Override
    public Class<Appointment> getResourceType() {
        return Appointment.class;
    }

    @Read
    public Appointment read(@IdParam IdType id) {
        Actor.Client client = ProgramCalls.requiring("system/Appointment.r");
        boolean motive = ProgramCalls.holds(client, SmartScope.APPOINTMENT_MOTIVE);
        ProgramAppointment found = SearchParams.id(id)
                .flatMap(appointmentId -> appointments.read(client, appointmentId, motive))
                .orElseThrow(() -> missed(client, id));
        return resources(client, List.of(found)).get(0);
    }

    @Search
    public IBundleProvider search(
            @RequiredParam(name = Appointment.SP_DATE)
                    @Description(
                            shortDefinition = "The start: both a lower (ge, gt) and an upper (lt, le) bound, at most"
                                    + " 100 days apart; a date is a day in Europe/Paris, a date-time needs its offset")
                    DateRangeParam date,
            @OptionalParam(
                            name = Appointment.SP_PRACTITIONER,
                            chainWhitelist = {""})
                    @Description(shortDefinition = "One practitioner of the establishment (Practitioner/id)")
                    @Nullable
                    ReferenceParam practitioner,
            @Offset @Nullable Integer offset,
            @Count @Nullable Integer count) {
        Actor.Client client = ProgramCalls.requiring("system/Appointment.s");
        SearchParams.Page page = SearchParams.Page.of(offset, count);
        SearchParams.Window window = SearchParams.Window.of(date, "date", properties.zone());
        Instant from = window.from();
        Instant to = window.to();
        if (from == null || to == null) {
            throw Refusals.badRequest("date needs a lower (ge, gt) and an upper (lt, le) bound.");
        }
        if (Duration.between(from, to).compareTo(MAX_WINDOW) > 0) {
            throw Refusals.badRequest("date covers at most 100 days: search a quarter at a time.");
        }
        UUID practitionerId = null;
        if (practitioner != null) {
            practitionerId = SearchParams.reference(practitioner, "practitioner", "Practitioner")
                    .orElse(null);
            if (practitionerId == null) {
                return SearchParams.bundle(List.of(), page, 0);
            }
        }
        if (!to.isAfter(from)) {
            return SearchParams.bundle(List.of(), page, 0);
        }
        boolean motive = ProgramCalls.holds(client, SmartScope.APPOINTMENT_MOTIVE);
        ProgramAppointments.Page found =
                appointments.list(client, from, to, practitionerId, motive, page.offset(), page.count());
        return SearchParams.bundle(resources(client, found.appointments()), page, found.total());
    }

    /**
     * Booking: a free Slot of the establishment for a Patient the program was shown (its pseudonym),
     * optionally with a visit motive of the practitioner as {@code serviceType}; status {@code booked}.
     * With an {@code Idempotency-Key} header, a repeated request answers the first one's appointment
     * (200) instead of booking again. A taken slot is a 409.
     */
    @Create
    public MethodOutcome create(@ResourceParam Appointment resource, RequestDetails request) {
        Actor.Client client = ProgramCalls.requiring("system/Appointment.c");
        if (request.getHeader("If-None-Exist") != null) {
            throw Refusals.badRequest("Conditional create is not supported: send an Idempotency-Key header.");
        }
        String key = request.getHeader(IDEMPOTENCY_KEY);
        if (key != null && !KEY_SHAPE.matcher(key).matches()) {
            throw Refusals.badRequest("Idempotency-Key must be 1 to 64 letters, digits or . _ : -");
        }
        if (resource.getStatus() != Appointment.AppointmentStatus.BOOKED) {
            throw Refusals.badRequest("A new Appointment has status booked.");
        }
        if (resource.getSlot().size() != 1) {
            throw Refusals.badRequest("A new Appointment names exactly one Slot.");
        }
        UUID slotId = reference(resource.getSlot().get(0), "Slot")
                .orElseThrow(() -> Refusals.badRequest("slot must reference a free Slot of your establishment."));
        List<String> patients = resource.getParticipant().stream()
                .map(participant -> participant.getActor().getReference())
                .filter(Objects::nonNull)
                .filter(reference -> reference.startsWith("Patient/"))
                .toList();
        if (patients.size() != 1) {
            throw Refusals.badRequest("A new Appointment has exactly one Patient participant.");
        }
        String pseudonym = patients.get(0).substring("Patient/".length());
        UUID fileId = pseudonyms.file(client, pseudonym).orElseThrow(() -> {
            unknown.missed(client, "Patient", pseudonym);
            return Refusals.badRequest("The Patient must be one this program was shown.");
        });
        UUID motiveId = motive(resource);
        ProgramAppointments.Booked booked;
        try {
            booked = appointments.book(client, slotId, fileId, motiveId, key);
        } catch (NotFoundException e) {
            throw Refusals.badRequest("slot must reference a free Slot of your establishment.");
        } catch (ConflictException e) {
            throw Refusals.conflict("The slot is no longer available, or this Idempotency-Key is being processed.");
        } catch (UnprocessableException e) {
            throw new ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException(
                    "This Idempotency-Key was already used for a different Appointment.");
        }
        Appointment created = resources(client, List.of(booked.appointment())).get(0);
        MethodOutcome outcome = new MethodOutcome(created.getIdElement(), booked.created());
        outcome.setResource(created);
        return outcome;
    }

    /** Cancelling: the same Appointment with status {@code cancelled}; no other change is supported. */
    @Update
    public MethodOutcome update(@IdParam IdType id, @ResourceParam Appointment resource) {
        Actor.Client client = ProgramCalls.requiring("system/Appointment.u");
        if (resource.getStatus() != Appointment.AppointmentStatus.CANCELLED) {
            throw Refusals.badRequest("An Appointment can only be updated to status cancelled.");
        }
        UUID appointmentId = SearchParams.id(id).orElseThrow(() -> missed(client, id));
        ProgramAppointment cancelled;
        try {
            cancelled = appointments.cancel(client, appointmentId);
        } catch (NotFoundException e) {
            throw missed(client, id);
        } catch (ConflictException e) {
            throw Refusals.conflict("The appointment is already cancelled.");
        }
        Appointment updated = resources(client, List.of(cancelled)).get(0);
        MethodOutcome outcome = new MethodOutcome(updated.getIdElement());
        outcome.setResource(updated);
        return outcome;
    }

    private List<Appointment> resources(Actor.Client client, List<ProgramAppointment> found) {
        Map<UUID, String> pseudonymous = pseudonyms.serve(
                client, found.stream().map(ProgramAppointment::patientFileId).toList());
        return found.stream()
                .map(a -> ProgramResources.appointment(
                        a, Objects.requireNonNull(pseudonymous.get(a.patientFileId()), "served")))
                .toList();
    }

    private static @Nullable UUID motive(Appointment resource) {
        List<Coding> codings = resource.getServiceType().stream()
                .flatMap(concept -> concept.getCoding().stream())
                .toList();
        if (codings.isEmpty()) {
            return null;
        }
        if (codings.size() != 1
                || !ProgramResources.VISIT_MOTIVE.equals(codings.get(0).getSystem())) {
            throw Refusals.badRequest(
                    "serviceType, if any, is one coding of system " + ProgramResources.VISIT_MOTIVE + ".");
        }
        return SearchParams.uuid(codings.get(0).getCode())
                .orElseThrow(() -> Refusals.badRequest("serviceType's code is a visit motive id."));
    }

    private static java.util.Optional<UUID> reference(Reference reference, String type) {
        String value = reference.getReference();
        if (value == null || !value.startsWith(type + "/")) {
            return java.util.Optional.empty();
        }
        return SearchParams.uuid(value.substring(type.length() + 1));
    }

    /** 404, as for any id that names nothing the program may see; breach detection counts it (a miss). */
    private Refusals.NotFound missed(Actor.Client client, IdType id) {
        String asked = id.getIdPart();
        unknown.missed(client, "Appointment", asked == null ? "" : asked);
        return Refusals.notFound();
    }
}
