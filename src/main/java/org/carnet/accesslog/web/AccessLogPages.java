package org.carnet.accesslog.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.List;
import java.util.UUID;
import org.carnet.accesslog.AccessLogs;
import org.carnet.accesslog.ShownEntry;
import org.carnet.audit.AuditChains;
import org.carnet.audit.AuditVerifier;
import org.carnet.identity.SignedIn;
import org.carnet.shared.Action;
import org.carnet.shared.WebPage;
import org.jspecify.annotations.Nullable;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** The patient's "who accessed my data", the administrator's log search, the security officer's verification. */
@WebPage
class AccessLogPages {

    /** An entry as a row of a page: the time already formatted in the platform's zone and language. */
    record Row(ShownEntry entry, String when) {}

    private final AccessLogs accessLogs;
    private final AuditVerifier verifier;
    private final AuditChains chains;

    AccessLogPages(AccessLogs accessLogs, AuditVerifier verifier, AuditChains chains) {
        this.accessLogs = accessLogs;
        this.verifier = verifier;
        this.chains = chains;
    }

    @GetMapping("/me/access-log")
    String mine(Model model) {
        model.addAttribute("rows", rows(accessLogs.mine(SignedIn.required())));
        return "access-log";
    }

    @GetMapping("/establishment/access-log")
    String search(
            @RequestParam(required = false) @Nullable UUID patient,
            @RequestParam(required = false) @Nullable UUID actor,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to,
            @RequestParam(required = false) @Nullable Action action,
            Model model) {
        AccessLogs.Criteria criteria = new AccessLogs.Criteria(patient, actor, from, to, action);
        model.addAttribute("criteria", criteria);
        model.addAttribute("actions", Action.values());
        model.addAttribute("rows", rows(accessLogs.search(SignedIn.required(), criteria)));
        model.addAttribute("limit", AccessLogs.SEARCH_LIMIT);
        return "establishment-access-log";
    }

    @GetMapping("/establishment/access-log.csv")
    void export(
            @RequestParam(required = false) @Nullable UUID patient,
            @RequestParam(required = false) @Nullable UUID actor,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to,
            @RequestParam(required = false) @Nullable Action action,
            HttpServletResponse response)
            throws IOException {
        response.setContentType("text/csv;charset=UTF-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"access-log.csv\"");
        Writer out = new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8);
        accessLogs.export(SignedIn.required(), new AccessLogs.Criteria(patient, actor, from, to, action), out);
    }

    @GetMapping("/security/audit")
    String security(Model model) {
        model.addAttribute("witnessed", chains.witnessed());
        return "security-audit";
    }

    @GetMapping("/security/audit/checkpoints.txt")
    void checkpoints(HttpServletResponse response) throws IOException {
        response.setContentType("text/plain;charset=UTF-8");
        response.setHeader("Content-Disposition", "attachment; filename=\"carnet-audit-checkpoints.txt\"");
        chains.exportCheckpoints(new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8));
    }

    @PostMapping("/security/audit/verify")
    String verify(Model model) {
        var result = verifier.verify();
        model.addAttribute("result", result);
        model.addAttribute("witnessed", result.witnessed());
        return "security-audit";
    }

    private List<Row> rows(List<ShownEntry> entries) {
        ZoneId zone = accessLogs.zone();
        DateTimeFormatter format = DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT)
                .withLocale(LocaleContextHolder.getLocale())
                .withZone(zone);
        return entries.stream().map(e -> new Row(e, format.format(e.at()))).toList();
    }
}
