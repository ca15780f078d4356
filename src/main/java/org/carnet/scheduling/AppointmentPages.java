package org.carnet.scheduling;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.carnet.directory.Specialty;
import org.carnet.identity.CarnetPrincipal;
import org.carnet.shared.ConflictException;
import org.carnet.shared.WebPage;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The signed-in patient's appointments: the confirmation after booking, the list, and cancelling. */
@WebPage
class AppointmentPages {

    /** An appointment as the pages show it; times already formatted in the agenda's zone. */
    record Shown(
            String id,
            String when,
            String status,
            boolean cancellable,
            String practitionerId,
            String practitioner,
            String specialty,
            String establishment,
            String address,
            String motive,
            String comment) {}

    private final Bookings bookings;
    private final PageDates dates;
    private final BookingProperties properties;
    private final Clock clock;

    AppointmentPages(Bookings bookings, PageDates dates, BookingProperties properties, Clock clock) {
        this.bookings = bookings;
        this.dates = dates;
        this.properties = properties;
        this.clock = clock;
    }

    @GetMapping("/me/appointments/{id}/confirmation")
    String confirmation(@PathVariable UUID id, Model model) {
        AppointmentView appointment = bookings.appointment(CarnetPrincipal.required(), id);
        model.addAttribute("appointment", shown(appointment, clock.instant()));
        addCutoff(model);
        return "confirmation";
    }

    @GetMapping("/me/appointments")
    String list(Model model) {
        Instant now = clock.instant();
        List<AppointmentView> mine = bookings.appointmentsOf(CarnetPrincipal.required());
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
            bookings.cancel(CarnetPrincipal.required(), id);
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
                a.comment());
    }

    private void addCutoff(Model model) {
        Duration cutoff = properties.cancellationCutoff();
        model.addAttribute("cutoffMinutes", cutoff.toMinutes());
        model.addAttribute("cutoffHours", cutoff.toMinutes() % 60 == 0 ? cutoff.toHours() : null);
    }
}
