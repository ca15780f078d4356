package org.carnet.audit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The hash of an entry: SHA-256 over a canonical, length-prefixed encoding of the previous entry's
 * hash, the chain, the position and every column of the entry. Stored with a version byte in front
 * (33 bytes). Not thread-safe: one per thread.
 */
final class EntryHasher {

    static final byte FORMAT_V1 = 1;
    static final int HASH_BYTES = 33;

    private final MessageDigest sha256;
    private ByteBuffer buffer = ByteBuffer.allocate(1024);

    EntryHasher() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** What the first entry of a chain follows. */
    static byte[] genesis() {
        byte[] genesis = new byte[HASH_BYTES];
        genesis[0] = FORMAT_V1;
        return genesis;
    }

    /** The hash the entry has at this position after this predecessor. */
    byte[] hash(StoredEntry e, long seq, byte[] prevHash) {
        buffer.clear();
        putBytes(prevHash);
        putUuid(e.chainKey());
        putLong(seq);
        putLong(e.occurredAtMicros());
        putUuid(e.establishmentId());
        putString(e.actorType());
        putUuid(e.actorId());
        putString(e.actorRole());
        putUuid(e.onBehalfOf());
        putUuid(e.patientId());
        putString(e.action());
        putString(e.resource());
        putString(e.fields());
        putString(e.purpose());
        putString(e.outcome());
        putString(e.sourceAddress());
        return hashEncoded(buffer.array(), buffer.position());
    }

    /**
     * Whether the entry's stored hash is the one its content has at its stored position after its
     * stored predecessor hash; false when either hash is missing.
     */
    boolean holds(StoredEntry e) {
        return e.prevHash() != null
                && e.entryHash() != null
                && Arrays.equals(
                        hash(e, Objects.requireNonNull(e.seq(), "a sealed entry's position"), e.prevHash()),
                        e.entryHash());
    }

    /**
     * The hash of an entry already in its canonical encoding: the first {@code length} bytes of
     * {@code encoding}, laid out as {@link #hash} lays them out.
     */
    byte[] hashEncoded(byte[] encoding, int length) {
        sha256.update(FORMAT_V1);
        sha256.update(encoding, 0, length);
        byte[] hash = new byte[HASH_BYTES];
        hash[0] = FORMAT_V1;
        try {
            sha256.digest(hash, 1, 32);
        } catch (java.security.DigestException failure) {
            throw new IllegalStateException(failure);
        }
        return hash;
    }

    private void ensure(int more) {
        if (buffer.remaining() < more) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + more));
            buffer.flip();
            bigger.put(buffer);
            buffer = bigger;
        }
    }

    private void putLong(long value) {
        ensure(8);
        buffer.putLong(value);
    }

    private void putUuid(@Nullable UUID value) {
        ensure(17);
        if (value == null) {
            buffer.put((byte) 0);
        } else {
            buffer.put((byte) 1).putLong(value.getMostSignificantBits()).putLong(value.getLeastSignificantBits());
        }
    }

    private void putString(@Nullable String value) {
        putBytes(value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    private void putBytes(byte @Nullable [] value) {
        if (value == null) {
            ensure(4);
            buffer.putInt(-1);
            return;
        }
        ensure(4 + value.length);
        buffer.putInt(value.length).put(value);
    }
}
