package org.carnet.breach.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.carnet.breach.Containment;
import org.carnet.breach.IncidentView;
import org.carnet.breach.Incidents;
import org.carnet.identity.SignedIn;
import org.carnet.shared.InvalidRequestException;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/security/incidents")
@Tag(name = "Security incidents")
class IncidentsController {

    /** One containment action. */
    record ContainmentRequest(
            @Schema(
                    description = "What to do",
                    allowableValues = {"suspend-program", "lock-account", "end-sessions"},
                    example = "suspend-program")
            @NotNull
            @Pattern(regexp = "suspend-program|lock-account|end-sessions")
            String action,

            @Schema(
                    description = "The program (suspend-program) or login (lock-account, end-sessions) to act"
                            + " on; omitted: the incident's own program or login")
            @Nullable
            UUID target) {

        Containment containment() {
            return Arrays.stream(Containment.values())
                    .filter(c -> c.code().equals(action))
                    .findFirst()
                    .orElseThrow(() -> new InvalidRequestException("action", "is not a containment action"));
        }

        /** Nothing of a request goes to a log. */
        @Override
        public String toString() {
            return "ContainmentRequest[contents redacted]";
        }
    }

    private final Incidents incidents;

    IncidentsController(Incidents incidents) {
        this.incidents = incidents;
    }

    @GetMapping
    @Operation(
            operationId = "listIncidents",
            summary = "Security incidents, newest first (at most 200)",
            description = "Security officers only. Each incident with its severity, the rules that fired, when the"
                    + " platform became aware (awareAt, which starts the 72-hour clock of GDPR Article 33), the"
                    + " deadline (notifyBy = awareAt + 72 h), the establishments concerned and its timeline.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "200", description = "The incidents")
    @ApiResponse(responseCode = "403", description = "The caller is not a security officer")
    List<IncidentView> list(
            @Parameter(description = "Only the open incidents") @RequestParam(defaultValue = "false") boolean open) {
        return incidents.list(SignedIn.required(), open);
    }

    @GetMapping("/{id}")
    @Operation(
            operationId = "getIncident",
            summary = "One security incident with its timeline",
            description = "Security officers only. The timeline lists the rule hits, the containment actions (with"
                    + " the officer who took them; none for the platform's own) and what the subject read, from the"
                    + " access log.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "200", description = "The incident")
    @ApiResponse(responseCode = "403", description = "The caller is not a security officer")
    @ApiResponse(responseCode = "404", description = "No such incident")
    IncidentView get(@PathVariable UUID id) {
        return incidents.get(SignedIn.required(), id);
    }

    @PostMapping("/{id}/containment")
    @Operation(
            operationId = "containIncident",
            summary = "Take one containment action: suspend a program, lock an account, or end its sessions",
            description = "Security officers only. suspend-program suspends the program (its tokens stop at once);"
                    + " lock-account refuses every sign-in of the login until lifted and ends its sessions and"
                    + " tokens; end-sessions ends every page session and API token of the login. The action is"
                    + " recorded on the incident's timeline with the officer who took it.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "200", description = "Done: the incident with the action on its timeline")
    @ApiResponse(responseCode = "400", description = "No action, or an unknown one")
    @ApiResponse(responseCode = "403", description = "The caller is not a security officer")
    @ApiResponse(responseCode = "404", description = "No such incident, program or login")
    @ApiResponse(
            responseCode = "409",
            description = "The action does not apply: the program is not active, or the incident names no program or"
                    + " login and no target was given")
    IncidentView contain(@PathVariable UUID id, @Valid @RequestBody ContainmentRequest request) {
        return incidents.contain(SignedIn.required(), id, request.containment(), request.target());
    }
}
