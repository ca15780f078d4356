package org.carnet.scheduling.web;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.carnet.directory.Directory;
import org.carnet.directory.Establishment;
import org.carnet.directory.Practitioner;
import org.carnet.directory.Specialty;
import org.carnet.scheduling.Availability;
import org.carnet.scheduling.Slot;
import org.carnet.shared.WebPage;
import org.jspecify.annotations.Nullable;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The home page's search form (with suggestions of specialties and cities) and the results: each
 * practitioner with their free slots of one week, and links to move a week back or forth.
 */
@WebPage
class SearchPages {

    static final int MAX_PLACE = 100;
    static final int SLOTS_PER_DAY = 4;

    record Option(String code, String label) {}

    /** What was searched, shown again in the form; {@code specialty} is the label as shown. */
    record Query(String specialty, String specialtyCode, String city, boolean teleconsultation) {}

    record SlotLink(String id, String label) {}

    /** One day of a practitioner's week in the results: its first free slots and how many more. */
    record DayColumn(String label, List<SlotLink> slots, int more) {}

    record Result(
            String practitionerId,
            String name,
            String specialty,
            String establishment,
            String address,
            List<DayColumn> days) {}

    private final Availability availability;
    private final Directory directory;
    private final PageDates dates;
    private final Clock clock;

    SearchPages(Availability availability, Directory directory, PageDates dates, Clock clock) {
        this.availability = availability;
        this.directory = directory;
        this.dates = dates;
        this.clock = clock;
    }

    @GetMapping("/")
    String home(Model model) {
        suggestions(model);
        model.addAttribute("query", new Query("", "", "", false));
        return "home";
    }

    @GetMapping("/search")
    String search(
            @RequestParam(required = false) @Nullable String specialty,
            @RequestParam(required = false) @Nullable String city,
            @RequestParam(defaultValue = "false") boolean teleconsultation,
            @RequestParam(defaultValue = "0") String page,
            @RequestParam(required = false) @Nullable String from,
            Model model) {
        String place = city == null ? "" : city.strip();
        suggestions(model);
        Locale locale = LocaleContextHolder.getLocale();
        Optional<Specialty> wanted = Specialty.fromTyped(specialty);
        String typed = specialty == null ? "" : shorten(specialty.strip());
        model.addAttribute(
                "query",
                new Query(
                        wanted.map(s -> s.label(locale)).orElse(typed),
                        wanted.map(Specialty::code).orElse(""),
                        shorten(place),
                        teleconsultation));
        if (wanted.isEmpty()) {
            model.addAttribute("specialtyError", "search.error.specialty");
            return "home";
        }
        if (place.length() > MAX_PLACE) {
            model.addAttribute("cityError", "search.error.city");
            return "home";
        }
        LocalDate today = LocalDate.now(clock.withZone(dates.zone()));
        LocalDate first = WeekParam.start(from, today);
        Instant start = first.atStartOfDay(dates.zone()).toInstant();
        Instant end = first.plusDays(7).atStartOfDay(dates.zone()).toInstant();
        int pageNumber = parsePage(page);
        Availability.Page found = availability.search(wanted.get(), place, teleconsultation, start, pageNumber);
        model.addAttribute(
                "results",
                found.content().stream()
                        .map(item -> result(item, start, end, first, locale))
                        .toList());
        model.addAttribute("specialtyLabel", wanted.get().label(locale));
        model.addAttribute("page", found.page());
        model.addAttribute("totalPages", found.totalPages());
        model.addAttribute("total", found.totalElements());
        model.addAttribute("from", first.toString());
        model.addAttribute("weekLabel", dates.day(first));
        model.addAttribute("previousWeek", first.isAfter(today) ? WeekParam.previous(first, today) : null);
        model.addAttribute("nextWeek", first.plusDays(7).toString());
        return "search";
    }

    private Result result(
            Availability.PractitionerAvailability item, Instant start, Instant end, LocalDate first, Locale locale) {
        Practitioner p = item.practitioner();
        Establishment e = item.establishment();
        Map<LocalDate, List<Slot>> byDay = new LinkedHashMap<>();
        for (int i = 0; i < 7; i++) {
            byDay.put(first.plusDays(i), new ArrayList<>());
        }
        Instant now = clock.instant();
        for (Slot slot : availability.freeSlots(p.id(), start.isBefore(now) ? now : start, end)) {
            // The slots are read for these seven days.
            Objects.requireNonNull(byDay.get(dates.day(slot.start())), "the slot's day")
                    .add(slot);
        }
        List<DayColumn> days = byDay.entrySet().stream()
                .map(day -> new DayColumn(
                        dates.shortDay(day.getKey()),
                        day.getValue().stream()
                                .limit(SLOTS_PER_DAY)
                                .map(s -> new SlotLink(s.id().toString(), dates.time(s.start())))
                                .toList(),
                        Math.max(0, day.getValue().size() - SLOTS_PER_DAY)))
                .toList();
        return new Result(
                p.id().toString(), p.displayName(), p.specialty().label(locale), e.name(), e.fullAddress(), days);
    }

    private void suggestions(Model model) {
        model.addAttribute("specialties", specialties());
        model.addAttribute("cities", directory.cities());
    }

    static List<Option> specialties() {
        Locale locale = LocaleContextHolder.getLocale();
        return Arrays.stream(Specialty.values())
                .map(s -> new Option(s.code(), s.label(locale)))
                .toList();
    }

    private static int parsePage(String page) {
        try {
            return Math.max(0, Math.min(Integer.parseInt(page), 10_000));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String shorten(String place) {
        return place.length() > MAX_PLACE ? place.substring(0, MAX_PLACE) : place;
    }
}
