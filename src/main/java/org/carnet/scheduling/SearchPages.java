package org.carnet.scheduling;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.carnet.directory.Establishment;
import org.carnet.directory.Practitioner;
import org.carnet.directory.Specialty;
import org.carnet.shared.WebPage;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The home page's search form and the search results. */
@WebPage
class SearchPages {

    static final int MAX_PLACE = 100;

    record Option(String code, String label) {}

    /** What was searched, shown again in the form. */
    record Query(String specialty, String city, boolean teleconsultation) {}

    record SlotLink(String id, String label) {}

    record Result(
            String practitionerId,
            String name,
            String specialty,
            String establishment,
            String address,
            List<SlotLink> slots) {}

    private final Availability availability;
    private final PageDates dates;

    SearchPages(Availability availability, PageDates dates) {
        this.availability = availability;
        this.dates = dates;
    }

    @GetMapping("/")
    String home(Model model) {
        model.addAttribute("specialties", specialties());
        model.addAttribute("query", new Query("", "", false));
        return "home";
    }

    @GetMapping("/search")
    String search(
            @RequestParam(required = false) String specialty,
            @RequestParam(required = false) String city,
            @RequestParam(defaultValue = "false") boolean teleconsultation,
            @RequestParam(defaultValue = "0") String page,
            Model model) {
        String place = city == null ? "" : city.strip();
        model.addAttribute("specialties", specialties());
        Optional<Specialty> wanted =
                specialty == null || specialty.length() > 40 ? Optional.empty() : Specialty.fromCode(specialty);
        model.addAttribute(
                "query", new Query(wanted.map(Specialty::code).orElse(""), shorten(place), teleconsultation));
        if (wanted.isEmpty()) {
            model.addAttribute("specialtyError", "search.error.specialty");
            return "home";
        }
        if (place.length() > MAX_PLACE) {
            model.addAttribute("cityError", "search.error.city");
            return "home";
        }
        int pageNumber = parsePage(page);
        Availability.Page found = availability.search(wanted.get(), place, teleconsultation, null, pageNumber);
        Locale locale = LocaleContextHolder.getLocale();
        model.addAttribute(
                "results",
                found.content().stream().map(item -> result(item, locale)).toList());
        model.addAttribute("specialtyLabel", wanted.get().label(locale));
        model.addAttribute("page", found.page());
        model.addAttribute("totalPages", found.totalPages());
        model.addAttribute("total", found.totalElements());
        return "search";
    }

    private Result result(Availability.PractitionerAvailability item, Locale locale) {
        Practitioner p = item.practitioner();
        Establishment e = item.establishment();
        return new Result(
                p.id().toString(),
                p.displayName(),
                p.specialty().label(locale),
                e.name(),
                e.fullAddress(),
                item.slots().stream()
                        .map(s -> new SlotLink(s.id().toString(), dates.slot(s.start())))
                        .toList());
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
