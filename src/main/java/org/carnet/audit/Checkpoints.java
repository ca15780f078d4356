package org.carnet.audit;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.carnet.crypto.Ed25519;
import org.carnet.crypto.KeyProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Signs chain heads with the key provider's Ed25519 key, stores them, and reads and writes witness files. */
@Component
class Checkpoints {

    static final String FILE_HEADER = "# Carnet audit checkpoints, format 1";

    private static final byte[] HEAD_DOMAIN = "carnet/audit-chain-head/v1".getBytes(StandardCharsets.US_ASCII);

    private final JdbcTemplate jdbc;
    private final KeyProvider keys;
    private final Clock clock;
    private final AuditWitness witness;

    Checkpoints(JdbcTemplate jdbc, KeyProvider keys, Clock clock, AuditWitness witness) {
        this.jdbc = jdbc;
        this.keys = keys;
        this.clock = clock;
        this.witness = witness;
    }

    /**
     * Signs the head of every chain that moved since its last checkpoint, stores the checkpoints and
     * appends them to the witness; the number signed.
     */
    int signHeads() {
        List<Object[]> heads = jdbc.query(
                "SELECT h.chain_key, h.seq, h.head_hash FROM audit_chain_heads h WHERE h.seq > COALESCE("
                        + "(SELECT MAX(c.seq) FROM audit_checkpoints c WHERE c.chain_key = h.chain_key), 0)",
                (rs, n) -> new Object[] {rs.getObject(1, UUID.class), rs.getLong(2), rs.getBytes(3)});
        List<Checkpoint> signed = new ArrayList<>();
        for (Object[] head : heads) {
            Checkpoint checkpoint = sign((UUID) head[0], (Long) head[1], (byte[]) head[2], Checkpoint.Kind.HEAD);
            store(checkpoint);
            signed.add(checkpoint);
        }
        witness(signed);
        return heads.size();
    }

    /** Appends checkpoints already stored to the witness file. */
    void witness(List<Checkpoint> signed) {
        witness.append(signed, keys.checkpointSigningKeyId(), publicKey());
    }

    Checkpoint sign(UUID chain, long seq, byte[] hash, Checkpoint.Kind kind) {
        return sign(chain, seq, hash, kind, clock.instant());
    }

    Checkpoint sign(UUID chain, long seq, byte[] hash, Checkpoint.Kind kind, Instant when) {
        Instant at = when.truncatedTo(ChronoUnit.MICROS);
        Checkpoint unsigned = new Checkpoint(chain, seq, hash, kind, at, keys.checkpointSigningKeyId(), new byte[0]);
        return new Checkpoint(
                chain,
                seq,
                hash,
                kind,
                at,
                unsigned.keyId(),
                Ed25519.sign(keys.checkpointSigningKey().getPrivate(), unsigned.message()));
    }

    void store(Checkpoint checkpoint) {
        jdbc.update(
                "INSERT INTO audit_checkpoints (chain_key, seq, head_hash, kind, signed_at, key_id, signature)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?)",
                checkpoint.chainKey(),
                checkpoint.seq(),
                checkpoint.headHash(),
                checkpoint.kind().name(),
                OffsetDateTime.ofInstant(checkpoint.signedAt(), ZoneOffset.UTC),
                checkpoint.keyId(),
                checkpoint.signature());
    }

    List<Checkpoint> all() {
        return jdbc.query(
                "SELECT chain_key, seq, head_hash, kind, signed_at, key_id, signature FROM audit_checkpoints"
                        + " ORDER BY chain_key, seq, id",
                Checkpoints::checkpoint);
    }

    List<Checkpoint> ofChain(UUID chain) {
        return jdbc.query(
                "SELECT chain_key, seq, head_hash, kind, signed_at, key_id, signature FROM audit_checkpoints"
                        + " WHERE chain_key = ? ORDER BY seq, id",
                Checkpoints::checkpoint,
                chain);
    }

    private static Checkpoint checkpoint(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        return new Checkpoint(
                rs.getObject(1, UUID.class),
                rs.getLong(2),
                rs.getBytes(3),
                Checkpoint.Kind.valueOf(rs.getString(4)),
                rs.getObject(5, OffsetDateTime.class).toInstant(),
                rs.getString(6),
                rs.getBytes(7));
    }

