package org.carnet.scheduling.web;

import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.carnet.directory.Directory;
import org.carnet.directory.Practitioner;
import org.carnet.identity.SignedIn;
import org.carnet.patients.PatientFiles;
import org.carnet.scheduling.Agendas;
import org.carnet.scheduling.Appointment;
import org.carnet.scheduling.Availability;
import org.carnet.scheduling.PracticeAppointments;
import org.carnet.scheduling.Slot;
import org.carnet.shared.Actor;
import org.carnet.shared.ConflictException;
import org.carnet.shared.InvalidRequestException;
import org.carnet.shared.NotFoundException;
import org.carnet.shared.PageParams;
import org.carnet.shared.Purpose;
import org.carnet.shared.Role;
import org.carnet.shared.WebPage;
import org.jspecify.annotations.Nullable;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * Agendas for practitioners (their own) and staff (any practitioner of their establishment, chosen
 * with {@code practitioner=}): a day or a Monday-based week of free, booked and blocked slots, blocking
 * and unblocking, opening a booking, cancelling it, recording an absence, and a printable day list.
 * Each patient name shown is read from the establishment's file and recorded in the audit log.
 */
@WebPage
class AgendaPages {

    record Row(
            String slotId,
            String time,
            String status,
            @Nullable String patient,
            boolean forRelative,
            @Nullable String appointmentId) {}

    record Day(String label, List<Row> rows) {}

    record Option(String id, String name, boolean selected) {}

    record Affected(String id, String when, String patient) {}

    private final Availability availability;
    private final Agendas agendas;
    private final PracticeAppointments practice;
    private final PatientFiles patientFiles;
    private final Directory directory;
    private final PageDates dates;
    private final Clock clock;

    AgendaPages(
            Availability availability,
            Agendas agendas,
            PracticeAppointments practice,
            PatientFiles patientFiles,
            Directory directory,
            PageDates dates,
            Clock clock) {
        this.availability = availability;
        this.agendas = agendas;
        this.practice = practice;
        this.patientFiles = patientFiles;
        this.directory = directory;
        this.dates = dates;
        this.clock = clock;
    }

