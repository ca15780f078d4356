package org.carnet.teleconsultation;

import java.time.Instant;
import java.util.UUID;

/**
 * One entry of the key directory: a subject's public keys at one version, chained to the subject's
 * previous entry and signed by Carnet. The JWKs are kept and served exactly as hashed (canonical JSON,
 * see docs/e2e.md), so a client recomputes {@code entryHash} from what it received.
 */
public record KeyDirectoryEntry(
        SubjectKind subjectKind,
        UUID subjectId,
        int version,
        String encryptionJwk,
        String encryptionKid,
        String signingJwk,
        String signingKid,
        Instant publishedAt,
        byte[] prevHash,
        byte[] entryHash,
        String serverKeyId,
        byte[] serverSignature) {}
