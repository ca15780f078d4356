package org.carnet.patients.web;

import java.util.UUID;
import org.carnet.access.AccessDecision;
import org.carnet.access.AccessRequest;
import org.carnet.access.BreakTheGlassLog;
import org.carnet.access.Grant;
import org.carnet.identity.SignedIn;
import org.carnet.patients.PatientFiles;
import org.carnet.shared.Action;
import org.carnet.shared.Actor;
import org.carnet.shared.NotFoundException;
import org.carnet.shared.PageParams;
import org.carnet.shared.PatientRef;
import org.carnet.shared.Purpose;
import org.carnet.shared.Resource;
import org.carnet.shared.Role;
import org.carnet.shared.WebPage;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * A patient's file in the professional's own establishment: shown as far as the access decision
 * grants. A practitioner outside the care rule is offered break-the-glass: a written reason opens the
 * file once, and the opening is flagged for the establishment administrator's review.
 */
@WebPage
class PatientFilePage {

    private final PatientFiles files;
    private final AccessDecision access;

    PatientFilePage(PatientFiles files, AccessDecision access) {
        this.files = files;
        this.access = access;
    }

    @GetMapping("/agenda/patients/{patientId}")
    @Transactional
    String file(@PathVariable String patientId, Model model) {
        Actor.Person actor = SignedIn.required();
        UUID patient = existing(actor, patientId);
        Grant grant = access.decide(request(actor, patient));
        if (grant.any()) {
            return show(actor, patient, grant, model);
        }
        if (actor.role() == Role.PRACTITIONER) {
            model.addAttribute("patientId", patient);
            return "patient-file-locked";
        }
        throw new NotFoundException("Patient file");
    }

    @PostMapping("/agenda/patients/{patientId}/break-the-glass")
    @Transactional
    String breakTheGlass(@PathVariable String patientId, @RequestParam(defaultValue = "") String reason, Model model) {
        Actor.Person actor = SignedIn.required();
        UUID patient = existing(actor, patientId);
        model.addAttribute("patientId", patient);
        model.addAttribute("typedReason", reason.length() > 1000 ? reason.substring(0, 1000) : reason);
        if (!BreakTheGlassLog.acceptableReason(reason)) {
            model.addAttribute("reasonError", "file.reason.invalid");
            return "patient-file-locked";
        }
        Grant grant = access.breakTheGlass(request(actor, patient), reason);
        if (!grant.any()) {
            throw new NotFoundException("Patient file");
        }
        model.addAttribute("brokeTheGlass", true);
        return show(actor, patient, grant, model);
    }

    /** Only files of the actor's own establishment exist for them; anything else is not found. */
    private UUID existing(Actor.Person actor, String patientId) {
        UUID patient = PageParams.uuid(patientId).orElseThrow(() -> new NotFoundException("Patient file"));
        if (actor.establishmentId() == null || !files.exists(actor.establishmentId(), patient)) {
            throw new NotFoundException("Patient file");
        }
        return patient;
    }

    private String show(Actor.Person actor, UUID patient, Grant grant, Model model) {
        model.addAttribute(
                "file",
                files.open(actor.professionalEstablishmentId(), patient, grant)
                        .orElseThrow(() -> new NotFoundException("Patient file")));
        return "patient-file";
    }

    private static AccessRequest request(Actor.Person actor, UUID patient) {
        return new AccessRequest(
                actor,
                PatientRef.account(patient),
                actor.establishment(),
                Action.READ,
                Resource.PATIENT_FILE,
                PatientFiles.FILE_FIELDS,
                Purpose.CARE);
    }
}
