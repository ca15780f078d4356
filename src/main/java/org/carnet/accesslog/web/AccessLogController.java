package org.carnet.accesslog.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.carnet.accesslog.AccessLogs;
import org.carnet.accesslog.ShownEntry;
import org.carnet.audit.AuditBreak;
import org.carnet.audit.AuditChains;
import org.carnet.audit.AuditVerification;
import org.carnet.audit.AuditVerifier;
import org.carnet.identity.SignedIn;
import org.carnet.shared.Action;
import org.carnet.shared.Actor;
import org.carnet.shared.Role;
import org.jspecify.annotations.Nullable;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1")
@Tag(name = "Access log")
@SecurityRequirement(name = "bearer")
class AccessLogController {

    /** One access to the patient's data, as the patient sees it. */
    record PatientAccess(
            java.time.Instant at,
            @Nullable UUID establishmentId,
            @Nullable String establishment,
            String actorType,
            String role,
            @Nullable String practitioner,
            @Nullable String program,
            String action,
            String resource,
            List<String> fields,
            String purpose,
            String outcome) {
        static PatientAccess of(ShownEntry e) {
            return new PatientAccess(
                    e.at(),
                    e.establishmentId(),
                    e.establishment(),
                    e.actorType(),
                    e.role(),
                    e.practitioner(),
                    e.program(),
                    e.action(),
                    e.resource(),
                    e.fields(),
                    e.purpose(),
                    e.outcome());
        }
    }

    record BreakView(
            UUID chain, @Nullable Long entryId, @Nullable Long position, String kind, String detail) {
        static BreakView of(AuditBreak b) {
            return new BreakView(
                    b.chainKey(), b.entryId(), b.position(), b.kind().name(), b.detail());
        }
    }

    record VerificationView(
            boolean intact,
            long entriesChecked,
            long pending,
            int chains,
            List<BreakView> breaks,
            double seconds,

            @Schema(
                    description = "Whether the database was checked against the witness kept outside it;"
                            + " false means no witness is configured and a database administrator could have"
                            + " rewritten the log undetected")
            boolean witnessed) {
        static VerificationView of(AuditVerification v) {
            return new VerificationView(
                    v.intact(),
                    v.entriesChecked(),
                    v.pending(),
                    v.chains(),
                    v.breaks().stream().map(BreakView::of).toList(),
                    v.elapsed().toMillis() / 1000.0,
                    v.witnessed());
        }
    }

    private final AccessLogs accessLogs;
    private final AuditVerifier verifier;
    private final AuditChains chains;

    AccessLogController(AccessLogs accessLogs, AuditVerifier verifier, AuditChains chains) {
        this.accessLogs = accessLogs;
        this.verifier = verifier;
        this.chains = chains;
    }

    @GetMapping("/me/access-log")
    @Operation(
            operationId = "listMyAccessLog",
            summary = "Every access to the signed-in patient's data, newest first (at most 500)",
            description = "Who (establishment, role, practitioner) did what to which fields, why, and whether it"
                    + " was allowed.")
    @ApiResponse(responseCode = "200", description = "The accesses")
    @ApiResponse(responseCode = "403", description = "The caller is not a patient")
    List<PatientAccess> mine() {
        return accessLogs.mine(SignedIn.required()).stream()
                .map(PatientAccess::of)
                .toList();
    }

    @GetMapping("/establishment/access-log")
    @Operation(
            operationId = "searchAccessLog",
            summary = "Search the administrator's establishment's access log, newest first (at most 200)",
            description = "Establishment administrators only. from and to are yyyy-MM-dd, inclusive, Europe/Paris."
                    + " The search is itself recorded in the log.")
    @ApiResponse(responseCode = "200", description = "The matching entries")
    @ApiResponse(responseCode = "403", description = "The caller is not an establishment administrator")
    List<ShownEntry> search(
            @RequestParam(required = false) @Nullable UUID patient,
            @RequestParam(required = false) @Nullable UUID actor,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to,
            @RequestParam(required = false) @Nullable Action action) {
        return accessLogs.search(SignedIn.required(), new AccessLogs.Criteria(patient, actor, from, to, action));
    }

    @GetMapping("/establishment/access-log.csv")
    @Operation(
            operationId = "exportAccessLog",
            summary = "The same search, every matching entry, as CSV",
            description = "Establishment administrators only. Ids, never names; the export is itself recorded.")
    @ApiResponse(
            responseCode = "200",
            description = "The matching entries as a CSV attachment",
            content = @Content(mediaType = "text/csv", schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "403", description = "The caller is not an establishment administrator")
    void export(
            @RequestParam(required = false) @Nullable UUID patient,
            @RequestParam(required = false) @Nullable UUID actor,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to,
            @RequestParam(required = false) @Nullable Action action,
            HttpServletResponse response)
            throws IOException {
        Actor.Person principal = SignedIn.required();
        AccessLogs.require(principal, Role.ESTABLISHMENT_ADMIN);
        response.setContentType("text/csv;charset=UTF-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"access-log.csv\"");
        Writer out = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8);
        accessLogs.export(principal, new AccessLogs.Criteria(patient, actor, from, to, action), out);
    }

    @GetMapping("/security/audit/checkpoints")
    @Operation(
            operationId = "exportAuditCheckpoints",
            summary = "Every signed checkpoint and the public key, as a witness file to keep elsewhere",
            description = "Security officers only; the file audit verify --checkpoints reads.")
    @ApiResponse(
            responseCode = "200",
            description = "The witness file as a text attachment",
            content = @Content(mediaType = "text/plain", schema = @Schema(type = "string")))
    @ApiResponse(responseCode = "403", description = "The caller is not a security officer")
    void checkpoints(HttpServletResponse response) throws IOException {
        AccessLogs.require(SignedIn.required(), Role.SECURITY_OFFICER);
        response.setContentType("text/plain;charset=UTF-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"carnet-audit-checkpoints.txt\"");
        chains.exportCheckpoints(new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8));
    }

    @PostMapping("/security/audit/verify")
    @Operation(
            operationId = "verifyAuditChains",
            summary = "Walk every audit chain now",
            description = "Security officers only. Checks the database against the witness kept outside it (signed"
                    + " checkpoints and the nodes' chain positions) and reports every break found (an edited, deleted,"
                    + " reordered or dropped entry, an edited chain head, a deleted checkpoint, a truncated chain) and"
                    + " how many entries still wait for their seal.")
    @ApiResponse(responseCode = "200", description = "The verification's result")
    @ApiResponse(responseCode = "403", description = "The caller is not a security officer")
    VerificationView verify() {
        AccessLogs.require(SignedIn.required(), Role.SECURITY_OFFICER);
        return VerificationView.of(verifier.verify());
    }
}
