package org.carnet.exports.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.io.IOException;
import java.net.URI;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.carnet.exports.Attribution;
import org.carnet.exports.ExportScope;
import org.carnet.exports.ExportView;
import org.carnet.exports.Exports;
import org.carnet.exports.LeakTracer;
import org.carnet.exports.NewExport;
import org.carnet.exports.RecipientKey;
import org.carnet.exports.RecipientNetworks;
import org.carnet.identity.SignedIn;
import org.carnet.shared.InvalidRequestException;
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
@Tag(name = "Exports")
class ExportsController {

    /** An administrator's request for an export of their establishment. */
    record ExportRequest(
            @NotBlank @Size(max = 200) String recipient,
            @NotBlank @Size(max = RecipientKey.MAX_LENGTH) String recipientKey,
            @NotEmpty @Size(max = 5) List<@NotNull ExportScope> scope,
            @NotNull LocalDate from,
            @NotNull LocalDate to,

            @Schema(
                    description = "Optional: the networks (CIDR, IPv4 at most /8 wide, IPv6 at most /32; or single"
                            + " addresses) the recipient downloads from. A download from elsewhere is refused"
                            + " (403) without using the link, and opens a security incident. None: the link"
                            + " works from anywhere.",
                    example = "[\"198.51.100.0/24\"]")
            @Nullable
            @Size(max = RecipientNetworks.MAX)
            List<@NotBlank @Size(max = 50) String> recipientNetworks) {
        NewExport toNewExport() {
            return new NewExport(
                    recipient,
                    recipientKey,
                    Set.copyOf(scope),
                    from,
                    to,
                    recipientNetworks == null ? List.of() : recipientNetworks);
        }

        /** The recipient may be a person's name, and nothing of a request goes to a log but its scope. */
        @Override
        public String toString() {
            return "ExportRequest[scope=" + scope + ", recipient and dates redacted]";
        }
    }

    /** An approved export and its one-time download link, shown this once. */
    record ApprovedExport(ExportView export, String downloadUrl) {}

    static final int MAX_TRACED = 64 * 1024 * 1024;

    private final Exports exports;
    private final LeakTracer tracer;

    ExportsController(Exports exports, LeakTracer tracer) {
        this.exports = exports;
        this.tracer = tracer;
    }

