package org.carnet.patients.web;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;
import java.util.Set;
import org.carnet.identity.EmailAddress;
import org.carnet.patients.NewPatient;
import org.carnet.patients.PatientAccounts;
import org.carnet.shared.ConflictException;
import org.carnet.shared.InvalidRequestException;
import org.carnet.shared.WebPage;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;

/** The registration form of a patient account. */
@WebPage
class RegistrationPage {

    /** The form as typed. Its {@code toString} is redacted; the password is never sent back. */
    static final class RegistrationForm {
        @NotBlank
        @EmailAddress
        @Size(max = 254)
        private String email;

        @NotBlank
        @Size(min = 12, max = 128)
        private String password;

        @NotBlank
        @Size(max = 100)
        private String firstName;

        @NotBlank
        @Size(max = 100)
        private String lastName;

        @NotNull
        @DateTimeFormat(iso = DateTimeFormat.ISO.DATE)
        private LocalDate birthDate;

        @NotNull
        @Pattern(regexp = "[FMX]")
        private String sex;

        @NotBlank
        @Pattern(regexp = "\\+?[0-9 .()-]{6,20}")
        private String phone;

        @Size(max = 21)
        private String nir;

        NewPatient toNewPatient() {
            return NewPatient.typed(email, password, firstName, lastName, birthDate, sex, phone, nir);
        }

        public String getEmail() {
            return email;
        }

        public void setEmail(String email) {
            this.email = email;
        }

        public String getPassword() {
            return password;
        }

        public void setPassword(String password) {
            this.password = password;
        }

        public String getFirstName() {
            return firstName;
        }

        public void setFirstName(String firstName) {
            this.firstName = firstName;
        }

        public String getLastName() {
            return lastName;
        }

        public void setLastName(String lastName) {
            this.lastName = lastName;
        }

        public LocalDate getBirthDate() {
            return birthDate;
        }

        public void setBirthDate(LocalDate birthDate) {
            this.birthDate = birthDate;
        }

        public String getSex() {
            return sex;
        }

        public void setSex(String sex) {
            this.sex = sex;
        }

        public String getPhone() {
            return phone;
        }

        public void setPhone(String phone) {
            this.phone = phone;
        }

        public String getNir() {
            return nir;
        }

        public void setNir(String nir) {
            this.nir = nir;
        }

        @Override
        public String toString() {
            return "RegistrationForm[redacted]";
        }
    }

    private static final Set<String> FIELDS =
            Set.of("email", "password", "firstName", "lastName", "birthDate", "sex", "phone", "nir");

    private final PatientAccounts accounts;

    RegistrationPage(PatientAccounts accounts) {
        this.accounts = accounts;
    }

    @GetMapping("/register")
    String form(@ModelAttribute("registration") RegistrationForm registration) {
        return "register";
    }

    @PostMapping("/register")
    String register(
            @Valid @ModelAttribute("registration") RegistrationForm registration,
            BindingResult errors,
            HttpServletResponse response) {
        if (!errors.hasErrors()) {
            try {
                accounts.register(registration.toNewPatient());
                return "redirect:/login?registered";
            } catch (InvalidRequestException e) {
                if (FIELDS.contains(e.field())) {
                    errors.rejectValue(e.field(), "Invalid." + e.field());
                } else {
                    errors.reject("register.error.invalid");
                }
            } catch (ConflictException e) {
                // Whether the e-mail or the NIR is taken is not said: it would tell who has an account.
                errors.reject("register.error.conflict");
            }
        }
        registration.setPassword(null);
        response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
        return "register";
    }
}
