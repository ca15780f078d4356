package org.carnet.audit;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.carnet.shared.Action;
import org.carnet.shared.Field;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The one audit API, called only by the access module (the door to patient data). An entry is appended in the caller's transaction: an access that rolls back
 * leaves no entry, and one that commits always has its entry. The entries of one transaction are
 * written together just before it commits; once committed, the chain sealer links them into their
 * establishment's hash chain (see {@link AuditChains}), and the node counts them in its witness
 * file, outside the database.
 */
@Service
public class AuditLog {

    static final String INSERT = "INSERT INTO audit_log (chain_key, occurred_at, establishment_id, actor_type,"
            + " actor_id, actor_role, on_behalf_of, patient_id, action, resource, fields, purpose, outcome,"
            + " source_address) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /** Rows buffered beyond this are written at once rather than at commit. */
    private static final int FLUSH_AT = 1000;

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final SealingWorker sealer;
    private final AuditWitness witness;

    AuditLog(JdbcTemplate jdbc, Clock clock, SealingWorker sealer, AuditWitness witness) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.sealer = sealer;
        this.witness = witness;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void record(AccessEvent event) {
        append(new Stored(
                event.establishment() == null ? null : event.establishment().value(),
                RecordedActor.of(event.actor()),
                event.onBehalfOf(),
                event.patient() == null ? null : event.patient().id(),
                event.action(),
                event.resource().code(),
                event.fields().stream().map(Field::code).toList(),
                event.purpose().code(),
                event.outcome()));
    }

    /** An entry as the log stores it: names as strings, so that its own tests can write any. */
    record Stored(
            @Nullable UUID establishmentId,
            RecordedActor actor,
            @Nullable UUID onBehalfOf,
            @Nullable UUID patientId,
            Action action,
            String resource,
            List<String> fields,
            String purpose,
            AccessEvent.Outcome outcome) {}

    /** Appends an entry in the caller's transaction. */
    void append(Stored entry) {
        OffsetDateTime at =
                OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        UUID chain = ChainKeys.of(entry.establishmentId());
        Pending pending = pending();
        pending.chains.merge(chain, 1, Integer::sum);
        pending.rows.add(new Object[] {
            chain,
            at,
            entry.establishmentId(),
            entry.actor().type().name(),
            entry.actor().id(),
            entry.actor().role(),
            entry.onBehalfOf(),
            entry.patientId(),
            entry.action().name(),
            entry.resource(),
            String.join(",", entry.fields()),
            entry.purpose(),
            entry.outcome().name(),
            sourceAddress()
        });
        if (pending.rows.size() >= FLUSH_AT) {
            pending.write();
        }
    }

    /** This transaction's buffer; synchronizations are suspended with their transaction, so a nested one gets its own. */
    private Pending pending() {
        for (TransactionSynchronization synchronization : TransactionSynchronizationManager.getSynchronizations()) {
            if (synchronization instanceof Pending pending && pending.owner() == this) {
                return pending;
            }
        }
        Pending pending = new Pending();
        TransactionSynchronizationManager.registerSynchronization(pending);
        return pending;
    }

    private final class Pending implements TransactionSynchronization {
        final List<Object[]> rows = new ArrayList<>();
        /** The entries of each chain this transaction appends. */
        final Map<UUID, Integer> chains = new LinkedHashMap<>();

        AuditLog owner() {
            return AuditLog.this;
        }

        void write() {
            if (!rows.isEmpty()) {
                jdbc.batchUpdate(INSERT, rows);
                rows.clear();
            }
        }

        @Override
        public void beforeCommit(boolean readOnly) {
            write();
        }

        @Override
        public void afterCommit() {
            // Counted outside the database: an entry removed before its seal is still missed.
            witness.committed(chains);
            sealer.wake(chains.keySet());
        }
    }

    /** The network the current request came from (never the address itself: {@link SourcePrefix}). */
    private static @Nullable String sourceAddress() {
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
            HttpServletRequest request = attributes.getRequest();
            return SourcePrefix.of(request.getRemoteAddr());
        }
        return null;
    }
}
