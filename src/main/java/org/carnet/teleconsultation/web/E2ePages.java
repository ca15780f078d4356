package org.carnet.teleconsultation.web;

import java.util.UUID;
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
 * practitioner's device keys, the patient's questionnaire, the practitioner's reading of the answers.
 * The server renders what is not secret (who the recipients are, the form's questions); the answers
 * exist in clear only in the two browsers.
 */
@WebPage
class E2ePages {

    private final Teleconsultations teleconsultations;
    private final ScriptIntegrity integrity;

    E2ePages(Teleconsultations teleconsultations, ScriptIntegrity integrity) {
        this.teleconsultations = teleconsultations;
        this.integrity = integrity;
    }

    @GetMapping("/account/keys")
    String keys(Model model) {
        Actor.Person me = SignedIn.required();
        model.addAttribute("subjectKind", KeyDirectory.kindOf(me).code());
        model.addAttribute("subjectId", me.subjectId());
        model.addAttribute("patient", me.role() == org.carnet.shared.Role.PATIENT);
        model.addAttribute("sri", integrity.of("e2e.js", "e2e-keys.js"));
        return "e2e-keys";
    }

    @GetMapping("/me/teleconsultations/{id}")
    String questionnaire(@PathVariable UUID id, Model model) {
        Actor.Person me = SignedIn.required();
        model.addAttribute("consultation", teleconsultations.overview(me, id));
        model.addAttribute("patientId", me.subjectId());
        model.addAttribute("sri", integrity.of("e2e.js", "e2e-questionnaire.js"));
        return "e2e-questionnaire";
    }

    @GetMapping("/agenda/teleconsultations/{id}")
    String answers(@PathVariable UUID id, Model model) {
        Actor.Person me = SignedIn.required();
        Teleconsultations.Overview overview = teleconsultations.overview(me, id);
        model.addAttribute("consultation", overview);
        model.addAttribute("practitionerId", me.subjectId());
        model.addAttribute("ownConsultation", overview.practitionerId().equals(me.subjectId()));
        model.addAttribute("sri", integrity.of("e2e.js", "e2e-answers.js"));
        return "e2e-answers";
    }
}