    @GetMapping("/agenda")
    String agenda(
            @RequestParam(required = false) @Nullable String date,
            @RequestParam(defaultValue = "day") String view,
            @RequestParam(required = false) @Nullable String practitioner,
            Model model) {
        Actor.Person professional = SignedIn.required();
        Practitioner whose = chosen(professional, practitioner, model);
        boolean week = "week".equals(view);
        LocalDate day = parse(date, model);
        LocalDate first = week ? day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)) : day;
        model.addAttribute("days", days(professional, whose, first, first.plusDays(week ? 7 : 1)));
        model.addAttribute("view", week ? "week" : "day");
        model.addAttribute("date", day.toString());
        model.addAttribute("previous", day.minusDays(week ? 7 : 1).toString());
        model.addAttribute("next", day.plusDays(week ? 7 : 1).toString());
        model.addAttribute("today", today().toString());
        return "agenda";
    }

    @GetMapping("/agenda/print")
    String dayList(
            @RequestParam(required = false) @Nullable String date,
            @RequestParam(required = false) @Nullable String practitioner,
            Model model) {
        Actor.Person professional = SignedIn.required();
        Practitioner whose = chosen(professional, practitioner, model);
        LocalDate day = parse(date, model);
        List<Day> days = days(professional, whose, day, day.plusDays(1));
        model.addAttribute(
                "day",
                new Day(
                        days.get(0).label(),
                        days.get(0).rows().stream()
                                .filter(r -> r.appointmentId() != null)
                                .toList()));
        model.addAttribute("date", day.toString());
        return "agenda-print";
    }

    @PostMapping({"/agenda/slots/{slotId}/block", "/agenda/slots/{slotId}/unblock"})
    String blockOrUnblock(
            @PathVariable UUID slotId,
            @RequestParam(required = false) @Nullable String practitioner,
            @RequestParam(required = false) @Nullable String date,
            @RequestParam(required = false) @Nullable String view,
            jakarta.servlet.http.HttpServletRequest request,
            RedirectAttributes redirect) {
        Actor.Person professional = SignedIn.required();
        Practitioner whose = practice.agendaOf(
                        professional, PageParams.uuid(practitioner).orElse(null))
                .orElseThrow(() -> new NotFoundException("Practitioner"));
        boolean block = request.getRequestURI().endsWith("/block");
        boolean done = block ? agendas.blockSlot(whose.id(), slotId) : agendas.unblockSlot(whose.id(), slotId);
        redirect.addFlashAttribute(
                done ? "notice" : "problem",
                done ? (block ? "agenda.blocked" : "agenda.unblocked") : "agenda.error.slot");
        return "redirect:" + agendaUrl(professional, whose, date, view);
    }

    @GetMapping("/agenda/appointments/{id}")
    String appointment(@PathVariable UUID id, Model model) {
        Actor.Person professional = SignedIn.required();
        PracticeAppointments.Detail detail = practice.open(professional, id);
        Appointment a = detail.appointment();
        model.addAttribute("appointmentId", a.id().toString());
        model.addAttribute("when", dates.dateTime(a.start()));
        model.addAttribute("status", a.status().name());
        model.addAttribute("patient", detail.patient());
        model.addAttribute("forWhom", a.forWhom());
        model.addAttribute("motive", detail.motiveShown() ? a.motiveLabel() : null);
        model.addAttribute("comment", detail.motiveShown() ? a.comment() : null);
        model.addAttribute(
                "back",
                agendaUrl(
                        professional,
                        directory.practitioner(a.practitionerId()).orElseThrow(),
                        dates.day(a.start()).toString(),
                        "day"));
        model.addAttribute("practitionerId", a.practitionerId().toString());
        // Only a practitioner sees the motive, so only they learn it is a teleconsultation (its answers' page).
        model.addAttribute(
                "teleconsultation",
                detail.motiveShown()
                        && a.motiveId() != null
                        && directory
                                .motive(a.motiveId())
                                .map(org.carnet.directory.VisitMotive::teleconsultation)
                                .orElse(false));
        return "agenda-appointment";
    }

    @PostMapping("/agenda/appointments/{id}/cancel")
    String cancel(@PathVariable UUID id, RedirectAttributes redirect) {
        Actor.Person professional = SignedIn.required();
        PracticeAppointments.Detail detail = practice.open(professional, id);
        Practitioner whose =
                directory.practitioner(detail.appointment().practitionerId()).orElseThrow();
        try {
            practice.cancel(professional, id, whose.displayName());
            redirect.addFlashAttribute("notice", "agenda.cancelled");
        } catch (ConflictException e) {
            redirect.addFlashAttribute("problem", "agenda.error.cancel");
        }
        return "redirect:"
                + agendaUrl(
                        professional,
                        whose,
                        dates.day(detail.appointment().start()).toString(),
                        "day");
    }

    @GetMapping("/agenda/appointments/{id}/move")
    String moveForm(@PathVariable UUID id, @RequestParam(required = false) @Nullable String week, Model model) {
        Actor.Person professional = SignedIn.required();
        Appointment a = practice.open(professional, id).appointment();
        LocalDate first = WeekParam.start(week, today());
        java.time.Instant now = clock.instant();
        java.time.Instant from = first.atStartOfDay(dates.zone()).toInstant();
        Map<LocalDate, List<Row>> byDay = new LinkedHashMap<>();
        for (Slot slot : availability.freeSlots(
                a.practitionerId(),
                from.isBefore(now) ? now : from,
                first.plusDays(7).atStartOfDay(dates.zone()).toInstant())) {
            byDay.computeIfAbsent(dates.day(slot.start()), d -> new ArrayList<>())
                    .add(new Row(slot.id().toString(), dates.time(slot.start()), "FREE", null, false, null));
        }
        model.addAttribute("appointmentId", a.id().toString());
        model.addAttribute("when", dates.dateTime(a.start()));
        model.addAttribute(
                "days",
                byDay.entrySet().stream()
                        .map(e -> new Day(dates.day(e.getKey()), e.getValue()))
                        .toList());
        model.addAttribute("weekFrom", dates.day(first));
        model.addAttribute("weekTo", dates.day(first.plusDays(6)));
        model.addAttribute("previousWeek", first.isAfter(today()) ? WeekParam.previous(first, today()) : null);
        model.addAttribute("nextWeek", first.plusDays(7).toString());
        return "agenda-move";
    }

    @PostMapping("/agenda/appointments/{id}/move")
    String move(@PathVariable UUID id, @RequestParam(defaultValue = "") String slotId, RedirectAttributes redirect) {
        Actor.Person professional = SignedIn.required();
        Appointment a = practice.open(professional, id).appointment();
        Practitioner whose = directory.practitioner(a.practitionerId()).orElseThrow();
        java.util.Optional<UUID> target = PageParams.uuid(slotId);
        if (target.isEmpty()) {
            redirect.addFlashAttribute("problem", "reschedule.error.choose");
            return "redirect:/agenda/appointments/" + id + "/move";
        }
        try {
            practice.move(professional, id, target.get(), whose.displayName());
            redirect.addFlashAttribute("notice", "agenda.moved");
            Slot moved = availability.slot(target.get()).orElseThrow();
            return "redirect:"
                    + agendaUrl(professional, whose, dates.day(moved.start()).toString(), "day");
        } catch (ConflictException e) {
            redirect.addFlashAttribute("problem", "reschedule.error.taken");
            return "redirect:/agenda/appointments/" + id + "/move";
        }
    }

    @GetMapping("/agenda/absences")
    String absenceForm(@RequestParam(required = false) @Nullable String practitioner, Model model) {
        Practitioner whose = chosen(SignedIn.required(), practitioner, model);
        String today = today().toString();
        model.addAttribute("form", new AbsenceForm(today, "09:00", today, "18:00"));
        model.addAttribute("practitionerId", whose.id().toString());
        return "agenda-absences";
    }

    /** What was typed in the absence form, shown again with the errors. */
    record AbsenceForm(String startDate, String startTime, String endDate, String endTime) {}

    @PostMapping("/agenda/absences")
    String addAbsence(
            @RequestParam(required = false) @Nullable String practitioner,
            @RequestParam(defaultValue = "") String startDate,
            @RequestParam(defaultValue = "") String startTime,
            @RequestParam(defaultValue = "") String endDate,
            @RequestParam(defaultValue = "") String endTime,
            Model model,
            HttpServletResponse response) {
        Actor.Person professional = SignedIn.required();
        Practitioner whose = chosen(professional, practitioner, model);
        AbsenceForm form = new AbsenceForm(startDate, startTime, endDate, endTime);
        model.addAttribute("form", form);
        model.addAttribute("practitionerId", whose.id().toString());
        java.time.Instant start = instant(startDate, startTime, "start", model);
        java.time.Instant end = instant(endDate, endTime, "end", model);
        if (start != null && end != null && !start.isBefore(end)) {
            model.addAttribute("endError", "absences.error.order");
        }
        if (start == null
                || end == null
                || model.containsAttribute("startError")
                || model.containsAttribute("endError")) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            return "agenda-absences";
        }
        try {
            List<Appointment> affected = practice.addAbsence(professional, whose, start, end);
            Map<UUID, UUID> files = new LinkedHashMap<>();
            affected.forEach(a -> files.put(a.id(), a.patientFileId()));
            Map<UUID, String> names =
                    patientFiles.names(whose.establishmentId(), files.values(), professional, Purpose.ABSENCE);
            model.addAttribute(
                    "affected",
                    affected.stream()
                            .map(a -> new Affected(
                                    a.id().toString(),
                                    dates.dateTime(a.start()),
                                    names.get(files.get(a.id()))
                                            + (a.forWhom() == null
                                                    ? ""
                                                    : " — " + a.forWhom().displayName())))
                            .toList());
            model.addAttribute("recorded", true);
        } catch (InvalidRequestException e) {
            model.addAttribute("endError", "absences.error.order");
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
        }
        return "agenda-absences";
    }

    private java.time.@Nullable Instant instant(String date, String time, String field, Model model) {
        try {
            if (date.length() == 10 && time.length() == 5) {
                return LocalDate.parse(date)
                        .atTime(LocalTime.parse(time))
                        .atZone(dates.zone())
                        .toInstant();
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        model.addAttribute(field + "Error", "absences.error.dateTime");
        return null;
    }

    private List<Day> days(Actor.Person professional, Practitioner whose, LocalDate first, LocalDate end) {
        List<Availability.AgendaEntry> entries = availability.agendaWithPatients(
                whose.id(),
                first.atStartOfDay(dates.zone()).toInstant(),
                end.atStartOfDay(dates.zone()).toInstant());
        Map<UUID, String> names = names(entries, whose, professional);
        Map<LocalDate, List<Row>> byDay = new LinkedHashMap<>();
        for (LocalDate d = first; d.isBefore(end); d = d.plusDays(1)) {
            byDay.put(d, new ArrayList<>());
        }
        for (Availability.AgendaEntry entry : entries) {
            Slot slot = entry.slot();
            // The entries are read for these very days.
            Objects.requireNonNull(byDay.get(dates.day(slot.start())), "the slot's day")
                    .add(new Row(
                            slot.id().toString(),
                            dates.time(slot.start()),
                            slot.status().name(),
                            entry.patientFileId() == null ? null : names.get(entry.patientFileId()),
                            entry.forRelative(),
                            entry.appointmentId() == null
                                    ? null
                                    : entry.appointmentId().toString()));
        }
        return byDay.entrySet().stream()
                .map(e -> new Day(dates.day(e.getKey()), e.getValue()))
                .toList();
    }

    private Map<UUID, String> names(
            List<Availability.AgendaEntry> entries, Practitioner whose, Actor.Person professional) {
        List<UUID> files = entries.stream()
                .map(Availability.AgendaEntry::patientFileId)
                .filter(Objects::nonNull)
                .distinct()
                .toList();
        return patientFiles.names(whose.establishmentId(), files, professional, Purpose.AGENDA);
    }

    /** The agenda this professional works on, and for staff the list to choose another from. */
    private Practitioner chosen(Actor.Person professional, @Nullable String practitioner, Model model) {
        Practitioner whose;
        if (professional.role() == Role.STAFF) {
            List<Practitioner> colleagues = directory.practitionersOf(professional.professionalEstablishmentId());
            whose = practice.agendaFor(professional, practitioner);
            model.addAttribute(
                    "practitioners",
                    colleagues.stream()
                            .map(p -> new Option(p.id().toString(), p.displayName(), p.id().equals(whose.id())))
                            .toList());
        } else {
            whose = practice.agendaOf(professional, null).orElseThrow(() -> new NotFoundException("Practitioner"));
        }
        model.addAttribute("practitioner", whose.id().toString());
        model.addAttribute("practitionerName", whose.displayName());
        model.addAttribute("staff", professional.role() == Role.STAFF);
        return whose;
    }

    private String agendaUrl(
            Actor.Person professional, Practitioner whose, @Nullable String date, @Nullable String view) {
        UriComponentsBuilder url = UriComponentsBuilder.fromPath("/agenda")
                .queryParam("date", date == null || date.length() != 10 ? today().toString() : date)
                .queryParam("view", "week".equals(view) ? "week" : "day");
        if (professional.role() == Role.STAFF) {
            url.queryParam("practitioner", whose.id());
        }
        return url.build().toUriString();
    }

    private LocalDate today() {
        return LocalDate.now(clock.withZone(dates.zone()));
    }

    private LocalDate parse(@Nullable String date, Model model) {
        LocalDate today = today();
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
