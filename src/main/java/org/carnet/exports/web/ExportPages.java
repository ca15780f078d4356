package org.carnet.exports.web;

import jakarta.servlet.http.HttpServletResponse;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.carnet.exports.ExportScope;
import org.carnet.exports.Exports;
import org.carnet.exports.LeakTracer;
import org.carnet.exports.NewExport;
import org.carnet.exports.RecipientNetworks;
import org.carnet.identity.SignedIn;
import org.carnet.shared.ConflictException;
import org.carnet.shared.InvalidRequestException;
import org.carnet.shared.WebPage;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The pages of an export's life: the establishment administrator asks for one and follows it
 * ({@code /establishment/exports}), the security officer approves it and hands the one-time link to
 * the recipient ({@code /security/exports}), and checks a suspected leak ({@code /security/leak-trace}).
 * Everything goes through {@link Exports} and {@link LeakTracer}, as the API does.
 */
@WebPage
class ExportPages {

    private final Exports exports;
    private final LeakTracer tracer;

    ExportPages(Exports exports, LeakTracer tracer) {
        this.exports = exports;
        this.tracer = tracer;
    }

    @GetMapping("/establishment/exports")
    String establishmentExports(Model model) {
        model.addAttribute("form", Map.of("scope", List.of()));
        model.addAttribute("errors", Map.of());
        return showEstablishmentExports(model);
    }

    @PostMapping("/establishment/exports")
    String requestExport(
            @RequestParam(defaultValue = "") String recipient,
            @RequestParam(defaultValue = "") String recipientKey,
            @RequestParam(required = false) @Nullable List<String> scope,
            @RequestParam(defaultValue = "") String from,
            @RequestParam(defaultValue = "") String to,
            @RequestParam(defaultValue = "") String recipientNetworks,
            Model model,
            RedirectAttributes redirect,
            HttpServletResponse response) {
        List<String> scopes = scope == null ? List.of() : scope;
        Map<String, String> errors = new HashMap<>();
        Set<ExportScope> parts = EnumSet.noneOf(ExportScope.class);
        for (String part : scopes) {
            try {
                parts.add(ExportScope.valueOf(part));
            } catch (IllegalArgumentException e) {
                errors.put("scope", "exports.error.scope");
            }
        }
        LocalDate first = date(from, "from", errors);
        LocalDate last = date(to, "to", errors);
        if (errors.isEmpty() && first != null && last != null) {
            try {
                exports.request(
                        SignedIn.required(),
                        new NewExport(
                                recipient.strip(), recipientKey, parts, first, last, networks(recipientNetworks)));
                redirect.addFlashAttribute("notice", "exports.requested");
                return "redirect:/establishment/exports";
            } catch (InvalidRequestException e) {
                errors.put(e.field(), "exports.error." + e.field());
            }
        }
        response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
        Map<String, Object> form = new LinkedHashMap<>();
        form.put("recipient", recipient);
        form.put("recipientKey", recipientKey);
        form.put("scope", scopes);
        form.put("from", from);
        form.put("to", to);
        form.put("recipientNetworks", recipientNetworks);
        model.addAttribute("form", form);
        model.addAttribute("errors", errors);
        return showEstablishmentExports(model);
    }

    @GetMapping("/security/exports")
    String securityExports(Model model) {
        model.addAttribute("exports", exports.list(SignedIn.required()));
        return "security-exports";
    }

    @PostMapping("/security/exports/{id}/approve")
    String approve(@PathVariable UUID id, Model model, HttpServletResponse response) {
        try {
            Exports.Approval approval = exports.approve(SignedIn.required(), id);
            model.addAttribute("approved", approval.export());
            model.addAttribute(
                    "downloadUrl",
                    ServletUriComponentsBuilder.fromCurrentContextPath()
                            .path("/api/v1/exports/download/{token}")
                            .buildAndExpand(approval.token())
                            .toUriString());
            // The link is shown this once: nothing may keep the page.
            response.setHeader("Cache-Control", "no-store");
        } catch (ConflictException e) {
            response.setStatus(HttpServletResponse.SC_CONFLICT);
            model.addAttribute("error", "exports.error.approve");
        }
        return securityExports(model);
    }

    /** The confirmation step before an establishment's keys are destroyed: it names the establishment. */
    @GetMapping("/security/establishments/{id}/shred")
    String shredConfirmation(@PathVariable UUID id, Model model) {
        model.addAttribute("candidate", exports.shredCandidate(SignedIn.required(), id));
        model.addAttribute("shredAfterDays", exports.shredAfter().toDays());
        return "security-shred";
    }

    @PostMapping("/security/establishments/{id}/shred")
    String shred(
            @PathVariable UUID id,
            @RequestParam(defaultValue = "false") boolean confirm,
            Model model,
            HttpServletResponse response) {
        if (!confirm) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            model.addAttribute("confirmError", true);
            return shredConfirmation(id, model);
        }
        try {
            exports.shredEstablishment(SignedIn.required(), id);
            model.addAttribute("shredded", true);
        } catch (Exports.ShredRefused e) {
            response.setStatus(HttpServletResponse.SC_CONFLICT);
            model.addAttribute(
                    "error",
                    e.reason() == Exports.ShredRefused.Reason.ALREADY_DESTROYED
                            ? "shred.error.destroyed"
                            : "shred.error.tooEarly");
        }
        return shredConfirmation(id, model);
    }

    @GetMapping("/security/leak-trace")
    String leakTrace() {
        return "security-leak-trace";
    }

    /** A pasted sample, without JavaScript: at most what a form may carry (64 KB). */
    @PostMapping(value = "/security/leak-trace", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
    String tracePasted(@RequestParam(defaultValue = "") String sample, Model model) {
        model.addAttribute("attribution", tracer.trace(SignedIn.required(), sample));
        return "security-leak-trace";
    }

    /**
     * A whole file, read by the page's script and sent as text: kept in memory only, never written to
     * disk, at most 64 MiB. Answers the result's fragment, which the script puts in the page.
     */
    @PostMapping(value = "/security/leak-trace", consumes = MediaType.TEXT_PLAIN_VALUE)
    String traceFile(@RequestBody String file, Model model, HttpServletResponse response) {
        if (file.length() > ExportsController.MAX_TRACED) {
            response.setStatus(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
            model.addAttribute("tooLarge", true);
        } else {
            model.addAttribute("attribution", tracer.trace(SignedIn.required(), file));
        }
        return "security-leak-trace :: result";
    }

    private String showEstablishmentExports(Model model) {
        model.addAttribute("exports", exports.list(SignedIn.required()));
        model.addAttribute("scopes", ExportScope.values());
        return "establishment-exports";
    }

    /** One network a line (or separated by commas or spaces), as an administrator pastes them. */
    private static List<String> networks(String typed) {
        return java.util.Arrays.stream(typed.split("[\\s,]+"))
                .filter(s -> !s.isEmpty())
                .limit(RecipientNetworks.MAX + 1L)
                .toList();
    }

    private static @Nullable LocalDate date(String typed, String field, Map<String, String> errors) {
        try {
            return LocalDate.parse(typed.strip());
        } catch (DateTimeParseException e) {
            errors.put(field, "exports.error." + field);
            return null;
        }
    }
}
