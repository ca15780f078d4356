package org.carnet.accesslog;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * An access-log entry with its establishment and actor named, as the API and pages show it.
 *
 * @param practitioner the practitioner's display name when a practitioner acted, else {@code null}
 */
public record ShownEntry(
        long id,
        Instant at,
        UUID establishmentId,
        String establishment,
        String actorType,
        UUID actorId,
        String role,
        String practitioner,
        UUID onBehalfOf,
        UUID patientId,
        String action,
        String resource,
        List<String> fields,
        String purpose,
        String outcome,
        String sourceAddress,
        Long position) {}
