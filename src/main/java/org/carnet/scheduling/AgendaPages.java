package org.carnet.scheduling;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.carnet.identity.CarnetPrincipal;
import org.carnet.patients.PatientFiles;
import org.carnet.shared.WebPage;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The signed-in practitioner's own agenda for a day or a Monday-based week. Booked slots show the
 * patient's name from the establishment's file, each opening recorded in the audit log. There is no
 * practitioner id in the address: it is always the caller's own agenda.
 */
@WebPage
class AgendaPages {

    record Row(String time, String status, String patient) {}

    record Day(String label, List<Row> rows) {}

    private final Availability availability;
    private final PatientFiles patientFiles;
    private final PageDates dates;
    private final Clock clock;

    AgendaPages(Availability availability, PatientFiles patientFiles, PageDates dates, Clock clock) {
        this.availability = availability;
        this.patientFiles = patientFiles;
        this.dates = dates;
        this.clock = clock;
    }

    @GetMapping("/agenda")
    String agenda(
            @RequestParam(required = false) String date, @RequestParam(defaultValue = "day") String view, Model model) {
        CarnetPrincipal practitioner = CarnetPrincipal.required();
        boolean week = "week".equals(view);
        LocalDate day = parse(date, model);
        LocalDate first = week ? day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)) : day;
        LocalDate end = first.plusDays(week ? 7 : 1);
        List<Availability.AgendaEntry> entries = availability.agendaWithPatients(
                practitioner.subjectId(),
                first.atStartOfDay(dates.zone()).toInstant(),
                end.atStartOfDay(dates.zone()).toInstant());
        Map<UUID, String> names = names(entries, practitioner);

        Map<LocalDate, List<Row>> byDay = new LinkedHashMap<>();
        for (LocalDate d = first; d.isBefore(end); d = d.plusDays(1)) {
            byDay.put(d, new ArrayList<>());
        }
        for (Availability.AgendaEntry entry : entries) {
            Slot slot = entry.slot();
            byDay.get(dates.day(slot.start()))
                    .add(new Row(
                            dates.time(slot.start()),
                            slot.status().name(),
                            entry.patientAccountId() == null ? null : names.get(entry.patientAccountId())));
        }
        model.addAttribute(
                "days",
                byDay.entrySet().stream()
                        .map(e -> new Day(dates.day(e.getKey()), e.getValue()))
                        .toList());
        model.addAttribute("view", week ? "week" : "day");
        model.addAttribute("date", day.toString());
        model.addAttribute("previous", day.minusDays(week ? 7 : 1).toString());
        model.addAttribute("next", day.plusDays(week ? 7 : 1).toString());
        model.addAttribute("today", LocalDate.now(clock.withZone(dates.zone())).toString());
        return "agenda";
    }

    private Map<UUID, String> names(List<Availability.AgendaEntry> entries, CarnetPrincipal practitioner) {
        List<UUID> patients = entries.stream()
                .map(Availability.AgendaEntry::patientAccountId)
                .filter(Objects::nonNull)
                .distinct()
                .toList();
        if (patients.isEmpty()) {
            return Map.of();
        }
        UUID establishmentId = entries.get(0).slot().establishmentId();
        return patientFiles.displayNames(establishmentId, patients, practitioner, "agenda");
    }

    private LocalDate parse(String date, Model model) {
        LocalDate today = LocalDate.now(clock.withZone(dates.zone()));
        if (date == null || date.isBlank()) {
            return today;
        }
        try {
            if (date.length() == 10) {
                return LocalDate.parse(date);
            }
        } catch (DateTimeParseException e) {
            // shown below
        }
        model.addAttribute("dateError", "agenda.error.date");
        return today;
    }
}
