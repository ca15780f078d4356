package org.carnet.scheduling.web;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.carnet.directory.Directory;
import org.carnet.directory.Establishment;
import org.carnet.directory.Practitioner;
import org.carnet.scheduling.Availability;
import org.carnet.scheduling.Slot;
import org.carnet.scheduling.internal.SlotStore;
import org.carnet.shared.NotFoundException;
import org.carnet.shared.PageParams;
import org.carnet.shared.WebPage;
import org.jspecify.annotations.Nullable;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * A practitioner's public page: where they work, what for (motives with their durations, and whether
 * they hold teleconsultations), and their free slots a week at a time up to the agenda's horizon.
 */
@WebPage
class PractitionerPage {

    record SlotLink(String id, String time) {}

    record Day(String label, List<SlotLink> slots) {}

    record Motive(String label, int durationMinutes, boolean teleconsultation) {}

    private final Directory directory;
    private final Availability availability;
    private final SlotStore slots;
    private final PageDates dates;
    private final Clock clock;

    PractitionerPage(Directory directory, Availability availability, SlotStore slots, PageDates dates, Clock clock) {
        this.directory = directory;
        this.availability = availability;
        this.slots = slots;
        this.dates = dates;
        this.clock = clock;
    }

    @GetMapping("/practitioners/{id}")
    String show(
            @PathVariable UUID id,
            @RequestParam(name = "slot", required = false) String slotId,
            @RequestParam(required = false) @Nullable String week,
            Model model) {
        Practitioner practitioner = directory.practitioner(id).orElseThrow(() -> new NotFoundException("Practitioner"));
        Establishment establishment = directory
                .establishment(practitioner.establishmentId())
                .orElseThrow(() -> new NotFoundException("Establishment"));
        Instant now = clock.instant();
        model.addAttribute("practitionerId", id.toString());
        model.addAttribute("name", practitioner.displayName());
        model.addAttribute("specialty", practitioner.specialty().label(LocaleContextHolder.getLocale()));
        model.addAttribute("establishment", establishment);
        model.addAttribute(
                "motives",
                directory.motives(id).stream()
                        .map(m -> new Motive(m.label(), m.durationMinutes(), m.teleconsultation()))
                        .toList());
        LocalDate today = LocalDate.now(clock.withZone(dates.zone()));
        LocalDate first = WeekParam.start(week, today);
        Instant from = first.atStartOfDay(dates.zone()).toInstant();
        Instant to = first.plusDays(7).atStartOfDay(dates.zone()).toInstant();
        model.addAttribute("days", days(availability.freeSlots(id, from.isBefore(now) ? now : from, to)));
        model.addAttribute("teleconsultation", directory.motives(id).stream().anyMatch(m -> m.teleconsultation()));
        model.addAttribute("weekFrom", dates.day(first));
        model.addAttribute("weekTo", dates.day(first.plusDays(6)));
        model.addAttribute("previousWeek", first.isAfter(today) ? WeekParam.previous(first, today) : null);
        model.addAttribute("nextWeek", first.plusDays(7).toString());
        selected(slotId, id, now).ifPresent(slot -> {
            model.addAttribute("selectedSlotId", slot.id().toString());
            model.addAttribute("selectedSlot", dates.dateTime(slot.start()));
        });
        return "practitioner";
    }

    /** The slot chosen on the results page, if it is still a free, future slot of this practitioner. */
    private java.util.Optional<Slot> selected(String slotId, UUID practitionerId, Instant now) {
        return PageParams.uuid(slotId)
                .flatMap(slots::find)
                .filter(s -> s.practitionerId().equals(practitionerId))
                .filter(s -> s.isBookableAt(now));
    }

    private List<Day> days(List<Slot> free) {
        Map<LocalDate, List<SlotLink>> byDay = new LinkedHashMap<>();
        for (Slot slot : free) {
            byDay.computeIfAbsent(dates.day(slot.start()), d -> new ArrayList<>())
                    .add(new SlotLink(slot.id().toString(), dates.time(slot.start())));
        }
        return byDay.entrySet().stream()
                .map(e -> new Day(dates.day(e.getKey()), e.getValue()))
                .toList();
    }
}
