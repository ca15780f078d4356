package org.carnet.patients.web;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;
import java.util.Objects;
import java.util.UUID;
import org.carnet.identity.SignedIn;
import org.carnet.patients.PatientAccounts;
import org.carnet.patients.PatientProfile;
import org.carnet.patients.Relative;
import org.carnet.patients.Relatives;
import org.carnet.shared.Actor;
import org.carnet.shared.InvalidRequestException;
import org.carnet.shared.NotFoundException;
import org.carnet.shared.Purpose;
import org.carnet.shared.WebPage;
import org.jspecify.annotations.Nullable;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The signed-in patient's account page: their profile and their relatives (added and removed here,
 * chosen when booking), each opening recorded as a self-service read.
 */
@WebPage
class AccountPage {

    /** What the patient typed to add a relative, shown again with the errors. Redacted {@code toString}. */
    static class RelativeForm {
        @NotBlank
        @Size(max = 100)
        private @Nullable String firstName;

        @NotBlank
        @Size(max = 100)
        private @Nullable String lastName;

        @NotNull
        @DateTimeFormat(iso = DateTimeFormat.ISO.DATE)
        private @Nullable LocalDate birthDate;

        @NotNull
        @Pattern(regexp = "CHILD|PARENT|OTHER")
        private @Nullable String relationship;

        public @Nullable String getFirstName() {
            return firstName;
        }

        public void setFirstName(@Nullable String firstName) {
            this.firstName = firstName;
        }

        public @Nullable String getLastName() {
            return lastName;
        }

        public void setLastName(@Nullable String lastName) {
            this.lastName = lastName;
        }

        public @Nullable LocalDate getBirthDate() {
            return birthDate;
        }

        public void setBirthDate(@Nullable LocalDate birthDate) {
            this.birthDate = birthDate;
        }

        public @Nullable String getRelationship() {
            return relationship;
        }

        public void setRelationship(@Nullable String relationship) {
            this.relationship = relationship;
        }

        @Override
        public String toString() {
            return "RelativeForm[redacted]";
        }
    }

    private final PatientAccounts accounts;
    private final Relatives relatives;

    AccountPage(PatientAccounts accounts, Relatives relatives) {
        this.accounts = accounts;
        this.relatives = relatives;
    }

    // binding = false: an empty form; nothing personal is ever taken from the address's query.
    @GetMapping("/me")
    String account(@ModelAttribute(name = "relative", binding = false) RelativeForm relative, Model model) {
        return show(model);
    }

    @PostMapping("/me/relatives")
    String addRelative(
            @Valid @ModelAttribute("relative") RelativeForm relative,
            BindingResult errors,
            Model model,
            RedirectAttributes redirect,
            HttpServletResponse response) {
        if (!errors.hasErrors()) {
            Actor.Person patient = SignedIn.required();
            try {
                // Validated: the form's constraints make every field present.
                relatives.add(
                        patient.subjectId(),
                        Objects.requireNonNull(relative.getFirstName(), "firstName"),
                        Objects.requireNonNull(relative.getLastName(), "lastName"),
                        Objects.requireNonNull(relative.getBirthDate(), "birthDate"),
                        Relative.Relationship.valueOf(
                                Objects.requireNonNull(relative.getRelationship(), "relationship")),
                        patient);
                redirect.addFlashAttribute("notice", "relatives.added");
                return "redirect:/me#relatives";
            } catch (InvalidRequestException e) {
                if (e.field().equals("relatives")) {
                    errors.reject("relatives.error.tooMany");
                } else {
                    errors.rejectValue(e.field(), "Invalid." + e.field());
                }
            }
        }
        response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
        return show(model);
    }

    @PostMapping("/me/relatives/{id}/remove")
    String removeRelative(@PathVariable UUID id, RedirectAttributes redirect) {
        Actor.Person patient = SignedIn.required();
        if (relatives.remove(patient.subjectId(), id, patient)) {
            redirect.addFlashAttribute("notice", "relatives.removed");
        }
        return "redirect:/me#relatives";
    }

    private String show(Model model) {
        Actor.Person patient = SignedIn.required();
        PatientProfile profile = accounts.profile(patient.subjectId(), patient, Purpose.SELF_SERVICE)
                .orElseThrow(() -> new NotFoundException("Patient"));
        model.addAttribute("profile", profile);
        model.addAttribute("relatives", relatives.list(patient.subjectId(), patient, Purpose.SELF_SERVICE));
        return "account";
    }
}
