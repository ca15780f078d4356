package org.carnet.breach.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import java.util.UUID;
import org.carnet.breach.BreachRegister;
import org.carnet.identity.SignedIn;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The breach register of GDPR Article 33(5), the notification decisions and closing an incident. */
@RestController
@Tag(name = "Security incidents")
class BreachRegisterController {

    /** The decision about notifying the CNIL for one establishment. */
    record NotificationDecision(
            @Schema(description = "The establishment the decision is for (one the incident concerns)") @NotNull
            UUID establishment,

            @Schema(
                    description = "NOTIFIED (the CNIL was notified) or NOT_REQUIRED (the breach is unlikely to"
                            + " result in a risk to people, GDPR Article 33(1))")
            @NotNull
            BreachRegister.CnilDecision decision,

            @Schema(
                    description = "The CNIL's acknowledgement reference, required when NOTIFIED, refused"
                            + " otherwise: 1 to 64 letters, digits, . _ / -",
                    example = "CNIL-2026-000123")
            @Nullable
            String reference) {

        /** Nothing of a request goes to a log. */
        @Override
        public String toString() {
            return "NotificationDecision[contents redacted]";
        }
    }

    private final BreachRegister register;

    BreachRegisterController(BreachRegister register) {
        this.register = register;
    }

    @GetMapping("/api/v1/security/breach-register")
    @Operation(
            operationId = "getBreachRegister",
            summary = "The breach register (GDPR Article 33(5)): every incident, notified or not",
            description = "Security officers only. Newest first, at most 10,000: each incident's facts (rules,"
                    + " severity, when the platform became aware and the deadline), effects (patients read), the"
                    + " remedial action taken (containment, patients told) and, per establishment concerned, the"
                    + " decision about notifying the CNIL: NOTIFIED with its reference (late when after the 72"
                    + " hours), NOT_REQUIRED, or PENDING.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "200", description = "The register")
    @ApiResponse(responseCode = "403", description = "The caller is not a security officer")
    List<BreachRegister.RegisterEntry> entries() {
        return register.entries(SignedIn.required());
    }

    @PostMapping("/api/v1/security/incidents/{id}/notifications")
    @Operation(
            operationId = "decideIncidentNotification",
            summary = "Record the decision about notifying the CNIL for one establishment",
            description = "Security officers only. NOTIFIED with the authority's reference, or NOT_REQUIRED; a later"
                    + " decision replaces an earlier one, and each is on the incident's timeline.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "200", description = "Recorded: the incident's register entry")
    @ApiResponse(
            responseCode = "400",
            description = "No decision or establishment, or a reference missing, malformed or not expected")
    @ApiResponse(responseCode = "403", description = "The caller is not a security officer")
    @ApiResponse(
            responseCode = "404",
            description = "No such incident, or the establishment is not one the incident concerns")
    BreachRegister.RegisterEntry decide(@PathVariable UUID id, @Valid @RequestBody NotificationDecision request) {
        return register.decide(
                SignedIn.required(), id, request.establishment(), request.decision(), request.reference());
    }

    @PostMapping("/api/v1/security/incidents/{id}/close")
    @Operation(
            operationId = "closeIncident",
            summary = "Close an incident",
            description = "Security officers only. The incident leaves the console's list of open incidents, stays in"
                    + " the register, and its Article 33 drafts become complémentaire. A rule firing again about the"
                    + " same subject opens a new incident.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "200", description = "Closed: the incident's register entry")
    @ApiResponse(responseCode = "403", description = "The caller is not a security officer")
    @ApiResponse(responseCode = "404", description = "No such incident")
    @ApiResponse(responseCode = "409", description = "Already closed")
    BreachRegister.RegisterEntry close(@PathVariable UUID id) {
        return register.close(SignedIn.required(), id);
    }
}