    @PostMapping("/establishment/exports")
    @Operation(
            operationId = "requestExport",
            summary = "Ask for an export of the administrator's establishment",
            description = "Establishment administrators only. Names the recipient and their ASCII-armoured OpenPGP"
                    + " public key (it must be able to encrypt, not be revoked nor expired), what the export holds and"
                    + " its dates (yyyy-MM-dd, inclusive, Europe/Paris): of the appointments it holds, of the"
                    + " teleconsultations whose key was set up then (TELECONSULTATIONS: the consultation keys wrapped to"
                    + " the establishment, answers, messages and documents, as ciphertext), and of the access log's"
                    + " entries (AUDIT_LOG); and optionally the networks the recipient downloads from. A security"
                    + " officer approves it; the request is recorded in the access log.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "201", description = "Requested, waiting for a security officer's approval")
    @ApiResponse(responseCode = "403", description = "The caller is not an establishment administrator")
    ResponseEntity<ExportView> request(@Valid @RequestBody ExportRequest request) {
        ExportView export = exports.request(SignedIn.required(), request.toNewExport());
        return ResponseEntity.created(URI.create("/api/v1/establishment/exports/" + export.id()))
                .body(export);
    }

    @GetMapping("/establishment/exports")
    @Operation(
            operationId = "listExports",
            summary = "The administrator's establishment's exports, newest first (at most 200)",
            description = "Establishment administrators only.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "200", description = "The exports")
    @ApiResponse(responseCode = "403", description = "The caller is not an establishment administrator")
    List<ExportView> list() {
        return exports.list(SignedIn.required());
    }

    @GetMapping("/establishment/exports/{id}")
    @Operation(
            operationId = "getExport",
            summary = "One export of the administrator's establishment",
            description = "Establishment administrators only; another establishment's export is not found.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "200", description = "The export")
    @ApiResponse(responseCode = "403", description = "The caller is not an establishment administrator")
    @ApiResponse(responseCode = "404", description = "No such export in the caller's establishment")
    ExportView get(@PathVariable UUID id) {
        return exports.get(SignedIn.required(), id);
    }

    @GetMapping("/security/exports")
    @Operation(
            operationId = "listAllExports",
            summary = "Every export, newest first (at most 200)",
            description = "Security officers only: the requests waiting for approval and the approved ones.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "200", description = "The exports")
    @ApiResponse(responseCode = "403", description = "The caller is not a security officer")
    List<ExportView> listAll() {
        return exports.list(SignedIn.required());
    }

    @PostMapping("/security/exports/{id}/approve")
    @Operation(
            operationId = "approveExport",
            summary = "Approve a requested export",
            description = "Security officers only, and never the export's requester (two-person rule). Answers the"
                    + " recipient's download link, shown this once: it works once, until linkExpiresAt (7 days by"
                    + " default). The approval is recorded in the access log.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "200", description = "Approved; the download link for the recipient")
    @ApiResponse(responseCode = "403", description = "The caller is not a security officer")
    @ApiResponse(responseCode = "404", description = "No such export")
    @ApiResponse(responseCode = "409", description = "Already approved, or the caller requested it")
    ApprovedExport approve(@PathVariable UUID id) {
        Exports.Approval approval = exports.approve(SignedIn.required(), id);
        return new ApprovedExport(approval.export(), "/api/v1/exports/download/" + approval.token());
    }

    @PostMapping("/security/establishments/{establishmentId}/shred")
    @Operation(
            operationId = "shredEstablishment",
            summary = "Destroy an establishment's data keys after its contract (crypto-shredding)",
            description = "Security officers only. Irreversible: the establishment's patient files and appointments"
                    + " become unreadable for everyone, Carnet included (reading one answers 410), nothing new can be"
                    + " sealed for it, and it leaves the search. Allowed only once an export of its patient files was"
                    + " downloaded by its recipient at least carnet.exports.shred-after ago (30 days by default). The"
                    + " exports' own keys survive, so a leaked copy can still be traced; the act is recorded in the"
                    + " access log, which stays verifiable.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "204", description = "The keys are destroyed")
    @ApiResponse(responseCode = "403", description = "The caller is not a security officer")
    @ApiResponse(responseCode = "404", description = "No such establishment")
    @ApiResponse(
            responseCode = "409",
            description = "No export of its patient files was received long enough ago, or the keys are already"
                    + " destroyed")
    ResponseEntity<Void> shred(@PathVariable UUID establishmentId) {
        exports.shredEstablishment(SignedIn.required(), establishmentId);
        return ResponseEntity.noContent().build();
    }

    @PostMapping(value = "/security/leak-trace", consumes = "text/plain")
    @Operation(
            operationId = "traceLeak",
            summary = "Which export a suspected leak came from",
            description = "Security officers only. The body is the suspected file as text (CSV, JSON, NDJSON or a SQL"
                    + " dump; whole or partial; columns dropped, renamed or re-cased), at most 64 MiB, kept in memory"
                    + " only. Answers the best-matching export, how many marks and rows match and the probability"
                    + " that an unrelated file would match this well; attributed below one in a billion. The check"
                    + " is recorded in the access log. The same as java -jar carnet.jar leak-trace FILE.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "200", description = "The attribution (attributed or not)")
    @ApiResponse(responseCode = "403", description = "The caller is not a security officer")
    Attribution trace(@RequestBody String file) {
        if (file.length() > MAX_TRACED) {
            throw new InvalidRequestException("file", "must be at most 64 MiB");
        }
        return tracer.trace(SignedIn.required(), file);
    }

    @GetMapping("/exports/download/{token}")
    @Operation(
            operationId = "downloadExport",
            summary = "The recipient's download of an approved export (once)",
            description = "No sign-in: the link is the credential, and the file is encrypted to the recipient's key."
                    + " An OpenPGP message (gpg --decrypt opens it with the recipient's secret key) signed by"
                    + " Carnet's export key (GET /api/v1/exports/signing-key), holding a zip of FHIR NDJSON and CSV"
                    + " files. The link works once and expires; the download is recorded in the access log. When the"
                    + " export names the recipient's networks, a download from an address outside them is refused"
                    + " (403, problem type download-outside-recipient-networks) without using the link, and opens"
                    + " a security incident (rule export-unexpected-place).")
    @ApiResponse(
            responseCode = "200",
            description = "The encrypted export",
            content =
                    @Content(
                            mediaType = "application/pgp-encrypted",
                            schema = @Schema(type = "string", format = "binary")))
    @ApiResponse(
            responseCode = "403",
            description = "The download comes from outside the networks the export names; the link still works from"
                    + " them")
    @ApiResponse(responseCode = "404", description = "No such link, or it was used or has expired")
    void download(
            @PathVariable @Pattern(regexp = "[A-Za-z0-9_-]{43}") String token,
            HttpServletRequest request,
            HttpServletResponse response)
            throws IOException {
        // The link is used before the first byte is sent: a failure after that needs a new export.
        response.setContentType("application/pgp-encrypted");
        response.setHeader("Content-Disposition", "attachment; filename=\"carnet-export.zip.gpg\"");
        response.setHeader("Cache-Control", "no-store");
        // The address Tomcat saw, or the one a trusted proxy forwarded (server.forward-headers-strategy).
        exports.download(token, request.getRemoteAddr(), response.getOutputStream());
    }

    @GetMapping("/exports/signing-key")
    @Operation(
            operationId = "getExportSigningKey",
            summary = "Carnet's OpenPGP key that signs every export, ASCII-armoured",
            description = "No sign-in. Import it (gpg --import) to check an export's signature.")
    @ApiResponse(
            responseCode = "200",
            description = "The public key",
            content = @Content(mediaType = "application/pgp-keys", schema = @Schema(type = "string")))
    ResponseEntity<String> signingKey() {
        return ResponseEntity.ok()
                .contentType(org.springframework.http.MediaType.parseMediaType("application/pgp-keys"))
                .body(exports.signingKey());
    }
}
