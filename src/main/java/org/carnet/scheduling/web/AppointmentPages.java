package org.carnet.scheduling.web;

import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.carnet.directory.Directory;
import org.carnet.directory.Specialty;
import org.carnet.directory.VisitMotive;
import org.carnet.identity.SignedIn;
import org.carnet.scheduling.Appointment;
import org.carnet.scheduling.AppointmentView;
import org.carnet.scheduling.Availability;
import org.carnet.scheduling.BookingProperties;
import org.carnet.scheduling.Bookings;
import org.carnet.scheduling.Slot;
import org.carnet.shared.ConflictException;
import org.carnet.shared.InvalidRequestException;
import org.carnet.shared.NotFoundException;
import org.carnet.shared.PageParams;
import org.carnet.shared.WebPage;
import org.jspecify.annotations.Nullable;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The signed-in patient's appointments: the confirmation after booking (with an iCalendar file), the
 * list, cancelling, and moving one to another free slot of the same practitioner.
 */
@WebPage
class AppointmentPages {

    /** An appointment as the pages show it; times already formatted in the agenda's zone. */
    record Shown(
            String id,
            String when,
            String status,
            boolean cancellable,
            String practitionerId,
            @Nullable String practitioner,
            String specialty,
            @Nullable String establishment,
            @Nullable String address,
            @Nullable String motive,
            @Nullable String comment,
            @Nullable String forWhom) {}

    record SlotChoice(String id, String time, String label) {}

    record Day(String label, List<SlotChoice> slots) {}

    private final Bookings bookings;
    private final Availability availability;
    private final PageDates dates;
    private final BookingProperties properties;
    private final MessageSource messages;
    private final Directory directory;
    private final Clock clock;

    AppointmentPages(
            Bookings bookings,
            Availability availability,
            PageDates dates,
            BookingProperties properties,
            MessageSource messages,
            Directory directory,
            Clock clock) {
        this.bookings = bookings;
        this.availability = availability;
        this.dates = dates;
        this.properties = properties;
        this.messages = messages;
        this.directory = directory;
        this.clock = clock;
    }

