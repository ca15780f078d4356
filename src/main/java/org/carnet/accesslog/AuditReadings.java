package org.carnet.accesslog;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.carnet.access.AccessDecision;
import org.carnet.access.AccessRequest;
import org.carnet.audit.AuditEntry;
import org.carnet.audit.AuditQuery;
import org.carnet.audit.AuditTrail;
import org.carnet.audit.RecordedActor;
import org.carnet.shared.Action;
import org.carnet.shared.Actor;
import org.carnet.shared.Field;
import org.carnet.shared.PatientRef;
import org.carnet.shared.Purpose;
import org.carnet.shared.Resource;
import org.carnet.shared.Role;
import org.jspecify.annotations.Nullable;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The access log read entry by entry, as FHIR's {@code AuditEvent} serves it (issue 13): by the
 * platform's security officer, any entry (purpose {@code investigation}); by a third-party program, only
 * the entries of what it did itself (within its establishment, purpose {@code access-review}), never what
 * a person or another program did. Each reading is itself an access, decided and recorded by the access
 * decision before the log is read: one entry per search or read, naming the patient it is about, if any.
 */
@Service
public class AuditReadings {

    /**
     * A search; {@code null} means any.
     *
     * @param agent who acted: a login's id or a program's client id
     * @param patient whose data
     * @param from inclusive
     * @param to exclusive
     */
    public record Criteria(
            @Nullable UUID agent,
            @Nullable PatientRef patient,
            @Nullable Instant from,
            @Nullable Instant to) {}

    /** One page of entries, newest first, and how many match in all. */
    public record Page(List<AuditEntry> entries, int total) {}

    private final AuditTrail trail;
    private final AccessDecision access;

    AuditReadings(AuditTrail trail, AccessDecision access) {
        this.trail = trail;
        this.access = access;
    }

    /**
     * The entries the reader may see that match, newest first.
     *
     * @throws AccessDeniedException when the reader is neither the security officer nor a program (the
     *     program's scopes are the caller's to check)
     */
    @Transactional
    public Page search(Actor reader, Criteria criteria, int offset, int count) {
        AuditQuery query = query(reader, criteria);
        if (reader instanceof Actor.Client client
                && criteria.agent() != null
                && !criteria.agent().equals(client.clientId())) {
            // Another actor's entries: none are this program's, and nothing of the log is read.
            return new Page(List.of(), 0);
        }
        record(reader, criteria.patient());
        return new Page(trail.search(query, offset, count), trail.count(query));
    }

    /** One entry, if the reader may see it; recorded as a reading of that entry's patient. */
    @Transactional
    public Optional<AuditEntry> read(Actor reader, long id) {
        AuditQuery scope = query(reader, new Criteria(null, null, null, null));
        Optional<AuditEntry> entry = trail.byId(id).filter(found -> within(found, scope));
        entry.ifPresent(
                found -> record(reader, found.patientId() == null ? null : PatientRef.account(found.patientId())));
        return entry;
    }

    private static AuditQuery query(Actor reader, Criteria criteria) {
        UUID patient = criteria.patient() == null ? null : criteria.patient().id();
        if (reader instanceof Actor.Client client) {
            return new AuditQuery(
                    client.establishment().value(),
                    RecordedActor.Type.CLIENT,
                    client.clientId(),
                    patient,
                    criteria.from(),
                    criteria.to());
        }
        if (reader instanceof Actor.Person person && person.role() == Role.SECURITY_OFFICER) {
            return new AuditQuery(null, null, criteria.agent(), patient, criteria.from(), criteria.to());
        }
        throw new AccessDeniedException("Only the security officer or a program reads audit events");
    }

    private static boolean within(AuditEntry entry, AuditQuery scope) {
        return (scope.establishmentId() == null || scope.establishmentId().equals(entry.establishmentId()))
                && (scope.actorType() == null
                        || scope.actorType() == entry.actor().type())
                && (scope.actorId() == null
                        || scope.actorId().equals(entry.actor().id()));
    }

    private void record(Actor reader, @Nullable PatientRef patient) {
        // The log names a patient by id only; the entry read back says which (account or file), the
        // reading's entry records that same id.
        boolean program = reader instanceof Actor.Client;
        access.require(new AccessRequest(
                reader,
                patient,
                program ? reader.establishment() : null,
                Action.READ,
                Resource.ACCESS_LOG,
                Field.LOG_ENTRY,
                program ? Purpose.ACCESS_REVIEW : Purpose.INVESTIGATION));
    }
}
