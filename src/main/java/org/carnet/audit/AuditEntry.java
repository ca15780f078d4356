package org.carnet.audit;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.carnet.shared.Action;
import org.jspecify.annotations.Nullable;

/**
 * One entry of the access log as read back. Maps onto a FHIR R4 AuditEvent: {@code actor} and
 * {@code onBehalfOf} are agents, {@code patientId} and {@code resource}/{@code fields} the entity,
 * {@code action} the C/R/U/D/E action, {@code outcome} and {@code purpose} (purposeOfEvent).
 *
 * @param position its place in its chain, {@code null} while it waits for its seal
 */
public record AuditEntry(
        long id,
        Instant occurredAt,
        @Nullable UUID establishmentId,
        RecordedActor actor,
        @Nullable UUID onBehalfOf,
        @Nullable UUID patientId,
        Action action,
        String resource,
        List<String> fields,
        String purpose,
        AccessEvent.Outcome outcome,
        @Nullable String sourceAddress,
        @Nullable Long position) {}
