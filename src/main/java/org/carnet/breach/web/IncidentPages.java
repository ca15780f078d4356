package org.carnet.breach.web;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.carnet.access.ReadOnlyEstablishments;
import org.carnet.breach.Article33Drafts;
import org.carnet.breach.Article34Notices;
import org.carnet.breach.BreachRegister;
import org.carnet.breach.Containment;
import org.carnet.breach.IncidentView;
import org.carnet.breach.Incidents;
import org.carnet.identity.AccountContainment;
import org.carnet.identity.SignedIn;
import org.carnet.shared.ConflictException;
import org.carnet.shared.InvalidRequestException;
import org.carnet.shared.NotFoundException;
import org.carnet.shared.WebPage;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The security officer's console of incidents ({@code /security/incidents}): the open ones, each with
 * its countdown to the Article 33 deadline, the rules that fired, the timeline, one button per
 * containment action that applies (to its program or account, and to each establishment concerned) and,
 * per establishment, the form recording the decision about notifying the CNIL. Everything goes through {@link Incidents}, as the API does.
 */
@WebPage
class IncidentPages {

    /**
     * One incident on the page.
     *
     * @param hoursLeft whole hours left before {@code notifyBy} (0 when overdue)
     * @param minutesLeft the minutes beyond those hours
     * @param overdue whether {@code notifyBy} has passed
     * @param actions the codes of the containment actions that apply
     */
    record Row(
            IncidentView incident,
            long hoursLeft,
            long minutesLeft,
            boolean overdue,
            List<String> actions,
            List<EstablishmentRow> establishments) {

        /** Whether the incident names whose reads to scope, and establishments to notify. */
        public boolean notifiable() {
            return (incident.clientId() != null || incident.userId() != null)
                    && !incident.establishments().isEmpty();
        }
    }

    /**
     * One establishment the incident concerns, with the containment that applies to it.
     *
     * @param readOnly whether it is in read-only mode now (the button lifts it)
     */
    record EstablishmentRow(UUID id, boolean readOnly) {}

    private final Incidents incidents;
    private final ReadOnlyEstablishments readOnly;
    private final Article33Drafts drafts;
    private final Article34Notices notices;
    private final BreachRegister register;
    private final AccountContainment accounts;
    private final Clock clock;

    IncidentPages(
            Incidents incidents,
            ReadOnlyEstablishments readOnly,
            Article33Drafts drafts,
            Article34Notices notices,
            BreachRegister register,
            AccountContainment accounts,
            Clock clock) {
        this.accounts = accounts;
        this.incidents = incidents;
        this.readOnly = readOnly;
        this.drafts = drafts;
        this.notices = notices;
        this.register = register;
        this.clock = clock;
    }

    /** The breach register of GDPR Article 33(5): every incident, open or closed, with its decisions. */
    @GetMapping("/security/incidents/register")
    String register(Model model) {
        model.addAttribute("entries", register.entries(SignedIn.required()));
        return "security-breach-register";
    }

    @PostMapping("/security/incidents/{id}/close")
    String close(@PathVariable UUID id, RedirectAttributes redirect) {
        try {
            register.close(SignedIn.required(), id);
            redirect.addFlashAttribute("done", "incidents.done.closed");
        } catch (ConflictException e) {
            redirect.addFlashAttribute("conflict", true);
        }
        return "redirect:/security/incidents";
    }

    /** The Article 33 draft of one establishment, as a page to read and copy from (in French, as filed). */
    @GetMapping("/security/incidents/{id}/article-33")
    String article33Page(@PathVariable UUID id, @RequestParam UUID establishment, Model model) {
        model.addAttribute("draft", drafts.draft(SignedIn.required(), id, establishment));
        return "security-article-33";
    }

    /** The Article 33 draft of one establishment, as the PDF the API serves. */
    @GetMapping("/security/incidents/{id}/article-33.pdf")
    ResponseEntity<byte[]> article33(@PathVariable UUID id, @RequestParam UUID establishment) {
        return Article33Pdf.download(drafts.draft(SignedIn.required(), id, establishment));
    }

