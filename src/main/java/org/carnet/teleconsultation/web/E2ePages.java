package org.carnet.teleconsultation.web;

import java.util.UUID;
import org.carnet.directory.Directory;
import org.carnet.directory.Practitioner;
import org.carnet.identity.SignedIn;
import org.carnet.shared.Actor;
import org.carnet.shared.WebPage;
import org.carnet.teleconsultation.KeyDirectory;
import org.carnet.teleconsultation.Teleconsultations;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;

/**
 * The pages whose script does the end-to-end cryptography (static/js/e2e.js): a patient's or
 * practitioner's device keys, the patient's questionnaire, the practitioner's reading of the answers,
 * and on both consultation pages the encrypted exchange (static/js/e2e-exchange.js). The server renders
 * what is not secret (who the recipients are, the form's questions); answers, messages and documents
 * exist in clear only in the browsers.
 */
@WebPage
class E2ePages {

    /**
     * What the exchange's fragment needs beside the consultation: the reader as a directory subject, the
     * appointment's practitioner's name (shown as a sender and a signer), what the page says while the
     * exchange is closed, and whether this reader may open it (the patient) or sign (a practitioner).
     */
    record ExchangeView(
            String subjectKind,
            UUID subjectId,
            String practitionerName,
            String closedMessage,
            boolean canSetUp,
            boolean canSign) {}

    private final Teleconsultations teleconsultations;
    private final ScriptIntegrity integrity;
    private final Directory directory;

    E2ePages(Teleconsultations teleconsultations, ScriptIntegrity integrity, Directory directory) {
        this.teleconsultations = teleconsultations;
        this.integrity = integrity;
        this.directory = directory;
    }

    @GetMapping("/account/keys")
    String keys(Model model) {
        Actor.Person me = SignedIn.required();
        model.addAttribute("subjectKind", KeyDirectory.kindOf(me).code());
        model.addAttribute("subjectId", me.subjectId());
        model.addAttribute("patient", me.role() == org.carnet.shared.Role.PATIENT);
        model.addAttribute("sri", integrity.of("e2e.js", "e2e-account.js", "e2e-keys.js"));
        return "e2e-keys";
    }

    @GetMapping("/me/teleconsultations/{id}")
    String questionnaire(@PathVariable UUID id, Model model) {
        Actor.Person me = SignedIn.required();
        Teleconsultations.Overview overview = teleconsultations.overview(me, id);
        boolean booked = "BOOKED".equals(overview.status());
        String closed = !booked
                ? "e2e.exchange.closed.cancelled"
                : overview.questionnaires().isEmpty()
                        ? "e2e.exchange.closed.patient"
                        : "e2e.exchange.closed.questionnaire";
        model.addAttribute("consultation", overview);
        model.addAttribute("patientId", me.subjectId());
        model.addAttribute(
                "exchange",
                new ExchangeView(
                        KeyDirectory.kindOf(me).code(),
                        me.subjectId(),
                        practitionerName(overview),
                        closed,
                        booked && overview.questionnaires().isEmpty(),
                        false));
        model.addAttribute("sri", integrity.of("e2e.js", "e2e-questionnaire.js", "e2e-exchange.js"));
        return "e2e-questionnaire";
    }

    @GetMapping("/agenda/teleconsultations/{id}")
    String answers(@PathVariable UUID id, Model model) {
        Actor.Person me = SignedIn.required();
        Teleconsultations.Overview overview = teleconsultations.overview(me, id);
        model.addAttribute("consultation", overview);
        model.addAttribute("practitionerId", me.subjectId());
        model.addAttribute("ownConsultation", overview.practitionerId().equals(me.subjectId()));
        model.addAttribute(
                "exchange",
                new ExchangeView(
                        KeyDirectory.kindOf(me).code(),
                        me.subjectId(),
                        practitionerName(overview),
                        "BOOKED".equals(overview.status())
                                ? "e2e.exchange.closed.practitioner"
                                : "e2e.exchange.closed.cancelled",
                        false,
                        true));
        // Another practitioner of the establishment opens the consultation through the establishment key.
        model.addAttribute(
                "sri",
                integrity.of("e2e.js", "e2e-account.js", "e2e-establishment.js", "e2e-answers.js", "e2e-exchange.js"));
        return "e2e-answers";
    }

    private String practitionerName(Teleconsultations.Overview overview) {
        return directory
                .practitioner(overview.practitionerId())
                .map(Practitioner::displayName)
                .orElse("");
    }
}
