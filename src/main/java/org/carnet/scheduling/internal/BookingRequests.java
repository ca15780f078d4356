package org.carnet.scheduling.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Idempotency keys of booking requests. The key is stored with a hash of the request it came with,
 * so that the same key sent with another request is refused rather than answered wrongly.
 */
@Component
public class BookingRequests {

    public record Remembered(byte[] requestHash, UUID appointmentId) {}

    private final JdbcClient jdbc;

    BookingRequests(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Remembered> find(UUID patientAccountId, String key) {
        return jdbc.sql("SELECT request_hash, appointment_id FROM booking_requests WHERE patient_account_id = ?"
                        + " AND idempotency_key = ?")
                .params(patientAccountId, key)
                .query((rs, n) -> new Remembered(rs.getBytes(1), rs.getObject(2, UUID.class)))
                .optional();
    }

    /** Claims the key in the caller's transaction; a second claim fails with a duplicate key. */
    public void claim(UUID patientAccountId, String key, byte[] requestHash, UUID appointmentId, Instant now) {
        jdbc.sql("INSERT INTO booking_requests (patient_account_id, idempotency_key, request_hash, appointment_id,"
                        + " created_at) VALUES (?, ?, ?, ?, ?)")
                .params(patientAccountId, key, requestHash, appointmentId, SlotStore.utc(now))
                .update();
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
