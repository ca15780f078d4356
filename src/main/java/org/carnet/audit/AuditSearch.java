package org.carnet.audit;

import java.time.Instant;
import java.util.UUID;
import org.carnet.shared.Action;

/**
 * What an establishment administrator searches its log by; {@code null} means any.
 *
 * @param from inclusive
 * @param to exclusive
 */
public record AuditSearch(UUID patientId, UUID actorId, Instant from, Instant to, Action action) {

    public static AuditSearch any() {
        return new AuditSearch(null, null, null, null, null);
    }
}
