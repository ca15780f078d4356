package org.carnet.teleconsultation;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One version of an establishment's key (the private keys of its directory entry {@code keyVersion}) wrapped
 * to one recipient: the establishment's offline recovery code ({@code recipientKind} {@code RECOVERY},
 * {@code recipientId} the establishment) or a practitioner's account encryption key (their directory entry
 * {@code recipientKeyVersion}). Only the holder of the code or of that account key opens it.
 */
public record EstablishmentKeyWrap(
        UUID establishmentId,
        int keyVersion,
        RecipientKind recipientKind,
        UUID recipientId,
        @Nullable Integer recipientKeyVersion,
        Envelope envelope,
        Instant storedAt) {

    /** To whom a version of the establishment key is wrapped. */
    public enum RecipientKind {
        RECOVERY,
        PRACTITIONER
    }
}
