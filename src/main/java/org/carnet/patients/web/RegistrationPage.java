package org.carnet.patients.web;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Set;
import org.carnet.identity.EmailAddress;
import org.carnet.patients.NewPatient;
import org.carnet.patients.PatientAccounts;
import org.carnet.shared.ConflictException;
import org.carnet.shared.InvalidRequestException;
import org.carnet.shared.WebPage;
import org.jspecify.annotations.Nullable;
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
        private @Nullable String email;

        @NotBlank
        @Size(min = 12, max = 128)
        private @Nullable String password;

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
        @Pattern(regexp = "[FMX]")
        private @Nullable String sex;

        @NotBlank
        @Pattern(regexp = "\\+?[0-9 .()-]{6,20}")
        private @Nullable String phone;

        @Size(max = 21)
        private @Nullable String nir;

        /** Once validated: the constraints make every field but the NIR present. */
        NewPatient toNewPatient() {
            return NewPatient.typed(
                    Objects.requireNonNull(email, "email"),
                    Objects.requireNonNull(password, "password"),
                    Objects.requireNonNull(firstName, "firstName"),
                    Objects.requireNonNull(lastName, "lastName"),
                    Objects.requireNonNull(birthDate, "birthDate"),
                    Objects.requireNonNull(sex, "sex"),
                    Objects.requireNonNull(phone, "phone"),
                    nir);
        }

        public @Nullable String getEmail() {
            return email;
        }

        public void setEmail(@Nullable String email) {
            this.email = email;
        }

        public @Nullable String getPassword() {
            return password;
        }

        public void setPassword(@Nullable String password) {
            this.password = password;
        }

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

        public @Nullable String getSex() {
            return sex;
        }

        public void setSex(@Nullable String sex) {
            this.sex = sex;
        }

        public @Nullable String getPhone() {
            return phone;
        }

        public void setPhone(@Nullable String phone) {
            this.phone = phone;
        }

        public @Nullable String getNir() {
            return nir;
        }

        public void setNir(@Nullable String nir) {
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

    // binding = false: an empty form; nothing personal is ever taken from the address's query.
    @GetMapping("/register")
    String form(@ModelAttribute(name = "registration", binding = false) RegistrationForm registration) {
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
                // The same address registered twice at the same moment: answered like the first.
                return "redirect:/login?registered";
            }
        }
        registration.setPassword(null);
        response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
        return "register";
    }
}
