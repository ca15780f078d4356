package org.carnet.privacy.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.carnet.identity.SignedIn;
import org.carnet.privacy.AccountErasure;
import org.carnet.privacy.DataCopies;
import org.carnet.privacy.DataCopy;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1")
@Tag(name = "Patients")
class PrivacyController {

    /** The erasure's request: the current password again, and the patient's explicit confirmation. */
    record ErasureRequest(
            @NotBlank @Size(max = 128) String password,

            @AssertTrue(message = "must be true: erasure is irreversible")
            boolean confirm) {
        @Override
        public String toString() {
            return "ErasureRequest[redacted]";
        }
    }

    private final DataCopies copies;
    private final AccountErasure erasure;

    PrivacyController(DataCopies copies, AccountErasure erasure) {
        this.copies = copies;
        this.erasure = erasure;
    }

    @GetMapping("/me/data-copy")
    @Operation(
            operationId = "getDataCopy",
            summary = "The signed-in patient's copy of everything Carnet holds about them",
            description = "GDPR art. 15 and 20: the account's profile and relatives, the appointments in every"
                    + " establishment, each establishment's file of the patient (destroyed: true where the"
                    + " establishment left Carnet and its keys were destroyed) and the latest 500 accesses to"
                    + " their data. The NIR is not sent back (nirOnFile). End-to-end encrypted content"
                    + " (questionnaire answers, teleconsultation exchanges) is left out: Carnet holds only"
                    + " ciphertext it cannot read; notes says so. Every copy is recorded in the patient's access"
                    + " log. The same copy as a readable page: /me/data-copy (signed in on the site).",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "200", description = "The copy (format carnet-data-copy/1), as a download")
    @ApiResponse(responseCode = "404", description = "The caller is not a patient")
    ResponseEntity<DataCopy> dataCopy() {
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"carnet-data-copy.json\"")
                .body(copies.of(SignedIn.required()));
    }

    @PostMapping("/me/erasure")
    @ApiResponse(
            responseCode = "423",
            description = "An establishment holding a file of the patient is read-only for the time of a security"
                    + " incident: nothing was erased; try again later")
    @Operation(
            operationId = "eraseAccount",
            summary = "Erase the signed-in patient's account (right to erasure)",
            description = "GDPR art. 17. Irreversible. Needs the current password again and confirm: true. The"
                    + " patient's future appointments are cancelled (the practices' agendas show it); each"
                    + " establishment's file of the patient is deleted unless an appointment took place there"
                    + " (that establishment keeps its medical record, as the law requires); the account's keys are"
                    + " destroyed, so its identity, contact and relatives can no longer be read by anyone; the"
                    + " login is closed (its tokens revoked, sign-in refused). Download the copy of your data"
                    + " first (GET /api/v1/me/data-copy). Recorded in the access log, which stays verifiable. A"
                    + " wrong password counts as a failed sign-in.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "204", description = "The account is erased")
    @ApiResponse(responseCode = "400", description = "No password, or confirm is not true")
    @ApiResponse(
            responseCode = "403",
            description = "Not the account's current password (type reauthentication-failed), or the account is"
                    + " locked after too many wrong ones")
    @ApiResponse(responseCode = "404", description = "The caller is not a patient")
    @ApiResponse(responseCode = "409", description = "The account is already erased")
    @ApiResponse(
            responseCode = "503",
            description = "Too many passwords are being checked at once; retry after Retry-After seconds")
    ResponseEntity<Void> erase(@Valid @RequestBody ErasureRequest request) {
        erasure.erase(SignedIn.required(), request.password());
        return ResponseEntity.noContent().build();
    }
}
