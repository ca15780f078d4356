package org.carnet.audit;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The one audit API. An entry is appended in the caller's transaction: an access that rolls back
 * leaves no entry, and one that commits always has its entry. The entries of one transaction are
 * written together just before it commits; once committed, the chain sealer links them into their
 * establishment's hash chain (see {@link AuditChains}).
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

    AuditLog(JdbcTemplate jdbc, Clock clock, SealingWorker sealer) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.sealer = sealer;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void record(AccessEvent event) {
        OffsetDateTime at =
                OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        UUID chain = ChainKeys.of(event.establishmentId());
        Pending pending = pending();
        pending.chains.add(chain);
        pending.rows.add(new Object[] {
            chain,
            at,
            event.establishmentId(),
            event.actor().type().name(),
            event.actor().id(),
            event.actor().role(),
            event.onBehalfOf(),
            event.patientId(),
            event.action().name(),
            event.resource(),
            String.join(",", event.fields()),
            event.purpose(),
            event.outcome().name(),
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
        final Set<UUID> chains = new LinkedHashSet<>();

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
            sealer.wake(chains);
        }
    }

    private static String sourceAddress() {
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
            HttpServletRequest request = attributes.getRequest();
            return request.getRemoteAddr();
        }
        return null;
    }
}
