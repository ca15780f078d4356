package org.carnet.scheduling.web;

import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.carnet.directory.Directory;
import org.carnet.directory.Establishment;
import org.carnet.directory.Practitioner;
import org.carnet.identity.SignedIn;
import org.carnet.patients.Relatives;
import org.carnet.scheduling.BookingProperties;
import org.carnet.scheduling.Bookings;
import org.carnet.scheduling.Slot;
import org.carnet.scheduling.internal.SlotStore;
import org.carnet.shared.Actor;
import org.carnet.shared.ConflictException;
import org.carnet.shared.ForbiddenException;
import org.carnet.shared.InvalidRequestException;
import org.carnet.shared.NotFoundException;
import org.carnet.shared.PageParams;
import org.carnet.shared.Purpose;
import org.carnet.shared.UnprocessableException;
import org.carnet.shared.WebPage;
import org.jspecify.annotations.Nullable;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Booking a slot: a summary with the motive to choose, then the appointment. The form carries an
 * idempotency key so that a double submission books once.
 */
@WebPage
class BookingPages {

    private static final Pattern REQUEST_KEY = Pattern.compile("[A-Za-z0-9-]{1,64}");

    record Motive(String id, String label, int durationMinutes, boolean teleconsultation) {}

    /** What the visitor typed, shown again when the form comes back with an error; {@code relativeId} empty: for oneself. */
    record Form(String motiveId, String requestKey, String relativeId) {}

    record Person(String id, String name) {}

    private final SlotStore slots;
    private final Directory directory;
    private final Bookings bookings;
    private final PageDates dates;
    private final Relatives relatives;
    private final BookingProperties properties;
    private final Clock clock;

    BookingPages(
            SlotStore slots,
            Directory directory,
            Bookings bookings,
            PageDates dates,
            Relatives relatives,
            BookingProperties properties,
            Clock clock) {
        this.slots = slots;
        this.directory = directory;
        this.bookings = bookings;
        this.dates = dates;
        this.relatives = relatives;
        this.properties = properties;
        this.clock = clock;
    }

    @GetMapping("/book/{slotId}")
    String form(@PathVariable UUID slotId, Model model) {
        return show(slot(slotId), new Form("", UUID.randomUUID().toString(), ""), model);
    }

    @PostMapping("/book/{slotId}")
    String book(
            @PathVariable UUID slotId,
            @RequestParam(required = false) @Nullable String motiveId,
            @RequestParam(required = false) @Nullable String requestKey,
            @RequestParam(required = false) @Nullable String relativeId,
            Model model,
            HttpServletResponse response) {
        Slot slot = slot(slotId);
        String key = requestKey != null && REQUEST_KEY.matcher(requestKey).matches()
                ? requestKey
                : UUID.randomUUID().toString();
        Form form = new Form(motiveId == null ? "" : motiveId, key, relativeId == null ? "" : relativeId);
        UUID relative = PageParams.uuid(relativeId).orElse(null);
        UUID motive = PageParams.uuid(motiveId).orElse(null);
        if (motive == null) {
            model.addAttribute("motiveError", "book.error.motive");
        }
        if (motive == null || model.containsAttribute("motiveError")) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            return show(slot, form, model);
        }
        // No comment: the patient's own words are never sent to Carnet in clear (issue 14); for a
        // teleconsultation they go into its end-to-end encrypted exchange.
        try {
            Bookings.Outcome outcome = bookings.book(
                    SignedIn.required(), new Bookings.BookingRequest(slotId, motive, null, relative), key);
            return "redirect:/me/appointments/" + outcome.appointment().id() + "/confirmation";
        } catch (InvalidRequestException e) {
            model.addAttribute(
                    "relativeId".equals(e.field()) ? "relativeError" : "motiveError",
                    "relativeId".equals(e.field()) ? "book.error.relative" : "book.error.motive");
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
        } catch (ConflictException e) {
            model.addAttribute("bookingError", "book.error.taken");
            response.setStatus(HttpServletResponse.SC_CONFLICT);
        } catch (UnprocessableException e) {
            model.addAttribute("bookingError", "book.error.resubmitted");
            response.setStatus(HttpServletResponse.SC_CONFLICT);
        } catch (ForbiddenException e) {
            model.addAttribute("addressNotConfirmed", true);
            response.setStatus(HttpServletResponse.SC_FORBIDDEN);
        }
        return show(slots.find(slotId).orElse(slot), form, model);
    }

    private Slot slot(UUID slotId) {
        return slots.find(slotId).orElseThrow(() -> new NotFoundException("Slot"));
    }

    private String show(Slot slot, Form form, Model model) {
        Practitioner practitioner =
                directory.practitioner(slot.practitionerId()).orElseThrow(() -> new NotFoundException("Practitioner"));
        Establishment establishment = directory
                .establishment(slot.establishmentId())
                .orElseThrow(() -> new NotFoundException("Establishment"));
        List<Motive> motives = directory.motives(practitioner.id()).stream()
                .map(m -> new Motive(m.id().toString(), m.label(), m.durationMinutes(), m.teleconsultation()))
                .toList();
        model.addAttribute("slotId", slot.id().toString());
        model.addAttribute("practitionerId", practitioner.id().toString());
        model.addAttribute("practitionerName", practitioner.displayName());
        model.addAttribute("specialty", practitioner.specialty().label(LocaleContextHolder.getLocale()));
        model.addAttribute("establishment", establishment);
        model.addAttribute("when", dates.dateTime(slot.start()));
        model.addAttribute("available", slot.isBookableAt(clock.instant()));
        model.addAttribute("motives", motives);
        model.addAttribute("form", form);
        Actor.Person patient = SignedIn.required();
        model.addAttribute(
                "relatives",
                relatives.list(patient.subjectId(), patient, Purpose.BOOKING).stream()
                        .map(r -> new Person(r.id().toString(), r.displayName()))
                        .toList());
        long cutoffMinutes = properties.cancellationCutoff().toMinutes();
        model.addAttribute("cutoffMinutes", cutoffMinutes);
        model.addAttribute("cutoffHours", cutoffMinutes % 60 == 0 ? cutoffMinutes / 60 : null);
        return "book";
    }
}
