package org.carnet.scheduling.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.carnet.directory.Specialty;
import org.carnet.identity.SignedIn;
import org.carnet.scheduling.AppointmentView;
import org.carnet.scheduling.Availability;
import org.carnet.scheduling.BookingProperties;
import org.carnet.scheduling.Bookings;
import org.carnet.scheduling.Slot;
import org.carnet.shared.Actor;
import org.carnet.shared.InvalidRequestException;
import org.carnet.shared.NotFoundException;
import org.carnet.shared.Role;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1")
@Tag(name = "Scheduling")
class SchedulingController {

    static final Duration MAX_SLOT_RANGE = Duration.ofDays(31);

    record SlotView(UUID id, Instant start, Instant end) {
        static SlotView of(Slot slot) {
            return new SlotView(slot.id(), slot.start(), slot.end());
        }
    }

    record SpecialtyView(String code, String label) {}

    record EstablishmentView(UUID id, String name, String address, String city, String postcode) {}

    record PractitionerSlots(
            UUID id,
            String firstName,
            String lastName,
            SpecialtyView specialty,
            EstablishmentView establishment,
            List<SlotView> slots) {}

    record AvailabilityPage(List<PractitionerSlots> content, int page, int totalPages, int totalElements) {}

    record BookingBody(
            @NotNull UUID slotId,
            @NotNull UUID motiveId,
            @Size(max = 500) String comment,
            UUID relativeId) {
        @Override
        public String toString() {
            return "BookingBody[slot=" + slotId + "]";
        }
    }

    record RescheduleBody(@NotNull UUID slotId) {}

    private final Availability availability;
    private final Bookings bookings;
    private final BookingProperties properties;
    private final Clock clock;

    SchedulingController(Availability availability, Bookings bookings, BookingProperties properties, Clock clock) {
        this.availability = availability;
        this.bookings = bookings;
        this.properties = properties;
        this.clock = clock;
    }

    @GetMapping("/availability")
    @Operation(
            summary = "Practitioners of a specialty in a city or postcode with their next free slots, earliest first")
    AvailabilityPage availability(
            @RequestParam @Size(max = 40) @Parameter(description = "a specialty code from /api/v1/specialties")
                    String specialty,
            @RequestParam(required = false) @Size(max = 100) @Parameter(description = "city name or postcode")
                    String city,
            @RequestParam(required = false) @Size(max = 40) @Parameter(description = "yyyy-MM-dd or ISO date-time")
                    String from,
            @RequestParam(defaultValue = "false") boolean teleconsultation,
            @RequestParam(defaultValue = "0") int page) {
        Specialty wanted = Specialty.fromCode(specialty)
                .orElseThrow(() -> new InvalidRequestException("specialty", "is not a known specialty code"));
        Availability.Page result = availability.search(
                wanted, city, teleconsultation, ApiTimes.parse("from", from, properties.zone()), page);
        Locale locale = LocaleContextHolder.getLocale();
        List<PractitionerSlots> content = result.content().stream()
                .map(item -> new PractitionerSlots(
                        item.practitioner().id(),
                        item.practitioner().firstName(),
                        item.practitioner().lastName(),
                        new SpecialtyView(
                                item.practitioner().specialty().code(),
                                item.practitioner().specialty().label(locale)),
                        new EstablishmentView(
                                item.establishment().id(),
                                item.establishment().name(),
                                item.establishment().address(),
                                item.establishment().city(),
                                item.establishment().postcode()),
                        item.slots().stream().map(SlotView::of).toList()))
                .toList();
        return new AvailabilityPage(content, result.page(), result.totalPages(), result.totalElements());
    }

    @GetMapping("/practitioners/{id}/slots")
    @Operation(summary = "A practitioner's free slots in a range of at most 31 days (default: the coming 7 days)")
    List<SlotView> slots(
            @PathVariable UUID id,
            @RequestParam(required = false) @Size(max = 40) String from,
            @RequestParam(required = false) @Size(max = 40) String to) {
        Instant start = ApiTimes.parse("from", from, properties.zone());
        if (start == null || start.isBefore(clock.instant())) {
            start = clock.instant();
        }
        Instant end = ApiTimes.parse("to", to, properties.zone());
        if (end == null) {
            end = start.plus(Duration.ofDays(7));
        }
        if (!end.isAfter(start) || Duration.between(start, end).compareTo(MAX_SLOT_RANGE) > 0) {
            throw new InvalidRequestException("to", "must be after from and at most 31 days after it");
        }
        return availability.freeSlots(id, start, end).stream().map(SlotView::of).toList();
    }

    @PostMapping("/appointments")
    @Operation(
            summary = "Book a free slot; an Idempotency-Key header makes retries return the same appointment",
            security = @SecurityRequirement(name = "bearer"))
    ResponseEntity<AppointmentView> book(
            @Valid @RequestBody BookingBody body,
            @RequestHeader(name = "Idempotency-Key", required = false)
                    @Size(min = 1, max = 64)
                    @Pattern(regexp = "[A-Za-z0-9._:-]+", message = "must be 1 to 64 letters, digits or . _ : -")
                    String idempotencyKey) {
        Actor.Person patient = patient();
        String comment = body.comment() == null || body.comment().isBlank()
                ? null
                : body.comment().strip();
        Bookings.Outcome outcome = bookings.book(
                patient,
                new Bookings.BookingRequest(body.slotId(), body.motiveId(), comment, body.relativeId()),
                idempotencyKey);
        return ResponseEntity.created(URI.create(
                        "/api/v1/appointments/" + outcome.appointment().id()))
                .body(outcome.appointment());
    }

    @GetMapping("/me/appointments")
    @Operation(summary = "The signed-in patient's appointments", security = @SecurityRequirement(name = "bearer"))
    List<AppointmentView> mine() {
        return bookings.appointmentsOf(patient());
    }

    @GetMapping("/appointments/{id}")
    @Operation(
            summary = "An appointment, as far as the caller may see it",
            description = "The patient's own, in full; for a practitioner of the establishment in care of the patient,"
                    + " in full; for the establishment's staff and administrator, without motive and comment."
                    + " Anyone else gets 404, as for an id that does not exist.",
            security = @SecurityRequirement(name = "bearer"))
    AppointmentView one(@PathVariable UUID id) {
        return bookings.appointment(SignedIn.required(), id);
    }

    @DeleteMapping("/appointments/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(
            summary = "Cancel one of the signed-in patient's appointments (until the cancellation cut-off)",
            security = @SecurityRequirement(name = "bearer"))
    void cancel(@PathVariable UUID id) {
        bookings.cancel(patient(), id);
    }

    @PostMapping("/appointments/{id}/reschedule")
    @Operation(
            summary = "Move an appointment to another free slot of the same practitioner",
            security = @SecurityRequirement(name = "bearer"))
    AppointmentView reschedule(@PathVariable UUID id, @Valid @RequestBody RescheduleBody body) {
        return bookings.reschedule(patient(), id, body.slotId());
    }

    /** Only patients hold appointments of their own; anyone else finds nothing here. */
    private static Actor.Person patient() {
        Actor.Person principal = SignedIn.required();
        if (principal.role() != Role.PATIENT) {
            throw new NotFoundException("Appointment");
        }
        return principal;
    }
}
