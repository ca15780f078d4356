package org.carnet.teleconsultation.web;

import java.util.UUID;
import org.carnet.directory.Departures;
import org.carnet.identity.SignedIn;
import org.carnet.shared.Actor;
import org.carnet.shared.WebPage;
import org.carnet.teleconsultation.EstablishmentKeys;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The establishment administrator's page for the establishment key (docs/e2e.md, "The establishment key"),
 * linked from the establishment's page: its script (static/js/e2e-establishment.js) makes the key, shows the
 * offline recovery code once, wraps the key to the practitioners, and rotates it after a departure. The server
 * renders the state (versions, practitioners, departures); the key itself only ever exists in that script's
 * memory. A practitioner's departure is recorded here too, as a plain form.
 */
@WebPage
class EstablishmentKeyPages {

    private final EstablishmentKeys keys;
    private final Departures departures;
    private final ScriptIntegrity integrity;
    private final java.time.Clock clock;

    EstablishmentKeyPages(
            EstablishmentKeys keys, Departures departures, ScriptIntegrity integrity, java.time.Clock clock) {
        this.keys = keys;
        this.departures = departures;
        this.integrity = integrity;
        this.clock = clock;
    }

    @GetMapping("/establishment/keys")
    String page(Model model) {
        EstablishmentKeys.Status status = keys.status(SignedIn.required());
        model.addAttribute("status", status);
        model.addAttribute(
                "missing",
                status.practitioners().stream()
                        .anyMatch(p -> !p.missingVersions().isEmpty()));
        model.addAttribute("sri", integrity.of("e2e.js", "e2e-account.js", "e2e-establishment.js"));
        return "e2e-establishment-keys";
    }

    @PostMapping("/establishment/keys/departures/{practitionerId}")
    String depart(@PathVariable UUID practitionerId, RedirectAttributes redirect) {
        Actor.Person admin = SignedIn.required();
        departures.record(admin.professionalEstablishmentId(), practitionerId, clock.instant(), admin.userId());
        redirect.addFlashAttribute("notice", "e2e.establishment.departed");
        return "redirect:/establishment/keys";
    }
}
