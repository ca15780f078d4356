package org.carnet.accesslog;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An access-log entry with its establishment and actor named, as the API and pages show it. The
 * source address the audit log keeps is not part of it: it stays in the audit log, for the security
 * officer's investigation, and is shown neither to administrators nor to patients.
 *
 * @param practitioner the practitioner's display name when a practitioner acted, else {@code null}
 * @param program the third-party program's name when a program acted (its establishment is {@code
 *     establishment}), else {@code null}
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
        @Nullable String program,
        @Nullable UUID onBehalfOf,
        @Nullable UUID patientId,
        String action,
        String resource,
        List<String> fields,
        String purpose,
        String outcome,
        @Nullable Long position) {}
