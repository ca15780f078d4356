package org.carnet.clients;

import java.time.Instant;
import java.util.UUID;

/**
 * A program's registration was requested ({@code PENDING}) or changed state. Carries ids, the
 * program's name (not personal) and times only.
 *
 * @param administrator the subject id of the administrator who requested it, whose inbox is told
 * @param changedBy the login that made the change
 */
public record ClientStateChanged(
        UUID clientId,
        UUID establishmentId,
        String program,
        ClientStatus status,
        UUID administrator,
        UUID changedBy,
        Instant at) {}
