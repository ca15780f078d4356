package org.carnet.patients.web;

import jakarta.servlet.http.HttpServletResponse;
import org.carnet.identity.EmailConfirmations;
import org.carnet.identity.SignedIn;
import org.carnet.patients.PatientAccounts;
import org.carnet.shared.Actor;
import org.carnet.shared.WebPage;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * {@code /me/email-confirmation}: the signed-in patient types the 6-digit code sent to their address,
 * or asks for a new one. Until then they may sign in and look around, but not book.
 */
@WebPage
class EmailConfirmationPage {

    private final EmailConfirmations confirmations;
    private final PatientAccounts accounts;

    EmailConfirmationPage(EmailConfirmations confirmations, PatientAccounts accounts) {
        this.confirmations = confirmations;
        this.accounts = accounts;
    }

    @GetMapping("/me/email-confirmation")
    String form(Model model) {
        model.addAttribute(
                "confirmed", confirmations.confirmed(SignedIn.required().userId()));
        return "email-confirmation";
    }

    @PostMapping("/me/email-confirmation")
    String confirm(
            @RequestParam(name = "code", defaultValue = "") String code, Model model, HttpServletResponse response) {
        Actor.Person patient = SignedIn.required();
        EmailConfirmations.Outcome outcome = code.length() > 20
                ? EmailConfirmations.Outcome.WRONG_CODE
                : confirmations.confirm(patient.userId(), code);
        if (outcome == EmailConfirmations.Outcome.CONFIRMED) {
            return "redirect:/me/email-confirmation?confirmed";
        }
        model.addAttribute("confirmed", false);
        model.addAttribute(
                "codeError",
                outcome == EmailConfirmations.Outcome.WRONG_CODE ? "confirm.error.wrong" : "confirm.error.none");
        response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
        return "email-confirmation";
    }

    @PostMapping("/me/email-confirmation/code")
    String resend() {
        accounts.requestAddressConfirmation(SignedIn.required());
        return "redirect:/me/email-confirmation?sent";
    }
}
