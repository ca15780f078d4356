package org.carnet.audit;

import java.time.Instant;
import java.util.UUID;
import org.carnet.shared.Action;
import org.jspecify.annotations.Nullable;

/**
 * What an establishment administrator searches its log by; {@code null} means any.
 *
 * @param from inclusive
 * @param to exclusive
 */
public record AuditSearch(
        @Nullable UUID patientId,
        @Nullable UUID actorId,
        @Nullable Instant from,
        @Nullable Instant to,
        @Nullable Action action) {

    public static AuditSearch any() {
        return new AuditSearch(null, null, null, null, null);
    }
}
