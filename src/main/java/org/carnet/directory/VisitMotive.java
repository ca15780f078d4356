package org.carnet.directory;

import java.util.UUID;

/** Why a patient may book a practitioner, how long it takes, and whether it can be held remotely. */
public record VisitMotive(
        UUID id,
        UUID practitionerId,
        UUID establishmentId,
        String label,
        int durationMinutes,
        boolean teleconsultation) {}
