package org.carnet.patients.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
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
import org.jspecify.annotations.Nullable;
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

            @Size(max = 21) @Nullable String nir) {

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
    @Operation(
            operationId = "register",
            summary = "Register a patient account",
            description = "The password needs 12 to 128 characters and must not be a common one; sex is F, M or X;"
                    + " the NIR is optional. Sign in afterwards with POST /api/v1/auth/token.")
    @ApiResponse(responseCode = "201", description = "Registered")
    @ApiResponse(responseCode = "409", description = "An account already exists for this e-mail address or NIR")
    @ApiResponse(responseCode = "429", description = "Too many registration attempts from this address")
    @ApiResponse(
            responseCode = "503",
            description = "Too many passwords are being checked at once; retry after Retry-After seconds")
    ResponseEntity<Registered> register(@Valid @RequestBody Registration registration) {
        UUID id = accounts.register(registration.toNewPatient());
        return ResponseEntity.created(URI.create("/api/v1/me")).body(new Registered(id));
    }

    @GetMapping("/me")
    @Operation(
            operationId = "getProfile",
            summary = "The signed-in patient's own profile",
            description = "The NIR itself is never sent back: nirOnFile says whether one is on file.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "200", description = "The profile")
    @ApiResponse(responseCode = "404", description = "The caller is not a patient")
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
