package org.carnet.breach.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.carnet.breach.Article33Draft;
import org.carnet.breach.Article33Drafts;
import org.carnet.breach.Article34Notices;
import org.carnet.breach.Containment;
import org.carnet.breach.IncidentScope;
import org.carnet.breach.IncidentScopes;
import org.carnet.breach.IncidentView;
import org.carnet.breach.Incidents;
import org.carnet.identity.SignedIn;
import org.carnet.shared.InvalidRequestException;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/security/incidents")
@Tag(name = "Security incidents")
class IncidentsController {

    /** One containment action. */
    record ContainmentRequest(
            @Schema(
                    description = "What to do",
                    allowableValues = {
                        "suspend-program",
                        "lock-account",
                        "lift-lock",
                        "end-sessions",
                        "require-renewal",
                        "end-establishment-sessions",
                        "rotate-establishment-keys",
                        "read-only-establishment",
                        "lift-read-only"
                    },
                    example = "suspend-program")
            @NotNull
            @Pattern(
                    regexp =
                            "suspend-program|lock-account|lift-lock|end-sessions|require-renewal|end-establishment-sessions|rotate-establishment-keys|read-only-establishment|lift-read-only")
            String action,

            @Schema(
                    description =
                            "The program (suspend-program), login (lock-account, lift-lock, end-sessions, require-renewal) or"
                                    + " establishment (end-establishment-sessions, rotate-establishment-keys,"
                                    + " read-only-establishment, lift-read-only)"
                                    + " to act on; omitted: the incident's own program or login, or the only establishment"
                                    + " it concerns")
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
    private final IncidentScopes scopes;
    private final Article33Drafts drafts;
    private final Article34Notices notices;

    IncidentsController(Incidents incidents, IncidentScopes scopes, Article33Drafts drafts, Article34Notices notices) {
        this.incidents = incidents;
        this.scopes = scopes;
        this.drafts = drafts;
        this.notices = notices;
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

    @GetMapping("/{id}/scope")
    @Operation(
            operationId = "getIncidentScope",
            summary = "What the incident exposed, from the verified access log",
            description = "Security officers only. For the incident's program or account and a window (by default"
                    + " from a day before the platform became aware until now): which patients, which fields, in"
                    + " which establishments, how many accesses; per patient and field whether what left was"
                    + " intelligible (served in clear) or not (only ever served as end-to-end ciphertext), and per"
                    + " patient whether GDPR Article 34's exemption applies. The establishments' chains are verified"
                    + " first; entries no verified chain vouches for are counted apart. Reading the log for this is"
                    + " itself recorded in it (purpose investigation).",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "200", description = "The scope")
    @ApiResponse(responseCode = "400", description = "A window that is empty, reversed or longer than 92 days")
    @ApiResponse(responseCode = "403", description = "The caller is not a security officer")
    @ApiResponse(responseCode = "404", description = "No such incident")
    @ApiResponse(
            responseCode = "409",
            description = "The incident names no program nor account (a burst of failed sign-ins reads no data)")
    IncidentScope scope(
            @PathVariable UUID id,
            @Parameter(description = "Start of the window, inclusive (default: a day before awareAt)")
                    @RequestParam(required = false)
                    @Nullable
                    Instant from,
            @Parameter(description = "End of the window, exclusive (default: now)")
                    @RequestParam(required = false)
                    @Nullable
                    Instant to) {
        return scopes.scope(SignedIn.required(), id, from, to);
    }

    @GetMapping("/{id}/article-33")
    @Operation(
            operationId = "getArticle33Draft",
            summary = "A draft of one establishment's notification to the CNIL (GDPR Article 33), in French",
            description = "Security officers only. The items of Article 33(3) filled from the incident and its exact"
                    + " scope: nature, categories and approximate numbers of people and records, the people Article"
                    + " 34 may require to be told, contact point, likely consequences, measures taken (the"
                    + " containment on the timeline) and proposed. Redrawn from the log each time (phase initiale"
                    + " while the incident is open). Counts and categories only: no patient is named. The same"
                    + " draft as PDF at article-33.pdf.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "200", description = "The draft")
    @ApiResponse(responseCode = "403", description = "The caller is not a security officer")
    @ApiResponse(
            responseCode = "404",
            description = "No such incident, or the establishment is not one the incident concerns")
    Article33Draft article33(
            @PathVariable UUID id,
            @Parameter(description = "The establishment whose notification is drafted", required = true) @RequestParam
                    UUID establishment) {
        return drafts.draft(SignedIn.required(), id, establishment);
    }

    @GetMapping(value = "/{id}/article-33.pdf", produces = MediaType.APPLICATION_PDF_VALUE)
    @Operation(
            operationId = "getArticle33DraftPdf",
            summary = "The Article 33 draft of one establishment as a PDF document",
            description = "Security officers only. The same draft as article-33, laid out for printing or attaching.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(
            responseCode = "200",
            description = "The draft",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_PDF_VALUE,
                            schema = @Schema(type = "string", format = "binary")))
    @ApiResponse(responseCode = "403", description = "The caller is not a security officer")
    @ApiResponse(
            responseCode = "404",
            description = "No such incident, or the establishment is not one the incident concerns")
    ResponseEntity<byte[]> article33Pdf(
            @PathVariable UUID id,
            @Parameter(description = "The establishment whose notification is drafted", required = true) @RequestParam
                    UUID establishment) {
        return Article33Pdf.download(drafts.draft(SignedIn.required(), id, establishment));
    }

    @PostMapping("/{id}/article-34")
    @Operation(
            operationId = "tellExposedPatients",
            summary = "Tell an establishment's exposed patients (GDPR Article 34)",
            description = "Security officers only. Every patient of the incident's exact scope in that establishment"
                    + " of whom something identifying left in clear is told, in plain French or English, which"
                    + " fields left, from which establishment and when, and what to watch for (phishing in Carnet's"
                    + " name; Carnet never asks for the NIR, a password or a code): in their inbox and by a"
                    + " link-free e-mail or SMS with its verification code. Patients of whom only end-to-end"
                    + " ciphertext or pseudonymous agenda data left are exempt (Article 34(3)(a)). Each patient is"
                    + " told at most once per incident; the decision is on the incident's timeline. Patients known"
                    + " only to the practice (no Carnet account) are counted but told by the establishment.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "202", description = "Decided: the notices are being sent")
    @ApiResponse(responseCode = "403", description = "The caller is not a security officer")
    @ApiResponse(
            responseCode = "404",
            description = "No such incident, or the establishment is not one the incident concerns")
    @ApiResponse(responseCode = "409", description = "The incident names no program nor account whose reads are known")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Article34Notices.PatientsTold tellPatients(
            @PathVariable UUID id,
            @Parameter(description = "The establishment whose patients are told", required = true) @RequestParam
                    UUID establishment) {
        return notices.tell(SignedIn.required(), id, establishment);
    }

    @PostMapping("/{id}/containment")
    @Operation(
            operationId = "containIncident",
            summary = "Take one containment action against a program, an account or an establishment",
            description = "Security officers only. suspend-program suspends the program (its tokens stop at once);"
                    + " lock-account refuses every sign-in of the login until lifted and ends its sessions and"
                    + " tokens; lift-lock lets it sign in again (an officer's lock, or one after failed sign-ins;"
                    + " 409 when it is not locked); end-sessions ends every page session and API token of the login;"
                    + " require-renewal does that too, removes the login's passkeys, and lets its next sign-in (with"
                    + " every factor it has) do nothing but choose a new password and, for a professional or an"
                    + " account that had one, enrol a new authenticator (API sign-in answers 403 renewal-required"
                    + " meanwhile; a login that signs in with Pro Santé Connect only gets 409);"
                    + " end-establishment-sessions does that for every practitioner, staff member and"
                    + " administrator of the establishment and revokes every token of its programs (patients'"
                    + " sessions are left alone: they are not members of an establishment);"
                    + " rotate-establishment-keys gives the establishment's data key a new version and re-seals every"
                    + " value sealed for it under that version in the background (the timeline says when it ends;"
                    + " 409 while this node is rotating it already);"
                    + " read-only-establishment refuses every change to the establishment's patients' data and"
                    + " agenda (bookings, cancellations, moves, files, opening hours) by pages, this API and FHIR"
                    + " with 423 Locked until lift-read-only; reads go on. The action is recorded on the"
                    + " incident's timeline with the officer who took it.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "200", description = "Done: the incident with the action on its timeline")
    @ApiResponse(responseCode = "400", description = "No action, or an unknown one")
    @ApiResponse(responseCode = "403", description = "The caller is not a security officer")
    @ApiResponse(responseCode = "404", description = "No such incident, program, login or establishment")
    @ApiResponse(
            responseCode = "409",
            description = "The action does not apply: the program is not active, the login is not locked"
                    + " (lift-lock), the login signs in with Pro Santé"
                    + " Connect only (require-renewal), the establishment is already"
                    + " read-only (or not, to lift), or no target was given and the incident names no program or"
                    + " login, or not exactly one establishment")
    IncidentView contain(@PathVariable UUID id, @Valid @RequestBody ContainmentRequest request) {
        return incidents.contain(SignedIn.required(), id, request.containment(), request.target());
    }
}
