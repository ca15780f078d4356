package org.carnet.audit;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The one audit API. An entry is appended in the caller's transaction: an access that rolls back
 * leaves no entry, and one that commits always has its entry.
 */
@Service
public class AuditLog {

    private final JdbcClient jdbc;
    private final Clock clock;

    AuditLog(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public void record(AccessEvent event) {
        jdbc.sql("INSERT INTO audit_log (occurred_at, establishment_id, actor_type, actor_id, actor_role,"
                        + " on_behalf_of, patient_id, action, resource, fields, purpose, outcome, source_address)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(
                        OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC),
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
                        sourceAddress())
                .update();
    }

    private static String sourceAddress() {
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
            HttpServletRequest request = attributes.getRequest();
            return request.getRemoteAddr();
        }
        return null;
    }
}
