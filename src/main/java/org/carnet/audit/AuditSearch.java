package org.carnet.audit;

import java.time.Instant;
import java.util.UUID;

/**
 * What an establishment administrator searches its log by; {@code null} means any.
 *
 * @param from inclusive
 * @param to exclusive
 */
public record AuditSearch(UUID patientId, UUID actorId, Instant from, Instant to, AccessEvent.Action action) {

    public static AuditSearch any() {
        return new AuditSearch(null, null, null, null, null);
    }
}
