package org.carnet.administration.web;

import jakarta.servlet.http.HttpServletResponse;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.carnet.directory.Directory;
import org.carnet.directory.Practitioner;
import org.carnet.directory.Rpps;
import org.carnet.directory.Specialty;
import org.carnet.identity.SignedIn;
import org.carnet.scheduling.Agendas;
import org.carnet.shared.Actor;
import org.carnet.shared.ConflictException;
import org.carnet.shared.InvalidRequestException;
import org.carnet.shared.NotFoundException;
import org.carnet.shared.WebPage;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * An establishment administrator's directory pages: the establishment's practitioners (listed and
 * added), each one's visit motives (added and removed) and, through {@link OpeningHoursPage}, their
 * opening hours. Logins are not made here.
 */
@WebPage
class EstablishmentPages {

    record Row(String id, String name, String specialty, String rpps, boolean hasAgenda) {}

    record Option(String code, String label) {}

    record MotiveRow(String id, String label, int durationMinutes, boolean teleconsultation) {}

    private final Directory directory;
    private final Agendas agendas;

    EstablishmentPages(Directory directory, Agendas agendas) {
        this.directory = directory;
        this.agendas = agendas;
    }

    @GetMapping("/establishment/practitioners")
    String practitioners(Model model) {
        model.addAttribute("form", Map.of());
        model.addAttribute("errors", Map.of());
        return showPractitioners(model);
    }

    @PostMapping("/establishment/practitioners")
    String addPractitioner(
            @RequestParam Map<String, String> typed,
            Model model,
            RedirectAttributes redirect,
            HttpServletResponse response) {
        Actor.Person admin = SignedIn.required();
        Map<String, String> form = trimmed(typed, "firstName", "lastName", "rpps", "specialty");
        Map<String, String> errors = new java.util.HashMap<>();
        Optional<Specialty> specialty = Specialty.fromCode(form.getOrDefault("specialty", ""));
        if (specialty.isEmpty()) {
            errors.put("specialty", "search.error.specialty");
        }
        Rpps rpps = null;
        try {
            rpps = new Rpps(form.getOrDefault("rpps", ""));
        } catch (InvalidRequestException e) {
            errors.put("rpps", "establishment.error.rpps");
        }
        for (String field : List.of("firstName", "lastName")) {
            if (form.getOrDefault(field, "").isEmpty()) {
                errors.put(field, "NotBlank");
            }
        }
        if (errors.isEmpty()) {
            try {
                directory.addPractitioner(
                        admin.professionalEstablishmentId(),
                        Objects.requireNonNull(rpps, "rpps, parsed when no error"),
                        form.getOrDefault("firstName", ""),
                        form.getOrDefault("lastName", ""),
                        specialty.get());
                redirect.addFlashAttribute("notice", "establishment.added");
                return "redirect:/establishment/practitioners";
            } catch (ConflictException e) {
                errors.put("rpps", "establishment.error.rppsTaken");
            } catch (InvalidRequestException e) {
                errors.put(e.field(), "Size");
            }
        }
        response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        return showPractitioners(model);
    }

    @GetMapping("/establishment/practitioners/{id}/motives")
    String motives(@PathVariable UUID id, Model model) {
        model.addAttribute("form", Map.of());
        model.addAttribute("errors", Map.of());
        return showMotives(practitioner(id), model);
    }

    @PostMapping("/establishment/practitioners/{id}/motives")
    String addMotive(
            @PathVariable UUID id,
            @RequestParam Map<String, String> typed,
            Model model,
            RedirectAttributes redirect,
            HttpServletResponse response) {
        Practitioner practitioner = practitioner(id);
        Map<String, String> form = trimmed(typed, "label", "durationMinutes", "teleconsultation");
        Map<String, String> errors = new java.util.HashMap<>();
        if (form.getOrDefault("label", "").isEmpty()
                || form.getOrDefault("label", "").length() > 120) {
            errors.put("label", "establishment.error.label");
        }
        int minutes = 0;
        try {
            minutes = Integer.parseInt(form.getOrDefault("durationMinutes", ""));
        } catch (NumberFormatException e) {
            minutes = -1;
        }
        if (minutes < 5 || minutes > 240) {
            errors.put("durationMinutes", "hours.error.slot");
        }
        if (errors.isEmpty()) {
            directory.addMotive(
                    id,
                    form.getOrDefault("label", ""),
                    minutes,
                    "true".equals(form.getOrDefault("teleconsultation", "")));
            redirect.addFlashAttribute("notice", "establishment.motiveAdded");
            return "redirect:/establishment/practitioners/" + id + "/motives";
        }
        response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        return showMotives(practitioner, model);
    }

    @PostMapping("/establishment/practitioners/{id}/motives/{motiveId}/remove")
    String removeMotive(@PathVariable UUID id, @PathVariable UUID motiveId, RedirectAttributes redirect) {
        practitioner(id);
        if (directory.removeMotive(id, motiveId)) {
            redirect.addFlashAttribute("notice", "establishment.motiveRemoved");
        }
        return "redirect:/establishment/practitioners/" + id + "/motives";
    }

    private String showPractitioners(Model model) {
        Actor.Person admin = SignedIn.required();
        Locale locale = LocaleContextHolder.getLocale();
        model.addAttribute(
                "practitioners",
                directory.practitionersOf(admin.professionalEstablishmentId()).stream()
                        .map(p -> new Row(
                                p.id().toString(),
                                p.displayName(),
                                p.specialty().label(locale),
                                p.rpps().value(),
                                agendas.schedule(p.id()).isPresent()))
                        .toList());
        model.addAttribute(
                "specialties",
                Arrays.stream(Specialty.values())
                        .map(s -> new Option(s.code(), s.label(locale)))
                        .toList());
        model.addAttribute(
                "establishment",
                directory
                        .establishment(admin.professionalEstablishmentId())
                        .map(e -> e.name())
                        .orElse(""));
        return "establishment-practitioners";
    }

    private String showMotives(Practitioner practitioner, Model model) {
        model.addAttribute("practitionerId", practitioner.id().toString());
        model.addAttribute("practitionerName", practitioner.displayName());
        model.addAttribute(
                "motives",
                directory.motives(practitioner.id()).stream()
                        .map(m ->
                                new MotiveRow(m.id().toString(), m.label(), m.durationMinutes(), m.teleconsultation()))
                        .toList());
        return "establishment-motives";
    }

    /** A practitioner of the administrator's own establishment; any other id is not found. */
    private Practitioner practitioner(UUID id) {
        Actor.Person admin = SignedIn.required();
        return directory
                .practitioner(id)
                .filter(p -> p.establishmentId().equals(admin.establishmentId()))
                .orElseThrow(() -> new NotFoundException("Practitioner"));
    }

    /** Every named field, trimmed and capped; absent ones as empty text. */
    private static Map<String, String> trimmed(Map<String, String> typed, String... fields) {
        Map<String, String> form = new java.util.HashMap<>();
        for (String field : fields) {
            String value = typed.getOrDefault(field, "").strip();
            form.put(field, value.length() > 200 ? value.substring(0, 200) : value);
        }
        return form;
    }
}
