package org.carnet.breach;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A rule opened an incident: the security officers are told. Ids, codes and times only.
 *
 * @param rule the code of the rule that opened it
 */
public record IncidentOpened(
        UUID incidentId, Severity severity, String rule, Instant awareAt, Instant notifyBy, List<UUID> establishments) {

    public IncidentOpened {
        establishments = List.copyOf(establishments);
    }
}
