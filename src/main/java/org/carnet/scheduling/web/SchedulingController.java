package org.carnet.scheduling.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
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
import org.carnet.scheduling.SearchProperties;
import org.carnet.scheduling.Slot;
import org.carnet.shared.Actor;
import org.carnet.shared.InvalidRequestException;
import org.carnet.shared.NotFoundException;
import org.carnet.shared.Role;
import org.jspecify.annotations.Nullable;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
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

    @Schema(name = "AvailabilityEstablishment")
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

            @Schema(
                    deprecated = true,
                    description = "No longer accepted (400): the patient's own words are not sent to"
                            + " Carnet in clear. For a teleconsultation, write them as the first message of"
                            + " its end-to-end encrypted exchange, POST"
                            + " /api/v1/teleconsultations/{appointmentId}/messages (docs/e2e.md). Comments"
                            + " stored before stay readable in the appointment's comment.")
            @Size(max = 500)
            @Nullable
            String comment,

            @Nullable UUID relativeId) {
        @Override
        public String toString() {
            return "BookingBody[slot=" + slotId + "]";
        }
    }

    record RescheduleBody(@NotNull UUID slotId) {}

    /** Why a booking with a comment is refused, and where the comment goes instead. */
    static final String COMMENT_MOVED = "is no longer accepted in clear: after booking a teleconsultation, write it"
            + " as the first message of its end-to-end encrypted exchange (set the consultation key up, then POST"
            + " /api/v1/teleconsultations/{appointmentId}/messages; docs/e2e.md, \"The booking comment\")";

    private final Availability availability;
    private final Bookings bookings;
    private final BookingProperties properties;
    private final SearchProperties searchProperties;
    private final SearchPageJson json;
    private final Clock clock;

    SchedulingController(
            Availability availability,
            Bookings bookings,
            BookingProperties properties,
            SearchProperties searchProperties,
            SearchPageJson json,
            Clock clock) {
        this.availability = availability;
        this.bookings = bookings;
        this.properties = properties;
        this.searchProperties = searchProperties;
        this.json = json;
        this.clock = clock;
    }

    @GetMapping("/availability")
    @Operation(
            operationId = "searchAvailability",
            summary = "Practitioners of a specialty in a city or postcode with their next free slots, earliest first",
            description = "10 practitioners a page; page counts from 0. Asked without signing in, the page comes with"
                    + " an ETag and Cache-Control: public, max-age of at most a second (never past the start of the"
                    + " earliest slot it lists), Vary: Accept-Language; If-None-Match with that ETag answers 304"
                    + " while the page is unchanged. A signed-in caller gets the same page without them.")
    @ApiResponse(
            responseCode = "200",
            description = "A page of practitioners with free slots",
            headers = {
                @Header(
                        name = "ETag",
                        description = "The page's version (anonymous callers only)",
                        schema = @Schema(type = "string")),
                @Header(
                        name = "Cache-Control",
                        description =
                                "public, max-age=N for anonymous callers: at most carnet.search.max-age (1 s by default), never past the start of the earliest slot listed",
                        schema = @Schema(type = "string"))
            },
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = AvailabilityPage.class)))
    @ApiResponse(
            responseCode = "304",
            description = "Unchanged since the ETag sent in If-None-Match (anonymous callers only)",
            content = @Content)
    ResponseEntity<byte[]> availability(
            @RequestParam @Size(max = 40) @Parameter(description = "a specialty code from /api/v1/specialties")
                    String specialty,
            @RequestParam(required = false) @Size(max = 100) @Parameter(description = "city name or postcode")
                    String city,
            @RequestParam(required = false) @Size(max = 40) @Parameter(description = "yyyy-MM-dd or ISO date-time")
                    String from,
            @RequestParam(defaultValue = "false") @Parameter(description = "only slots open to teleconsultation")
                    boolean teleconsultation,
            @RequestParam(defaultValue = "0") @Parameter(description = "page number, from 0 to 10000") int page,
            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) @Parameter(hidden = true)
                    String authorization) {
        Specialty wanted = Specialty.fromCode(specialty)
                .orElseThrow(() -> new InvalidRequestException("specialty", "is not a known specialty code"));
        Availability.Page result = availability.search(
                wanted, city, teleconsultation, ApiTimes.parse("from", from, properties.zone()), page);
        Locale locale = LocaleContextHolder.getLocale();
        SearchPageJson.Rendered rendered = json.of(result, wanted.label(locale), () -> view(result, locale));
        ResponseEntity.BodyBuilder answer = ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON);
        if (authorization == null && SignedIn.current().isEmpty()) {
            // The same page for everyone who asks: shared caches may keep it, for as long as it is true.
            answer.eTag(rendered.etag())
                    .cacheControl(CacheControl.maxAge(maxAge(result)).cachePublic())
                    .varyBy(HttpHeaders.ACCEPT_LANGUAGE);
        }
        return answer.body(rendered.json());
    }

    /** {@code carnet.search.max-age}, but never past the start of the earliest slot listed. */
    private Duration maxAge(Availability.Page page) {
        Duration maxAge = searchProperties.maxAge();
        Instant now = clock.instant();
        for (Availability.PractitionerAvailability item : page.content()) {
            for (Slot slot : item.slots()) {
                Duration left = Duration.ofSeconds(
                        Math.max(0, Duration.between(now, slot.start()).getSeconds()));
                if (left.compareTo(maxAge) < 0) {
                    maxAge = left;
                }
            }
        }
        return maxAge;
    }

    private static AvailabilityPage view(Availability.Page result, Locale locale) {
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
    @Operation(
            operationId = "listFreeSlots",
            summary = "A practitioner's free slots in a range of at most 31 days (default: the coming 7 days)",
            description = "A slot's id is what POST /api/v1/appointments takes as slotId.")
    @ApiResponse(responseCode = "200", description = "The free slots, earliest first")
    List<SlotView> slots(
            @PathVariable UUID id,
            @RequestParam(required = false) @Size(max = 40) @Parameter(description = "yyyy-MM-dd or ISO date-time")
                    String from,
            @RequestParam(required = false) @Size(max = 40) @Parameter(description = "yyyy-MM-dd or ISO date-time")
                    String to) {
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
    @ApiResponse(
            responseCode = "423",
            description = "The establishment is read-only for the time of a security incident")
    @Operation(
            operationId = "bookAppointment",
            summary = "Book a free slot for the signed-in patient or one of their relatives",
            description = "A comment is no longer accepted (400, field comment): the patient's words go into the"
                    + " teleconsultation's encrypted exchange instead (docs/e2e.md). Send an Idempotency-Key to retry"
                    + " safely: a retry with the same key and the same body"
                    + " answers the appointment booked the first time; the same key with another body is refused"
                    + " (422). relativeId: one of the account's relatives; absent for oneself.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "201", description = "Booked (or, for a retried Idempotency-Key, booked before)")
    @ApiResponse(
            responseCode = "400",
            description = "Invalid request; among others a comment, which now goes into the teleconsultation's"
                    + " encrypted exchange (field comment)")
    @ApiResponse(
            responseCode = "403",
            description = "The patient has not confirmed their e-mail address yet (problem type email-not-confirmed)")
    @ApiResponse(responseCode = "404", description = "No such slot, or the caller is not a patient")
    @ApiResponse(
            responseCode = "409",
            description = "The slot is no longer available, or a request with this Idempotency-Key is still being"
                    + " processed")
    @ApiResponse(responseCode = "422", description = "This Idempotency-Key was used for a different request")
    ResponseEntity<AppointmentView> book(
            @Valid @RequestBody BookingBody body,
            @RequestHeader(name = "Idempotency-Key", required = false)
                    @Parameter(
                            description = "Any unique string per booking attempt (a UUID, say), reused on retries of"
                                    + " that attempt; remembered per account",
                            example = "5b0f6c3e-booking-1")
                    @Size(min = 1, max = 64)
                    @Pattern(regexp = "[A-Za-z0-9._:-]+", message = "must be 1 to 64 letters, digits or . _ : -")
                    String idempotencyKey) {
        Actor.Person patient = patient();
        if (body.comment() != null) {
            throw new InvalidRequestException("comment", COMMENT_MOVED);
        }
        Bookings.Outcome outcome = bookings.book(
                patient,
                new Bookings.BookingRequest(body.slotId(), body.motiveId(), null, body.relativeId()),
                idempotencyKey);
        return ResponseEntity.created(URI.create(
                        "/api/v1/appointments/" + outcome.appointment().id()))
                .body(outcome.appointment());
    }

    @GetMapping("/me/appointments")
    @Operation(
            operationId = "listMyAppointments",
            summary = "The signed-in patient's appointments",
            description = "Booked for themselves and for their relatives, cancelled ones included.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "200", description = "The appointments")
    @ApiResponse(responseCode = "404", description = "The caller is not a patient")
    List<AppointmentView> mine() {
        return bookings.appointmentsOf(patient());
    }

    @GetMapping("/appointments/{id}")
    @Operation(
            operationId = "getAppointment",
            summary = "An appointment, as far as the caller may see it",
            description = "The patient's own, in full; for a practitioner of the establishment in care of the patient,"
                    + " in full; for the establishment's staff and administrator, without motive and comment."
                    + " Anyone else gets 404, as for an id that does not exist.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "200", description = "The appointment")
    @ApiResponse(responseCode = "404", description = "No such appointment, or not the caller's to see")
    @ApiResponse(
            responseCode = "410",
            description = "Its establishment left Carnet and its keys were destroyed: nothing of it can be read")
    AppointmentView one(@PathVariable UUID id) {
        return bookings.appointment(SignedIn.required(), id);
    }

    @DeleteMapping("/appointments/{id}")
    @ApiResponse(
            responseCode = "423",
            description = "The establishment is read-only for the time of a security incident")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(
            operationId = "cancelAppointment",
            summary = "Cancel one of the signed-in patient's appointments",
            description = "Possible until the cancellation cut-off before the start (2 hours by default); the slot"
                    + " becomes free again.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "204", description = "Cancelled")
    @ApiResponse(responseCode = "404", description = "No such appointment of the caller's")
    @ApiResponse(
            responseCode = "409",
            description = "Already cancelled, or too close to the start to be changed online")
    void cancel(@PathVariable UUID id) {
        bookings.cancel(patient(), id);
    }

    @PostMapping("/appointments/{id}/reschedule")
    @ApiResponse(
            responseCode = "423",
            description = "The establishment is read-only for the time of a security incident")
    @Operation(
            operationId = "rescheduleAppointment",
            summary = "Move an appointment to another free slot of the same practitioner",
            description = "Atomically: the new slot is taken and the old one freed together, or nothing changes."
                    + " Possible until the cancellation cut-off.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "200", description = "The appointment, moved")
    @ApiResponse(responseCode = "404", description = "No such appointment of the caller's")
    @ApiResponse(
            responseCode = "409",
            description = "The slot is no longer available, the appointment is cancelled, changed meanwhile or too"
                    + " close to its start")
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
