package org.carnet.teleconsultation;

import java.time.Instant;
import java.util.UUID;

/**
 * A person's account key (the directory entry whose encryption kid is {@code accountKid}) wrapped to one
 * recipient: {@code device:<kid>} or {@code recovery}. Only whoever holds that device's private key, or
 * the recovery code, opens it.
 */
public record AccountKeyWrap(
        SubjectKind subjectKind,
        UUID subjectId,
        String accountKid,
        String recipient,
        Envelope envelope,
        Instant storedAt) {}
