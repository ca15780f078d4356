package org.carnet.clients.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.carnet.clients.ClientDecision;
import org.carnet.clients.ClientView;
import org.carnet.clients.Clients;
import org.carnet.clients.NewClient;
import org.carnet.clients.ProgramKeys;
import org.carnet.clients.SmartScope;
import org.carnet.clients.internal.KeyServers;
import org.carnet.identity.SignedIn;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1")
@Tag(name = "Third-party programs")
class ClientsController {

    /** A JWK Set of public keys. */
    record JwkSet(
            @Schema(
                    description = "JWKs: EC P-384 (ES384) or RSA of at least 2048 bits (RS384), public only,"
                            + " each with a distinct kid")
            @NotEmpty
            @Size(max = ProgramKeys.MAX_KEYS)
            List<@NotNull @Size(max = 12) Map<String, @Size(max = 2048) String>> keys) {}

    /** An administrator's request to register a program. */
    record ClientRequest(
            @NotBlank @Size(max = 100) String name,
            @NotBlank @Size(max = 1000) String purpose,

            @Schema(
                    description = "SMART v2 scopes, one per resource and context: system/Resource.[cruds] (such as"
                            + " system/Slot.rs) for the program acting for itself, user/Resource.[cruds] (such as"
                            + " user/Appointment.rs) for the program acting for a signed-in professional of the"
                            + " establishment; resources Organization, Practitioner, PractitionerRole, Location,"
                            + " Schedule, Slot, Appointment, Patient, AuditEvent; and Carnet's carnet/Patient.contact,"
                            + " carnet/Appointment.motive")
            @NotEmpty
            @Size(max = Clients.MAX_SCOPES)
            List<@NotBlank @Size(max = SmartScope.MAX_LENGTH) String> scopes,

            @Schema(description = "The program's public keys as a JWK Set; exactly one of jwks and jwksUri")
            @Nullable
            @Valid
            JwkSet jwks,

            @Schema(
                    description = "Where the program publishes its public keys (a JWK Set by the same rules), read"
                            + " when Carnet checks its client assertions, so the program rotates its keys itself;"
                            + " exactly one of jwks and jwksUri. An https URL whose host resolves to public"
                            + " addresses only (never loopback, private or link-local), unless the operator allows"
                            + " the host (carnet.clients.jwks-uri.allowed-hosts).",
                    format = "uri",
                    example = "https://keys.example.com/agenda/jwks.json")
            @Nullable
            @Size(max = KeyServers.MAX_URI)
            String jwksUri,

            @Schema(
                    description = "Required with user/ scopes, refused without: where the program receives its"
                            + " authorization code. Absolute https URIs, or http://127.0.0.1 or http://[::1] for a"
                            + " program on the professional's computer; no fragment, no user info, no wildcard. The"
                            + " redirect_uri of an authorization request must equal one of them exactly.")
            @Nullable
            @Size(max = 5)
            List<@NotBlank @Size(max = 500) String> redirectUris) {

        NewClient toNewClient() {
            return new NewClient(
                    name,
                    purpose,
                    scopes,
                    jwks == null ? null : Map.of("keys", List.copyOf(jwks.keys())),
                    jwksUri,
                    redirectUris == null ? List.of() : redirectUris);
        }

        /** Nothing of a request goes to a log. */
        @Override
        public String toString() {
            return "ClientRequest[contents redacted]";
        }
    }

    private final Clients clients;

    ClientsController(Clients clients) {
        this.clients = clients;
    }