    /** A chain head as the sealer writes it: its position and hash, signed. */
    record SignedHead(long seq, byte[] hash, String keyId, byte[] signature) {}

    /** Signs a chain head with the checkpoint key, under a message of its own. */
    SignedHead signHead(UUID chain, long seq, byte[] hash) {
        String keyId = keys.checkpointSigningKeyId();
        return new SignedHead(
                seq,
                hash,
                keyId,
                Ed25519.sign(keys.checkpointSigningKey().getPrivate(), headMessage(chain, seq, hash, keyId)));
    }

    /** Whether a stored chain head carries the key provider's signature. */
    boolean authentic(UUID chain, SignedHead head) {
        if (head.keyId() == null || head.signature() == null) {
            return false;
        }
        PublicKey key = keys.checkpointVerificationKey(head.keyId());
        if (key == null) {
            return false;
        }
        return Ed25519.verify(key, head.signature(), headMessage(chain, head.seq(), head.hash(), head.keyId()));
    }

    private static byte[] headMessage(UUID chain, long seq, byte[] hash, String keyId) {
        byte[] key = keyId.getBytes(StandardCharsets.UTF_8);
        return java.nio.ByteBuffer.allocate(HEAD_DOMAIN.length + 16 + 8 + 4 + hash.length + 4 + key.length)
                .put(HEAD_DOMAIN)
                .putLong(chain.getMostSignificantBits())
                .putLong(chain.getLeastSignificantBits())
                .putLong(seq)
                .putInt(hash.length)
                .put(hash)
                .putInt(key.length)
                .put(key)
                .array();
    }

    /** Whether the signature is the key provider's, under the key the checkpoint names. */
    boolean authentic(Checkpoint checkpoint) {
        PublicKey key = keys.checkpointVerificationKey(checkpoint.keyId());
        if (key == null) {
            return false;
        }
        return Ed25519.verify(key, checkpoint.signature(), checkpoint.message());
    }

    /** The public key of the current signing key, X.509 SubjectPublicKeyInfo in Base64. */
    String publicKey() {
        return Base64.getEncoder()
                .encodeToString(keys.checkpointSigningKey().getPublic().getEncoded());
    }

    /** Writes every stored checkpoint, with the public key that verifies them, to a witness file. */
    int export(Path file) {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            return export(out);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the checkpoint file", e);
        }
    }

    /** The same, to a writer (left open). */
    int export(java.io.Writer out) {
        List<Checkpoint> all = all();
        try {
            out.write(FILE_HEADER + "\n");
            out.write("public-key " + keys.checkpointSigningKeyId() + " " + publicKey() + "\n");
            for (Checkpoint c : all) {
                out.write(AuditWitness.line(c) + "\n");
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the checkpoint file", e);
        }
        return all.size();
    }

    /** The checkpoints of a witness file. */
    static List<Checkpoint> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the checkpoint file", e);
        }
        if (lines.isEmpty() || !lines.get(0).equals(FILE_HEADER)) {
            throw new IllegalArgumentException("Not a Carnet checkpoint file (format 1)");
        }
        List<Checkpoint> checkpoints = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String[] parts = lines.get(i).trim().split(" ");
            if (parts[0].isEmpty() || parts[0].startsWith("#") || parts[0].equals("public-key")) {
                continue;
            }
            if (!parts[0].equals("checkpoint") || parts.length != 8) {
                throw new IllegalArgumentException("Malformed checkpoint file at line " + (i + 1));
            }
            try {
                checkpoints.add(new Checkpoint(
                        UUID.fromString(parts[1]),
                        Long.parseLong(parts[2]),
                        HexFormat.of().parseHex(parts[3]),
                        Checkpoint.Kind.valueOf(parts[4]),
                        Instant.parse(parts[5]),
                        parts[6],
                        Base64.getDecoder().decode(parts[7])));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("Malformed checkpoint file at line " + (i + 1));
            }
        }
        return checkpoints;
    }
}
