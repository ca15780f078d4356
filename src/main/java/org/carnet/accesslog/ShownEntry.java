package org.carnet.accesslog;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An access-log entry with its establishment and actor named, as the API and pages show it.
 *
 * @param practitioner the practitioner's display name when a practitioner acted, else {@code null}
 */
public record ShownEntry(
        long id,
        Instant at,
        @Nullable UUID establishmentId,
        @Nullable String establishment,
        String actorType,
        @Nullable UUID actorId,
        String role,
        @Nullable String practitioner,
        @Nullable UUID onBehalfOf,
        @Nullable UUID patientId,
        String action,
        String resource,
        List<String> fields,
        String purpose,
        String outcome,
        @Nullable String sourceAddress,
        @Nullable Long position) {}