    @PostMapping("/establishment/clients")
    @Operation(
            operationId = "requestClient",
            summary = "Ask to register a third-party program for the administrator's establishment",
            description = "Establishment administrators only. Names the program, what it is for, the SMART v2 scopes"
                    + " it needs, its public keys as a JWK Set or as the JWKS URL where it publishes them (its client"
                    + " assertions must be signed by one of them) and, for a program acting for signed-in professionals (user/ scopes),"
                    + " its redirect URIs. A security officer approves or refuses it; until then it is PENDING and"
                    + " gets no token.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "201", description = "Requested: PENDING, waiting for a security officer")
    @ApiResponse(
            responseCode = "400",
            description = "Invalid request: `errors` lists each invalid field (malformed-body when the body is not"
                    + " JSON of the documented shape): unknown scopes, weak or private keys, both or neither of jwks"
                    + " and jwksUri, a jwksUri that is not https or points to an internal address.")
    @ApiResponse(responseCode = "403", description = "The caller is not an establishment administrator")
    ResponseEntity<ClientView> request(@Valid @RequestBody ClientRequest request) {
        ClientView client = clients.request(SignedIn.required(), request.toNewClient());
        return ResponseEntity.created(URI.create("/api/v1/establishment/clients/" + client.clientId()))
                .body(client);
    }

    @GetMapping("/establishment/clients")
    @Operation(
            operationId = "listClients",
            summary = "The administrator's establishment's programs, newest first (at most 200)",
            description = "Establishment administrators only: each program's state, scopes and use.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "200", description = "The programs")
    @ApiResponse(responseCode = "403", description = "The caller is not an establishment administrator")
    List<ClientView> list() {
        return clients.list(SignedIn.required());
    }

    @GetMapping("/establishment/clients/{clientId}")
    @Operation(
            operationId = "getClient",
            summary = "One program of the administrator's establishment",
            description = "Establishment administrators only; another establishment's program is not found.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "200", description = "The program")
    @ApiResponse(responseCode = "403", description = "The caller is not an establishment administrator")
    @ApiResponse(responseCode = "404", description = "No such program in the caller's establishment")
    ClientView get(@PathVariable UUID clientId) {
        return clients.get(SignedIn.required(), clientId);
    }

    @GetMapping("/security/clients")
    @Operation(
            operationId = "listAllClients",
            summary = "Every program, newest first (at most 200)",
            description = "Security officers only: the requests waiting for a decision and the decided ones.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "200", description = "The programs")
    @ApiResponse(responseCode = "403", description = "The caller is not a security officer")
    List<ClientView> listAll() {
        return clients.list(SignedIn.required());
    }

    @PostMapping("/security/clients/{clientId}/approve")
    @Operation(
            operationId = "approveClient",
            summary = "Approve a PENDING program: it becomes ACTIVE and may obtain tokens",
            description = DECISION,
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "200", description = "Approved")
    @ApiResponse(responseCode = "403", description = "The caller is not a security officer")
    @ApiResponse(responseCode = "404", description = "No such program")
    @ApiResponse(responseCode = "409", description = "Not PENDING, or the caller requested it")
    ClientView approve(@PathVariable UUID clientId) {
        return clients.decide(SignedIn.required(), clientId, ClientDecision.APPROVE);
    }

    @PostMapping("/security/clients/{clientId}/refuse")
    @Operation(
            operationId = "refuseClient",
            summary = "Refuse a PENDING program: it becomes REFUSED, for good",
            description = DECISION,
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "200", description = "Refused")
    @ApiResponse(responseCode = "403", description = "The caller is not a security officer")
    @ApiResponse(responseCode = "404", description = "No such program")
    @ApiResponse(responseCode = "409", description = "Not PENDING, or the caller requested it")
    ClientView refuse(@PathVariable UUID clientId) {
        return clients.decide(SignedIn.required(), clientId, ClientDecision.REFUSE);
    }

    @PostMapping("/security/clients/{clientId}/suspend")
    @Operation(
            operationId = "suspendClient",
            summary = "Suspend an ACTIVE program: its tokens stop working on their next use, no new one is issued",
            description = DECISION,
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "200", description = "Suspended")
    @ApiResponse(responseCode = "403", description = "The caller is not a security officer")
    @ApiResponse(responseCode = "404", description = "No such program")
    @ApiResponse(responseCode = "409", description = "Not ACTIVE, or the caller requested it")
    ClientView suspend(@PathVariable UUID clientId) {
        return clients.decide(SignedIn.required(), clientId, ClientDecision.SUSPEND);
    }

    @PostMapping("/security/clients/{clientId}/reinstate")
    @Operation(
            operationId = "reinstateClient",
            summary = "Reinstate a SUSPENDED program: ACTIVE again (its earlier tokens stay revoked)",
            description = DECISION,
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "200", description = "Reinstated")
    @ApiResponse(responseCode = "403", description = "The caller is not a security officer")
    @ApiResponse(responseCode = "404", description = "No such program")
    @ApiResponse(responseCode = "409", description = "Not SUSPENDED, or the caller requested it")
    ClientView reinstate(@PathVariable UUID clientId) {
        return clients.decide(SignedIn.required(), clientId, ClientDecision.REINSTATE);
    }

    @PostMapping("/security/clients/{clientId}/revoke")
    @Operation(
            operationId = "revokeClient",
            summary = "Revoke an ACTIVE or SUSPENDED program, for good: its tokens stop working on their next use",
            description = DECISION,
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "200", description = "Revoked")
    @ApiResponse(responseCode = "403", description = "The caller is not a security officer")
    @ApiResponse(responseCode = "404", description = "No such program")
    @ApiResponse(responseCode = "409", description = "Not ACTIVE nor SUSPENDED, or the caller requested it")
    ClientView revoke(@PathVariable UUID clientId) {
        return clients.decide(SignedIn.required(), clientId, ClientDecision.REVOKE);
    }

    private static final String DECISION = "Security officers only, and never the program's requester (two-person"
            + " rule). The change is recorded (who, when) and the requesting administrator is told in their inbox.";
}
