package org.carnet.privacy.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import org.carnet.accesslog.AccessLogs;
import org.carnet.identity.SignedIn;
import org.carnet.privacy.AccountErasure;
import org.carnet.privacy.DataCopies;
import org.carnet.privacy.DataCopy;
import org.carnet.shared.ForbiddenException;
import org.carnet.shared.WebPage;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * The patient's own copy of their data, as a page that reads on its own once downloaded (plain HTML,
 * no script; the site's style sheet only while shown in Carnet) and as JSON; and the erasure of their account, behind their password and
 * an explicit confirmation.
 */
@WebPage
class PrivacyPages {

    /** Times as the pages show them: in the platform's zone and the reader's language. */
    record Times(DateTimeFormatter format) {
        public String of(Instant at) {
            return format.format(at);
        }
    }

    private final DataCopies copies;
    private final AccountErasure erasure;
    private final AccessLogs accessLogs;

    PrivacyPages(DataCopies copies, AccountErasure erasure, AccessLogs accessLogs) {
        this.copies = copies;
        this.erasure = erasure;
        this.accessLogs = accessLogs;
    }

    @GetMapping("/me/data-copy")
    String dataCopy(@RequestParam(defaultValue = "false") boolean download, Model model, HttpServletResponse response) {
        if (download) {
            response.setHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"carnet-data-copy.html\"");
        }
        model.addAttribute("copy", copies.of(SignedIn.required()));
        model.addAttribute("historyLimit", AccessLogs.PATIENT_LIMIT);
        model.addAttribute(
                "times",
                new Times(DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT)
                        .withLocale(LocaleContextHolder.getLocale())
                        .withZone(accessLogs.zone())));
        return "data-copy";
    }

    @GetMapping("/me/data-copy.json")
    @ResponseBody
    ResponseEntity<DataCopy> dataCopyJson() {
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"carnet-data-copy.json\"")
                .body(copies.of(SignedIn.required()));
    }

    @GetMapping("/me/erasure")
    String erasurePage() {
        SignedIn.required();
        return "erasure";
    }

    @PostMapping("/me/erasure")
    String erase(
            @RequestParam(defaultValue = "") String currentPassword,
            @RequestParam(defaultValue = "false") boolean confirm,
            HttpServletRequest request,
            HttpServletResponse response,
            Model model) {
        if (!confirm) {
            model.addAttribute("confirmError", "erasure.confirm.missing");
        }
        if (currentPassword.isEmpty()) {
            model.addAttribute("passwordError", "erasure.password.wrong");
        }
        if (!confirm || currentPassword.isEmpty()) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            return "erasure";
        }
        try {
            erasure.erase(SignedIn.required(), currentPassword);
        } catch (ForbiddenException e) {
            model.addAttribute("passwordError", "erasure.password.wrong");
            response.setStatus(HttpServletResponse.SC_FORBIDDEN);
            return "erasure";
        }
        // The login is closed and its sessions ended; this one goes now, with what it held.
        HttpSession session = request.getSession(false);
        if (session != null) {
            session.invalidate();
        }
        SecurityContextHolder.clearContext();
        return "redirect:/erased";
    }

    @GetMapping("/erased")
    String erased() {
        return "erased";
    }
}
