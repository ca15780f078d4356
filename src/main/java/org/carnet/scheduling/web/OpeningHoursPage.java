package org.carnet.scheduling.web;

import jakarta.servlet.http.HttpServletResponse;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.carnet.directory.Practitioner;
import org.carnet.identity.SignedIn;
import org.carnet.scheduling.Agendas;
import org.carnet.scheduling.PracticeAppointments;
import org.carnet.scheduling.WeeklyHours;
import org.carnet.shared.Actor;
import org.carnet.shared.Role;
import org.carnet.shared.WebPage;
import org.jspecify.annotations.Nullable;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Editing a practitioner's weekly opening hours (up to two periods a day) and slot length. Nothing is
 * saved unless every day is valid; the typed values come back with the errors by day.
 */
@WebPage
class OpeningHoursPage {

    /** One day of the form: two optional periods, as typed; {@code error} a message key or null. */
    record DayHours(
            String code,
            String label,
            String opens1,
            String closes1,
            String opens2,
            String closes2,
            @Nullable String error) {}

    private final Agendas agendas;
    private final PracticeAppointments practice;

    OpeningHoursPage(Agendas agendas, PracticeAppointments practice) {
        this.agendas = agendas;
        this.practice = practice;
    }

    @GetMapping({"/agenda/hours", "/establishment/hours"})
    String form(@RequestParam(required = false) @Nullable String practitioner, Model model) {
        Actor.Person professional = SignedIn.required();
        Practitioner whose = practice.agendaFor(professional, practitioner);
        Agendas.Schedule schedule = agendas.schedule(whose.id()).orElse(new Agendas.Schedule(20, List.of()));
        List<DayHours> days = new ArrayList<>();
        for (DayOfWeek day : DayOfWeek.values()) {
            List<WeeklyHours> periods =
                    schedule.hours().stream().filter(h -> h.day() == day).toList();
            days.add(new DayHours(
                    day.name(),
                    label(day),
                    time(periods, 0, true),
                    time(periods, 0, false),
                    time(periods, 1, true),
                    time(periods, 1, false),
                    null));
        }
        return show(model, professional, whose, String.valueOf(schedule.slotMinutes()), days, null);
    }

    @PostMapping({"/agenda/hours", "/establishment/hours"})
    String save(
            @RequestParam(required = false) @Nullable String practitioner,
            @RequestParam Map<String, String> params,
            Model model,
            RedirectAttributes redirect,
            HttpServletResponse response) {
        Actor.Person professional = SignedIn.required();
        Practitioner whose = practice.agendaFor(professional, practitioner);
        List<DayHours> days = new ArrayList<>();
        List<WeeklyHours> pattern = new ArrayList<>();
        boolean valid = true;
        for (DayOfWeek day : DayOfWeek.values()) {
            String[] typed = new String[4];
            for (int i = 0; i < 4; i++) {
                typed[i] = params.getOrDefault(day.name() + "-" + (i % 2 == 0 ? "opens" : "closes") + (i / 2 + 1), "")
                        .strip();
            }
            String error = null;
            List<WeeklyHours> periods = new ArrayList<>();
            for (int p = 0; p < 2 && error == null; p++) {
                String opens = typed[2 * p];
                String closes = typed[2 * p + 1];
                if (opens.isEmpty() && closes.isEmpty()) {
                    continue;
                }
                LocalTime from = parse(opens);
                LocalTime to = parse(closes);
                if (from == null || to == null) {
                    error = "hours.error.time";
                } else if (!from.isBefore(to)) {
                    error = "hours.error.order";
                } else {
                    periods.add(new WeeklyHours(day, from, to));
                }
            }
            if (error == null
                    && periods.size() == 2
                    && !periods.get(0).closes().isAfter(periods.get(1).opens())) {
                // two periods in order: fine
            } else if (error == null && periods.size() == 2) {
                error = "hours.error.overlap";
            }
            if (error != null) {
                valid = false;
            } else {
                pattern.addAll(periods);
            }
            days.add(new DayHours(day.name(), label(day), typed[0], typed[1], typed[2], typed[3], error));
        }
        String slotMinutes = params.getOrDefault("slotMinutes", "").strip();
        String slotError = null;
        int minutes = 0;
        try {
            minutes = Integer.parseInt(slotMinutes);
            if (minutes < 5 || minutes > 240) {
                slotError = "hours.error.slot";
            }
        } catch (NumberFormatException e) {
            slotError = "hours.error.slot";
        }
        if (!valid || slotError != null) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            return show(model, professional, whose, slotMinutes, days, slotError);
        }
        agendas.defineOpeningHours(whose.id(), minutes, pattern);
        redirect.addFlashAttribute("notice", "hours.saved");
        return switch (professional.role()) {
            case STAFF -> "redirect:/agenda?practitioner=" + whose.id();
            case ESTABLISHMENT_ADMIN -> "redirect:/establishment/practitioners";
            default -> "redirect:/agenda";
        };
    }

    private String show(
            Model model,
            Actor.Person professional,
            Practitioner whose,
            String slotMinutes,
            List<DayHours> days,
            @Nullable String slotError) {
        model.addAttribute("practitionerId", whose.id().toString());
        model.addAttribute("practitionerName", whose.displayName());
        model.addAttribute("staff", professional.role() == Role.STAFF);
        boolean admin = professional.role() == Role.ESTABLISHMENT_ADMIN;
        model.addAttribute("formAction", admin ? "/establishment/hours" : "/agenda/hours");
        model.addAttribute("backUrl", admin ? "/establishment/practitioners" : "/agenda");
        model.addAttribute("slotMinutes", slotMinutes);
        model.addAttribute("slotError", slotError);
        model.addAttribute("days", days);
        model.addAttribute("hasErrors", slotError != null || days.stream().anyMatch(d -> d.error() != null));
        return "agenda-hours";
    }

    private static String time(List<WeeklyHours> periods, int index, boolean opens) {
        if (periods.size() <= index) {
            return "";
        }
        return (opens ? periods.get(index).opens() : periods.get(index).closes()).toString();
    }

    private static @Nullable LocalTime parse(String value) {
        if (value.length() != 5) {
            return null;
        }
        try {
            return LocalTime.parse(value);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String label(DayOfWeek day) {
        String name = day.getDisplayName(TextStyle.FULL, LocaleContextHolder.getLocale());
        return name.substring(0, 1).toUpperCase(LocaleContextHolder.getLocale()) + name.substring(1);
    }

    static List<DayOfWeek> week() {
        return Arrays.asList(DayOfWeek.values());
    }
}
