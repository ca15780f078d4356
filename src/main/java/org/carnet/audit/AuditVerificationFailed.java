package org.carnet.audit;

import java.time.Instant;
import java.util.List;

/**
 * A verification of the access log found at least one broken chain. Published synchronously by {@link
 * AuditVerifier} (whoever asked: the security officer's page or API, the {@code audit verify} command);
 * breach detection opens an incident. Ids, positions and kinds only.
 */
public record AuditVerificationFailed(List<AuditBreak> breaks, Instant at) {

    public AuditVerificationFailed {
        breaks = List.copyOf(breaks);
    }
}
