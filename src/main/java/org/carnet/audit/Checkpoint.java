package org.carnet.audit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;

/**
 * A signed statement that a chain had this hash at this position: {@code HEAD} at a moment,
 * {@code START} where a pruned chain now begins. Only ids and hashes, no personal data.
 */
record Checkpoint(
        UUID chainKey, long seq, byte[] headHash, Kind kind, Instant signedAt, String keyId, byte[] signature) {

    enum Kind {
        HEAD,
        START
    }

    private static final byte[] DOMAIN = "carnet/audit-checkpoint/v1".getBytes(StandardCharsets.US_ASCII);

    /** The bytes the signature covers. */
    byte[] message() {
        byte[] key = keyId.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(DOMAIN.length + 16 + 8 + 4 + headHash.length + 1 + 8 + 4 + key.length)
                .put(DOMAIN)
                .putLong(chainKey.getMostSignificantBits())
                .putLong(chainKey.getLeastSignificantBits())
                .putLong(seq)
                .putInt(headHash.length)
                .put(headHash)
                .put((byte) kind.ordinal())
                .putLong(StoredEntry.micros(signedAt))
                .putInt(key.length)
                .put(key)
                .array();
    }

    String describe() {
        return kind + " checkpoint of chain " + chainKey + " at position " + seq;
    }

    String hashHex() {
        return HexFormat.of().formatHex(headHash);
    }
}
