package org.carnet.teleconsultation;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One of a person's devices: its own P-256 key (the public half, canonical, named by its RFC 7638
 * thumbprint), pending until a wrap of the account key to it is stored ({@code linkedAt}).
 */
public record AccountDevice(
        SubjectKind subjectKind,
        UUID subjectId,
        String deviceKid,
        String deviceJwk,
        Instant registeredAt,
        @Nullable Instant linkedAt) {

    public boolean linked() {
        return linkedAt != null;
    }
}