    /** The appointment as an .ics file: when, where and with whom only (see {@link AppointmentCalendar}). */
    @GetMapping(value = "/me/appointments/{id}/calendar.ics")
    ResponseEntity<String> calendar(@PathVariable UUID id) {
        AppointmentView appointment = bookings.appointment(SignedIn.required(), id);
        if (!"BOOKED".equals(appointment.status())) {
            throw new NotFoundException("Appointment");
        }
        String summary = messages.getMessage(
                "calendar.summary", new Object[] {appointment.practitionerName()}, LocaleContextHolder.getLocale());
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("text/calendar;charset=UTF-8"))
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"carnet-rendez-vous.ics\"")
                .body(AppointmentCalendar.of(appointment, summary));
    }

    @GetMapping("/me/appointments/{id}/reschedule")
    String rescheduleForm(@PathVariable UUID id, @RequestParam(required = false) @Nullable String week, Model model) {
        return showReschedule(id, week, model);
    }

    @PostMapping("/me/appointments/{id}/reschedule")
    String reschedule(
            @PathVariable UUID id,
            @RequestParam(required = false) @Nullable String slotId,
            @RequestParam(required = false) @Nullable String week,
            Model model,
            RedirectAttributes redirect,
            HttpServletResponse response) {
        java.util.Optional<UUID> slot = PageParams.uuid(slotId);
        if (slot.isEmpty()) {
            model.addAttribute("rescheduleError", "reschedule.error.choose");
        } else {
            try {
                bookings.reschedule(SignedIn.required(), id, slot.get());
                redirect.addFlashAttribute("notice", "appointments.rescheduled");
                return "redirect:/me/appointments";
            } catch (ConflictException e) {
                model.addAttribute("rescheduleError", "reschedule.error.taken");
            } catch (InvalidRequestException e) {
                model.addAttribute("rescheduleError", "reschedule.error.choose");
            }
        }
        response.setStatus(HttpServletResponse.SC_CONFLICT);
        return showReschedule(id, week, model);
    }

    private String showReschedule(UUID id, @Nullable String week, Model model) {
        Instant now = clock.instant();
        AppointmentView appointment = bookings.appointment(SignedIn.required(), id);
        Shown shown = shown(appointment, now);
        if (!shown.cancellable()) {
            model.addAttribute("appointment", shown);
            model.addAttribute("tooLate", true);
            addCutoff(model);
            return "reschedule";
        }
        LocalDate today = LocalDate.now(clock.withZone(dates.zone()));
        LocalDate first = WeekParam.start(week, today);
        Instant from = first.atStartOfDay(dates.zone()).toInstant();
        Instant to = first.plusDays(7).atStartOfDay(dates.zone()).toInstant();
        Map<LocalDate, List<SlotChoice>> byDay = new LinkedHashMap<>();
        for (Slot slot : availability.freeSlots(appointment.practitionerId(), from.isBefore(now) ? now : from, to)) {
            LocalDate day = dates.day(slot.start());
            byDay.computeIfAbsent(day, d -> new ArrayList<>())
                    .add(new SlotChoice(
                            slot.id().toString(),
                            dates.time(slot.start()),
                            dates.day(day) + " " + dates.time(slot.start())));
        }
        model.addAttribute("appointment", shown);
        model.addAttribute(
                "days",
                byDay.entrySet().stream()
                        .map(e -> new Day(dates.day(e.getKey()), e.getValue()))
                        .toList());
        model.addAttribute("weekFrom", dates.day(first));
        model.addAttribute("weekTo", dates.day(first.plusDays(6)));
        model.addAttribute("week", first.toString());
        model.addAttribute("previousWeek", first.isAfter(today) ? WeekParam.previous(first, today) : null);
        model.addAttribute("nextWeek", first.plusDays(7).toString());
        return "reschedule";
    }

    @GetMapping("/me/appointments/{id}/confirmation")
    String confirmation(@PathVariable UUID id, Model model) {
        AppointmentView appointment = bookings.appointment(SignedIn.required(), id);
        model.addAttribute("appointment", shown(appointment, clock.instant()));
        UUID motiveId = appointment.motiveId();
        // A teleconsultation's questionnaire is filled (and encrypted) on its own page.
        model.addAttribute(
                "teleconsultation",
                "BOOKED".equals(appointment.status())
                        && motiveId != null
                        && directory
                                .motive(motiveId)
                                .map(VisitMotive::teleconsultation)
                                .orElse(false));
        addCutoff(model);
        return "confirmation";
    }

    @GetMapping("/me/appointments")
    String list(Model model) {
        Instant now = clock.instant();
        List<AppointmentView> mine = bookings.appointmentsOf(SignedIn.required());
        model.addAttribute(
                "upcoming",
                mine.stream()
                        .filter(a -> a.start().isAfter(now))
                        .map(a -> shown(a, now))
                        .toList());
        List<Shown> past = new ArrayList<>(mine.stream()
                .filter(a -> !a.start().isAfter(now))
                .map(a -> shown(a, now))
                .toList());
        Collections.reverse(past); // most recent first
        model.addAttribute("past", past);
        addCutoff(model);
        return "appointments";
    }

    @PostMapping("/me/appointments/{id}/cancel")
    String cancel(@PathVariable UUID id, RedirectAttributes redirect) {
        try {
            bookings.cancel(SignedIn.required(), id);
            redirect.addFlashAttribute("notice", "appointments.cancelled");
        } catch (ConflictException e) {
            redirect.addFlashAttribute("problem", "appointments.error.cancel");
        }
        return "redirect:/me/appointments";
    }

    private Shown shown(AppointmentView a, Instant now) {
        return new Shown(
                a.id().toString(),
                dates.dateTime(a.start()),
                a.status(),
                Appointment.changeable(
                        Appointment.Status.valueOf(a.status()), a.start(), now, properties.cancellationCutoff()),
                a.practitionerId().toString(),
                a.practitionerName(),
                Specialty.fromCode(a.specialty())
                        .map(s -> s.label(LocaleContextHolder.getLocale()))
                        .orElse(""),
                a.establishmentName(),
                a.establishmentAddress(),
                a.motive(),
                a.comment(),
                a.forWhom());
    }

    private void addCutoff(Model model) {
        Duration cutoff = properties.cancellationCutoff();
        model.addAttribute("cutoffMinutes", cutoff.toMinutes());
        model.addAttribute("cutoffHours", cutoff.toMinutes() % 60 == 0 ? cutoff.toHours() : null);
    }
}
