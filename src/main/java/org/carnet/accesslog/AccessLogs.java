package org.carnet.accesslog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.carnet.audit.AccessEvent;
import org.carnet.audit.AuditLog;
import org.carnet.audit.AuditSearch;
import org.carnet.audit.AuditTrail;
import org.carnet.directory.Establishment;
import org.carnet.identity.CarnetPrincipal;
import org.carnet.identity.Role;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Who may read which access log, and the reading itself. An administrator's search or export is
 * itself an access to personal data and is recorded; a patient reading their own list is not.
 */
@Service
class AccessLogs {

    static final int PATIENT_LIMIT = 500;
    static final int SEARCH_LIMIT = 200;

    /** The search of an establishment's log as a page or an API call gives it. */
    record Criteria(UUID patient, UUID actor, LocalDate from, LocalDate to, AccessEvent.Action action) {
        AuditSearch search(ZoneId zone) {
            Instant start = from == null ? null : from.atStartOfDay(zone).toInstant();
            Instant end = to == null ? null : to.plusDays(1).atStartOfDay(zone).toInstant();
            return new AuditSearch(patient, actor, start, end, action);
        }
    }

    private final AuditTrail trail;
    private final AuditLog auditLog;
    private final EntryNames names;
    private final ZoneId zone;

    AccessLogs(AuditTrail trail, AuditLog auditLog, EntryNames names, @Value("${carnet.booking.zone}") ZoneId zone) {
        this.trail = trail;
        this.auditLog = auditLog;
        this.names = names;
        this.zone = zone;
    }

    ZoneId zone() {
        return zone;
    }

    /** Every access to the signed-in patient's data, newest first. */
    @Transactional(readOnly = true)
    public List<ShownEntry> mine(CarnetPrincipal principal) {
        require(principal, Role.PATIENT);
        return names.shown(trail.ofPatient(principal.subjectId(), PATIENT_LIMIT));
    }

    /** The administrator's establishment's entries matching the criteria, newest first. */
    @Transactional
    public List<ShownEntry> search(CarnetPrincipal principal, Criteria criteria) {
        UUID establishment = establishmentOf(principal);
        recordReview(principal, establishment, criteria, "search");
        return names.shown(trail.ofEstablishment(establishment, criteria.search(zone), SEARCH_LIMIT));
    }

    /** Writes the matching entries as CSV (ids, never names), streaming. */
    @Transactional
    public void export(CarnetPrincipal principal, Criteria criteria, Writer out) {
        UUID establishment = establishmentOf(principal);
        recordReview(principal, establishment, criteria, "export");
        Map<UUID, Establishment> none = Map.of();
        Map<UUID, Optional<String>> cache = new HashMap<>();
        try {
            out.write(Csv.HEADER);
            trail.exportEstablishment(establishment, criteria.search(zone), entry -> {
                try {
                    out.write(Csv.row(names.shown(entry, none, cache)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private UUID establishmentOf(CarnetPrincipal principal) {
        require(principal, Role.ESTABLISHMENT_ADMIN);
        if (principal.establishmentId() == null) {
            throw new AccessDeniedException("No establishment");
        }
        return principal.establishmentId();
    }

    private void recordReview(CarnetPrincipal principal, UUID establishment, Criteria criteria, String how) {
        auditLog.record(new AccessEvent(
                principal.actor(),
                null,
                criteria.patient(),
                establishment,
                how.equals("export") ? AccessEvent.Action.EXECUTE : AccessEvent.Action.READ,
                "access-log",
                List.of("occurred_at", "actor", "patient_id", "action", "resource", "fields", "purpose", "outcome"),
                "access-review",
                AccessEvent.Outcome.ALLOWED));
    }

    static void require(CarnetPrincipal principal, Role role) {
        if (principal.role() != role) {
            throw new AccessDeniedException("Requires " + role);
        }
    }
}
