package org.carnet.teleconsultation.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.carnet.crypto.Ed25519;

/**
 * The key directory's canonical encoding, hash and signature (docs/e2e.md, "Key directory"):
 * {@code entry_hash = SHA-256("carnet-key-directory-entry/1" ‖ lp(kind) ‖ lp(subject) ‖ u32(version) ‖
 * lp(prev_hash) ‖ lp(encryption JWK) ‖ lp(signing JWK) ‖ u64(published_at µs))}, each {@code lp} a
 * 4-byte big-endian length then the bytes (UTF-8 for text); the signature is Ed25519 over {@code
 * "carnet-key-directory-signature/1" ‖ entry_hash}.
 */
public final class EntryHashing {

    /** The hash a subject's first entry follows. */
    public static final byte[] GENESIS = new byte[32];

    static final byte[] ENTRY_DOMAIN = "carnet-key-directory-entry/1".getBytes(StandardCharsets.US_ASCII);
    static final byte[] SIGNATURE_DOMAIN = "carnet-key-directory-signature/1".getBytes(StandardCharsets.US_ASCII);

    private EntryHashing() {}

    public static byte[] entryHash(
            String kind,
            UUID subject,
            int version,
            byte[] prevHash,
            String encryptionJwk,
            String signingJwk,
            Instant publishedAt) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ENTRY_DOMAIN);
        lengthPrefixed(out, kind.getBytes(StandardCharsets.UTF_8));
        lengthPrefixed(out, subject.toString().getBytes(StandardCharsets.UTF_8));
        out.writeBytes(ByteBuffer.allocate(4).putInt(version).array());
        lengthPrefixed(out, prevHash);
        lengthPrefixed(out, encryptionJwk.getBytes(StandardCharsets.UTF_8));
        lengthPrefixed(out, signingJwk.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(ByteBuffer.allocate(8).putLong(micros(publishedAt)).array());
        try {
            return MessageDigest.getInstance("SHA-256").digest(out.toByteArray());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The instant as the database keeps it (microseconds). */
    public static Instant truncated(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MICROS);
    }

    public static byte[] sign(PrivateKey key, byte[] entryHash) {
        return Ed25519.sign(key, SIGNATURE_DOMAIN, entryHash);
    }

    public static boolean verify(PublicKey key, byte[] entryHash, byte[] signature) {
        return Ed25519.verify(key, signature, SIGNATURE_DOMAIN, entryHash);
    }

    private static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000L);
    }

    private static void lengthPrefixed(ByteArrayOutputStream out, byte[] bytes) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
        out.writeBytes(bytes);
    }
}
