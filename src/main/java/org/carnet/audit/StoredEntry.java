package org.carnet.audit;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGStatement;

/** An audit_log row as stored, hashes included; what the sealer hashes and the verifier checks. */
record StoredEntry(
        long id,
        UUID chainKey,
        @Nullable Long seq,
        byte @Nullable [] prevHash,
        byte @Nullable [] entryHash,
        long occurredAtMicros,
        @Nullable UUID establishmentId,
        String actorType,
        @Nullable UUID actorId,
        String actorRole,
        @Nullable UUID onBehalfOf,
        @Nullable UUID patientId,
        String action,
        String resource,
        String fields,
        String purpose,
        String outcome,
        @Nullable String sourceAddress) {

    static final String COLUMNS = "id, chain_key, seq, prev_hash, entry_hash, occurred_at, establishment_id,"
            + " actor_type, actor_id, actor_role, on_behalf_of, patient_id, action, resource, fields, purpose,"
            + " outcome, source_address";

    static StoredEntry read(ResultSet rs) throws SQLException {
        long seqValue = rs.getLong(3);
        // wasNull() speaks of the last column read: ask it right after the sequence.
        Long seq = rs.wasNull() ? null : seqValue;
        return new StoredEntry(
                rs.getLong(1),
                rs.getObject(2, UUID.class),
                seq,
                rs.getBytes(4),
                rs.getBytes(5),
                micros(rs.getObject(6, OffsetDateTime.class).toInstant()),
                rs.getObject(7, UUID.class),
                rs.getString(8),
                rs.getObject(9, UUID.class),
                rs.getString(10),
                rs.getObject(11, UUID.class),
                rs.getObject(12, UUID.class),
                rs.getString(13),
                rs.getString(14),
                rs.getString(15),
                rs.getString(16),
                rs.getString(17),
                rs.getString(18));
    }

    /**
     * PostgreSQL's driver sends UUIDs and timestamps as text unless a statement asks for binary
     * transfer; decoding the text costs more than hashing the row. Other drivers are left alone.
     */
    static void preferBinaryTransfer(PreparedStatement statement) throws SQLException {
        if (statement.isWrapperFor(PGStatement.class)) {
            statement.unwrap(PGStatement.class).setPrepareThreshold(-1);
        }
    }

    boolean sealed() {
        return seq != null;
    }

    Instant occurredAt() {
        return Instant.ofEpochSecond(
                Math.floorDiv(occurredAtMicros, 1_000_000), Math.floorMod(occurredAtMicros, 1_000_000) * 1000L);
    }

    static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
    }
}