    @PostMapping("/security/incidents/{id}/article-34")
    String tell(@PathVariable UUID id, @RequestParam UUID establishment, RedirectAttributes redirect) {
        try {
            // Flash attributes live in the session store: plain numbers only.
            Article34Notices.PatientsTold told = notices.tell(SignedIn.required(), id, establishment);
            redirect.addFlashAttribute("toldPatients", told.patients());
            redirect.addFlashAttribute("toldExempt", told.exempt());
        } catch (ConflictException e) {
            redirect.addFlashAttribute("conflict", true);
        }
        return "redirect:/security/incidents";
    }

    @GetMapping("/security/incidents")
    String list(Model model) {
        model.addAttribute(
                "rows",
                incidents.list(SignedIn.required(), true).stream()
                        .map(this::row)
                        .toList());
        return "security-incidents";
    }

    /**
     * The decision about notifying the CNIL for one establishment, as the API records it; a missing or
     * malformed reference comes back as a message beside that establishment's form (never echoing it).
     */
    @PostMapping("/security/incidents/{id}/notifications")
    String decide(
            @PathVariable UUID id,
            @RequestParam UUID establishment,
            @RequestParam(required = false) @Nullable String decision,
            @RequestParam(required = false) @Nullable String reference,
            RedirectAttributes redirect) {
        BreachRegister.CnilDecision chosen = Arrays.stream(BreachRegister.CnilDecision.values())
                .filter(d -> d.name().equals(decision))
                .findFirst()
                .orElse(null);
        String given = reference == null || reference.isBlank() ? null : reference.strip();
        // Flash attributes live in the session store: strings only.
        redirect.addFlashAttribute("decisionFor", establishment.toString());
        if (chosen == null) {
            redirect.addFlashAttribute("decisionError", "incidents.decision.error.choose");
            return "redirect:/security/incidents#decision-" + id + "-" + establishment;
        }
        try {
            register.decide(SignedIn.required(), id, establishment, chosen, given);
            redirect.addFlashAttribute("done", "incidents.done.decision." + chosen.name());
        } catch (InvalidRequestException e) {
            redirect.addFlashAttribute(
                    "decisionError",
                    chosen == BreachRegister.CnilDecision.NOTIFIED
                            ? "incidents.decision.error.reference"
                            : "incidents.decision.error.unexpected");
        }
        return "redirect:/security/incidents#decision-" + id + "-" + establishment;
    }

    @PostMapping("/security/incidents/{id}/containment/{action}")
    String contain(
            @PathVariable UUID id,
            @PathVariable String action,
            @RequestParam(required = false) @Nullable UUID target,
            RedirectAttributes redirect) {
        Containment chosen = Arrays.stream(Containment.values())
                .filter(c -> c.code().equals(action))
                .findFirst()
                .orElseThrow(() -> new NotFoundException("action"));
        try {
            incidents.contain(SignedIn.required(), id, chosen, chosen.onEstablishment() ? target : null);
            redirect.addFlashAttribute("done", "incidents.done." + chosen.code());
        } catch (ConflictException e) {
            redirect.addFlashAttribute("conflict", true);
        }
        return "redirect:/security/incidents";
    }

    private Row row(IncidentView incident) {
        Duration left = Duration.between(clock.instant(), incident.notifyBy());
        boolean overdue = left.isNegative();
        List<String> actions = new ArrayList<>();
        if (incident.clientId() != null) {
            actions.add(Containment.SUSPEND_PROGRAM.code());
        }
        if (incident.userId() != null) {
            actions.add(
                    accounts.locked(incident.userId())
                            ? Containment.LIFT_LOCK.code()
                            : Containment.LOCK_ACCOUNT.code());
            actions.add(Containment.END_SESSIONS.code());
            actions.add(Containment.REQUIRE_RENEWAL.code());
        }
        List<EstablishmentRow> establishments = incident.establishments().stream()
                .map(e -> new EstablishmentRow(e, readOnly.isReadOnly(e)))
                .toList();
        return new Row(
                incident,
                overdue ? 0 : left.toHours(),
                overdue ? 0 : left.toMinutesPart(),
                overdue,
                actions,
                establishments);
    }
}
