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
import java.time.LocalDate;
import java.util.UUID;
import org.carnet.identity.EmailAddress;
import org.carnet.identity.EmailConfirmations;
import org.carnet.identity.SignedIn;
import org.carnet.patients.NewPatient;
import org.carnet.patients.PatientAccounts;
import org.carnet.patients.PatientProfile;
import org.carnet.shared.Actor;
import org.carnet.shared.ConflictException;
import org.carnet.shared.InvalidRequestException;
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

    record ConfirmationCode(@NotBlank @Size(max = 20) String code) {
        @Override
        public String toString() {
            return "ConfirmationCode[redacted]";
        }
    }

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
    private final EmailConfirmations confirmations;

    PatientsController(PatientAccounts accounts, EmailConfirmations confirmations) {
        this.accounts = accounts;
        this.confirmations = confirmations;
    }

    @PostMapping("/patients")
    @ApiResponse(
            responseCode = "423",
            description = "The establishment is read-only for the time of a security incident")
    @Operation(
            operationId = "register",
            summary = "Register a patient account",
            description = "The password needs 12 to 128 characters and must not be a common one; sex is F, M or X;"
                    + " the NIR is optional. The answer is the same whether or not the address already has an"
                    + " account (its owner is then told by e-mail that someone tried): registration never says"
                    + " who has an account. A 6-digit code is sent to a new account's address: sign in with"
                    + " POST /api/v1/auth/token and confirm it with POST /api/v1/me/email-confirmation before"
                    + " booking.")
    @ApiResponse(responseCode = "202", description = "Received; a confirmation code is on its way to the address")
    @ApiResponse(responseCode = "429", description = "Too many registration attempts from this address")
    @ApiResponse(
            responseCode = "503",
            description = "Too many passwords are being checked at once; retry after Retry-After seconds")
    ResponseEntity<Void> register(@Valid @RequestBody Registration registration) {
        try {
            accounts.register(registration.toNewPatient());
        } catch (ConflictException e) {
            // Two registrations of one address at the same moment: the second is answered like the first.
        }
        return ResponseEntity.accepted().build();
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
        Actor.Person principal = patient();
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

    @PostMapping("/me/email-confirmation")
    @Operation(
            operationId = "confirmEmail",
            summary = "Confirm the signed-in patient's e-mail address",
            description = "With the 6-digit code sent to the address at registration (or by"
                    + " POST /api/v1/me/email-confirmation/code). A code is valid one hour and allows 5 tries."
                    + " Booking is refused (403, type email-not-confirmed) until the address is confirmed.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "204", description = "The address is confirmed (or already was)")
    @ApiResponse(
            responseCode = "400",
            description = "Not the code sent, or no valid code any more (expired, tries spent): ask for a new one")
    @ApiResponse(responseCode = "404", description = "The caller is not a patient")
    @ApiResponse(responseCode = "429", description = "Too many attempts from this address")
    ResponseEntity<Void> confirmEmail(@Valid @RequestBody ConfirmationCode typed) {
        Actor.Person patient = patient();
        switch (confirmations.confirm(patient.userId(), typed.code())) {
            case CONFIRMED -> {
                return ResponseEntity.noContent().build();
            }
            case WRONG_CODE -> throw new InvalidRequestException("code", "is not the code sent to the address");
            case NO_CODE ->
                throw new InvalidRequestException(
                        "code", "is no longer valid (expired or too many tries): ask for a new one");
        }
        throw new IllegalStateException("unreachable");
    }

    @PostMapping("/me/email-confirmation/code")
    @Operation(
            operationId = "requestEmailConfirmationCode",
            summary = "Send a new code to the signed-in patient's e-mail address",
            description = "Replaces the previous code. At most 5 codes a day are sent; nothing is sent when the"
                    + " address is already confirmed. The code is only ever in the e-mail, never in the app.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "202", description = "A new code is on its way, unless the day's codes are spent")
    @ApiResponse(responseCode = "404", description = "The caller is not a patient")
    @ApiResponse(responseCode = "429", description = "Too many attempts from this address")
    ResponseEntity<Void> requestEmailConfirmationCode() {
        accounts.requestAddressConfirmation(patient());
        return ResponseEntity.accepted().build();
    }

    private static Actor.Person patient() {
        Actor.Person principal = SignedIn.required();
        if (principal.role() != Role.PATIENT) {
            throw new NotFoundException("Patient");
        }
        return principal;
    }
}
