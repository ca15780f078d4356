package org.carnet.scheduling.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.carnet.crypto.BlindIndex;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Idempotency keys of booking requests. The key is stored with a hash of the request it came with,
 * so that the same key sent with another request is refused rather than answered wrongly. A row is found
 * by a keyed hash (the platform's blind-index key) of who asked (a patient account or a program) and the
 * key they sent: it names no account, so a dump without the keys cannot tell whose appointment it
 * remembers.
 */
@Component
public class BookingRequests {

    public record Remembered(byte[] requestHash, UUID appointmentId) {}

    static final String PURPOSE = "booking-request";

    private final JdbcClient jdbc;
    private final BlindIndex blindIndex;

    BookingRequests(JdbcClient jdbc, BlindIndex blindIndex) {
        this.jdbc = jdbc;
        this.blindIndex = blindIndex;
    }

    /** What a requester (a patient account or a program) remembers under this key. */
    public Optional<Remembered> find(UUID requesterId, String key) {
        return jdbc.sql("SELECT request_hash, appointment_id FROM booking_request_keys WHERE request_key = ?")
                .param(requestKey(requesterId, key))
                .query((rs, n) -> new Remembered(rs.getBytes(1), rs.getObject(2, UUID.class)))
                .optional();
    }

    /** Claims the key in the caller's transaction; a second claim fails with a duplicate key. */
    public void claim(UUID requesterId, String key, byte[] requestHash, UUID appointmentId, Instant now) {
        jdbc.sql("INSERT INTO booking_request_keys (request_key, request_hash, appointment_id, created_at)"
                        + " VALUES (?, ?, ?, ?)")
                .params(requestKey(requesterId, key), requestHash, appointmentId, SlotStore.utc(now))
                .update();
    }

    /** The row's key: a keyed hash of the requester and the key they sent. */
    byte[] requestKey(UUID requesterId, String key) {
        return blindIndex.of(PURPOSE, requesterId + "|" + key);
    }

    /** The relative, when there is one, is hashed last so that requests without one keep their former hash. */
    public static byte[] hash(UUID slotId, UUID motiveId, @Nullable String comment, @Nullable UUID relativeId) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((slotId + "|" + motiveId + "|").getBytes(StandardCharsets.UTF_8));
            if (comment != null) {
                digest.update(comment.getBytes(StandardCharsets.UTF_8));
            }
            if (relativeId != null) {
                digest.update(("|for:" + relativeId).getBytes(StandardCharsets.UTF_8));
            }
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
