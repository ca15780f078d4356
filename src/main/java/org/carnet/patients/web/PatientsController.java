package org.carnet.patients.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.LocalDate;
import java.util.UUID;
import org.carnet.identity.EmailAddress;
import org.carnet.identity.SignedIn;
import org.carnet.patients.NewPatient;
import org.carnet.patients.PatientAccounts;
import org.carnet.patients.PatientProfile;
import org.carnet.shared.Actor;
import org.carnet.shared.NotFoundException;
import org.carnet.shared.Purpose;
import org.carnet.shared.Role;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1")
@Tag(name = "Patients")
class PatientsController {

    record Registration(
            @NotBlank @EmailAddress @Size(max = 254) String email,
            @NotBlank @Size(min = 12, max = 128) String password,
            @NotBlank @Size(max = 100) String firstName,
            @NotBlank @Size(max = 100) String lastName,
            @NotNull LocalDate birthDate,

            @NotNull @Pattern(regexp = "[FMX]", message = "must be F, M or X")
            String sex,

            @NotBlank @Pattern(regexp = "\\+?[0-9 .()-]{6,20}", message = "must be a phone number")
            String phone,

            @Size(max = 21) String nir) {

        NewPatient toNewPatient() {
            return NewPatient.typed(email, password, firstName, lastName, birthDate, sex, phone, nir);
        }

        @Override
        public String toString() {
            return "Registration[redacted]";
        }
    }

    record Registered(UUID id) {}

    record Profile(
            UUID id,
            String email,
            String firstName,
            String lastName,
            LocalDate birthDate,
            String sex,
            String phone,
            boolean nirOnFile) {}

    private final PatientAccounts accounts;

    PatientsController(PatientAccounts accounts) {
        this.accounts = accounts;
    }

    @PostMapping("/patients")
    @Operation(summary = "Register a patient account")
    ResponseEntity<Registered> register(@Valid @RequestBody Registration registration) {
        UUID id = accounts.register(registration.toNewPatient());
        return ResponseEntity.created(URI.create("/api/v1/me")).body(new Registered(id));
    }

    @GetMapping("/me")
    @Operation(summary = "The signed-in patient's own profile", security = @SecurityRequirement(name = "bearer"))
    Profile me() {
        Actor.Person principal = SignedIn.required();
        if (principal.role() != Role.PATIENT) {
            throw new NotFoundException("Patient");
        }
        PatientProfile profile = accounts.profile(principal.subjectId(), principal, Purpose.SELF_SERVICE)
                .orElseThrow(() -> new NotFoundException("Patient"));
        return new Profile(
                profile.id(),
                profile.email(),
                profile.firstName(),
                profile.lastName(),
                profile.birthDate(),
                profile.sex().name(),
                profile.phone(),
                profile.nir() != null);
    }
}
