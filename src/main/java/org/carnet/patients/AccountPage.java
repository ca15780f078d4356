package org.carnet.patients;

import org.carnet.identity.CarnetPrincipal;
import org.carnet.shared.NotFoundException;
import org.carnet.shared.WebPage;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The signed-in patient's account page: their profile, opened and recorded as a self-service read. */
@WebPage
class AccountPage {

    private final PatientAccounts accounts;

    AccountPage(PatientAccounts accounts) {
        this.accounts = accounts;
    }

    @GetMapping("/me")
    String account(Model model) {
        CarnetPrincipal patient = CarnetPrincipal.required();
        PatientProfile profile = accounts.profile(patient.subjectId(), patient.actor(), "self-service")
                .orElseThrow(() -> new NotFoundException("Patient"));
        model.addAttribute("profile", profile);
        return "account";
    }
}
