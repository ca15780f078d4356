package org.carnet.audit;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.UUID;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyInputStream;

/**
 * Reads chains' rows from PostgreSQL by binary {@code COPY}, in table order, and lays each sealed
 * entry out in {@link EntryHasher}'s canonical encoding straight from the bytes on the wire: no
 * row objects, no strings, one buffer reused. PostgreSQL's binary format already writes text and
 * byte strings as the encoding does (a 32-bit length, -1 for null, then the bytes: UTF-8, the
 * driver's client encoding); UUIDs take a presence byte instead of the length, and times move
 * from PostgreSQL's epoch (2000) to Java's (1970). The JDBC read of the same rows is the
 * reference: {@code PostgresCopyScanIntegrationTest} holds the two to the same hashes.
 */
final class PostgresCopyScan {

    private static final String COLUMNS = "chain_key, seq, prev_hash, entry_hash, occurred_at, establishment_id,"
            + " actor_type, actor_id, actor_role, on_behalf_of, patient_id, action, resource, fields, purpose,"
            + " outcome, source_address";
    private static final int FIELDS = 17;
    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};
    private static final long POSTGRES_EPOCH_MICROS = 946_684_800_000_000L;

    private final DataInputStream in;
    private byte[] encoding = new byte[1024];
    private int length;

    private PostgresCopyScan(DataInputStream in) {
        this.in = in;
    }

    /** Whether the connection is PostgreSQL's own driver's. */
    static boolean applies(Connection connection) throws SQLException {
        return connection.isWrapperFor(PGConnection.class);
    }

    /** Reads every row of the checks' chains, in the connection's transaction, into the checks. */
    static void scan(Connection connection, ChainChecks checks, EntryHasher hasher) throws SQLException {
        // Chain keys are UUIDs read from the database, printed by UUID.toString: hex digits and dashes.
        String chains = checks.byChain().keySet().stream().map(UUID::toString).collect(Collectors.joining(","));
        String copy = "COPY (SELECT " + COLUMNS + " FROM audit_log WHERE chain_key = ANY('{" + chains
                + "}'::uuid[])) TO STDOUT (FORMAT binary)";
        try (PGCopyInputStream stream = new PGCopyInputStream(connection.unwrap(PGConnection.class), copy)) {
            PostgresCopyScan scan = new PostgresCopyScan(new DataInputStream(new BufferedInputStream(stream, 1 << 16)));
            scan.header();
            while (scan.row(checks, hasher)) {
                // every row handed over
            }
        } catch (IOException e) {
            throw new SQLException("Reading the audit log by COPY failed", e);
        }
    }

    private void header() throws IOException {
        byte[] signature = new byte[SIGNATURE.length];
        in.readFully(signature);
        if (!Arrays.equals(signature, SIGNATURE)) {
            throw new IOException("not a binary COPY stream");
        }
        in.readInt(); // flags: no OIDs
        skip(in.readInt()); // header extension
    }

    /** Reads one row into its chain's check; false at the end of the stream. */
    private boolean row(ChainChecks checks, EntryHasher hasher) throws IOException {
        short fields = in.readShort();
        if (fields == -1) {
            return false;
        }
        if (fields != FIELDS) {
            throw new IOException("a row of " + fields + " fields, not " + FIELDS);
        }
        expectLength(16);
        long chainHigh = in.readLong();
        long chainLow = in.readLong();
        UUID chain = new UUID(chainHigh, chainLow);
        int seqLength = in.readInt();
        if (seqLength == -1) {
            unsealed(checks, chain);
            return true;
        }
        if (seqLength != 8) {
            throw new IOException("a position of " + seqLength + " bytes");
        }
        long seq = in.readLong();

        // The encoding: previous hash, chain, position, time, then the columns in table order.
        length = 0;
        int prevLength = copyBytes();
        byte[] prevHash = prevLength < 0 ? null : Arrays.copyOfRange(encoding, 4, 4 + prevLength);
        int entryLength = in.readInt();
        byte[] entryHash = entryLength < 0 ? null : readBytes(entryLength);
        ensure(17 + 8 + 8);
        encoding[length++] = 1;
        putLong(chainHigh);
        putLong(chainLow);
        putLong(seq);
        expectLength(8);
        putLong(in.readLong() + POSTGRES_EPOCH_MICROS);
        copyUuid(); // establishment_id
        copyBytes(); // actor_type
        copyUuid(); // actor_id
        copyBytes(); // actor_role
        copyUuid(); // on_behalf_of
        copyUuid(); // patient_id
        for (int text = 0; text < 6; text++) {
            copyBytes(); // action, resource, fields, purpose, outcome, source_address
        }
        boolean holds =
                prevHash != null && entryHash != null && Arrays.equals(hasher.hashEncoded(encoding, length), entryHash);
        checks.acceptSealed(chain, seq, prevHash, entryHash, holds);
        return true;
    }

    /** An entry not sealed yet: only its time matters; the rest of the row is skipped. */
    private void unsealed(ChainChecks checks, UUID chain) throws IOException {
        skipField(); // prev_hash
        skipField(); // entry_hash
        expectLength(8);
        long micros = in.readLong() + POSTGRES_EPOCH_MICROS;
        for (int field = 5; field < FIELDS; field++) {
            skipField();
        }
        checks.acceptUnsealed(chain, micros);
    }

    /** A text or byte string field, copied as length and bytes; its length (-1 for null). */
    private int copyBytes() throws IOException {
        int fieldLength = in.readInt();
        ensure(4 + Math.max(fieldLength, 0));
        putInt(fieldLength);
        if (fieldLength > 0) {
            in.readFully(encoding, length, fieldLength);
            length += fieldLength;
        }
        return fieldLength;
    }

    /** A UUID field: a presence byte, then its 16 bytes. */
    private void copyUuid() throws IOException {
        int fieldLength = in.readInt();
        ensure(17);
        if (fieldLength == -1) {
            encoding[length++] = 0;
            return;
        }
        if (fieldLength != 16) {
            throw new IOException("a UUID of " + fieldLength + " bytes");
        }
        encoding[length++] = 1;
        in.readFully(encoding, length, 16);
        length += 16;
    }

    private byte[] readBytes(int count) throws IOException {
        byte[] bytes = new byte[count];
        in.readFully(bytes);
        return bytes;
    }

    private void expectLength(int expected) throws IOException {
        int fieldLength = in.readInt();
        if (fieldLength != expected) {
            throw new IOException("a field of " + fieldLength + " bytes where " + expected + " were expected");
        }
    }

    private void skipField() throws IOException {
        int fieldLength = in.readInt();
        if (fieldLength > 0) {
            skip(fieldLength);
        }
    }

    private void skip(int count) throws IOException {
        for (int left = count; left > 0; left--) {
            if (in.read() < 0) {
                throw new EOFException("the COPY stream ended inside a row");
            }
        }
    }

    private void ensure(int more) {
        if (encoding.length < length + more) {
            encoding = Arrays.copyOf(encoding, Math.max(encoding.length * 2, length + more));
        }
    }

    private void putInt(int value) {
        encoding[length++] = (byte) (value >>> 24);
        encoding[length++] = (byte) (value >>> 16);
        encoding[length++] = (byte) (value >>> 8);
        encoding[length++] = (byte) value;
    }

    private void putLong(long value) {
        putInt((int) (value >>> 32));
        putInt((int) value);
    }
}
