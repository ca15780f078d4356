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
import org.carnet.access.AccessDecision;
import org.carnet.access.AccessRequest;
import org.carnet.audit.AuditSearch;
import org.carnet.audit.AuditTrail;
import org.carnet.directory.Establishment;
import org.carnet.shared.Action;
import org.carnet.shared.Actor;
import org.carnet.shared.EstablishmentId;
import org.carnet.shared.Field;
import org.carnet.shared.PatientRef;
import org.carnet.shared.Purpose;
import org.carnet.shared.Resource;
import org.carnet.shared.Role;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Who may read which access log, and the reading itself. An administrator's search or export is
 * itself an access to personal data and is recorded; a patient reading their own list is not.
 */
@Service
public class AccessLogs {

    public static final int PATIENT_LIMIT = 500;
    public static final int SEARCH_LIMIT = 200;

    /** The search of an establishment's log as a page or an API call gives it. */
    public record Criteria(
            @Nullable UUID patient,
            @Nullable UUID actor,
            @Nullable LocalDate from,
            @Nullable LocalDate to,
            @Nullable Action action) {
        AuditSearch search(ZoneId zone) {
            Instant start = from == null ? null : from.atStartOfDay(zone).toInstant();
            Instant end = to == null ? null : to.plusDays(1).atStartOfDay(zone).toInstant();
            return new AuditSearch(patient, actor, start, end, action);
        }
    }

    private final AuditTrail trail;
    private final AccessDecision access;
    private final EntryNames names;
    private final ZoneId zone;

    AccessLogs(
            AuditTrail trail, AccessDecision access, EntryNames names, @Value("${carnet.booking.zone}") ZoneId zone) {
        this.trail = trail;
        this.access = access;
        this.names = names;
        this.zone = zone;
    }

    public ZoneId zone() {
        return zone;
    }

    /** Every access to the signed-in patient's data, newest first. */
    @Transactional(readOnly = true)
    public List<ShownEntry> mine(Actor.Person principal) {
        require(principal, Role.PATIENT);
        return names.shown(trail.ofPatient(principal.subjectId(), PATIENT_LIMIT));
    }

    /**
     * Every access to the signed-in patient's data, newest first, for their copy of their data: unlike
     * the list they browse, this reading is recorded (for the given purpose), as part of the copy.
     */
    @Transactional
    public List<ShownEntry> mineRecorded(Actor.Person principal, Purpose purpose) {
        require(principal, Role.PATIENT);
        access.require(AccessRequest.toAccount(
                principal,
                PatientRef.account(principal.subjectId()),
                Action.READ,
                Resource.ACCESS_LOG,
                Field.LOG_ENTRY,
                purpose));
        return names.shown(trail.ofPatient(principal.subjectId(), PATIENT_LIMIT));
    }

    /** The administrator's establishment's entries matching the criteria, newest first. */
    @Transactional
    public List<ShownEntry> search(Actor.Person principal, Criteria criteria) {
        UUID establishment = establishmentOf(principal);
        recordReview(principal, establishment, criteria, "search");
        return names.shown(trail.ofEstablishment(establishment, criteria.search(zone), SEARCH_LIMIT));
    }

    /** Writes the matching entries as CSV (ids, never names), streaming. */
    @Transactional
    public void export(Actor.Person principal, Criteria criteria, Writer out) {
        UUID establishment = establishmentOf(principal);
        recordReview(principal, establishment, criteria, "export");
        Map<UUID, Establishment> none = Map.of();
        Map<UUID, Optional<String>> cache = new HashMap<>();
        try {
            out.write(Csv.HEADER);
            trail.exportEstablishment(establishment, criteria.search(zone), entry -> {
                try {
                    out.write(Csv.row(names.shown(entry, none, cache, Map.of())));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private UUID establishmentOf(Actor.Person principal) {
        require(principal, Role.ESTABLISHMENT_ADMIN);
        if (principal.establishmentId() == null) {
            throw new AccessDeniedException("No establishment");
        }
        return principal.establishmentId();
    }

    private void recordReview(Actor.Person principal, UUID establishment, Criteria criteria, String how) {
        // The log names a patient by id only (their account's, or a file's for a patient known only
        // to the practice); a search without one reads entries about many.
        access.require(new AccessRequest(
                principal,
                criteria.patient() == null ? null : PatientRef.account(criteria.patient()),
                EstablishmentId.of(establishment),
                how.equals("export") ? Action.EXECUTE : Action.READ,
                Resource.ACCESS_LOG,
                Field.LOG_ENTRY,
                Purpose.ACCESS_REVIEW));
    }

    public static void require(Actor.Person principal, Role role) {
        if (principal.role() != role) {
            throw new AccessDeniedException("Requires " + role);
        }
    }
}
