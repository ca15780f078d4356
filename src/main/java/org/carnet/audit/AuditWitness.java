package org.carnet.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The audit log's witness outside the database, in a directory the database cannot reach:
 *
 * <ul>
 *   <li>{@code checkpoints.log}, append-only: every checkpoint, one line each, written as it is
 *       signed (the format {@code audit verify --checkpoints} reads);
 *   <li>{@code node-NAME.positions}: how far this node committed entries to each chain (how many)
 *       and how far it sealed each chain (position and hash), rewritten whole on each flush.
 * </ul>
 *
 * What the database says is checked against both by default. Holds no personal data: ids, counts,
 * positions and hashes.
 */
@Component
class AuditWitness {

    private static final Logger log = LoggerFactory.getLogger(AuditWitness.class);
    static final String CHECKPOINTS = "checkpoints.log";
    private static final String POSITIONS_HEADER = "# Carnet audit node positions, format 1";

    /** What one node recorded of one chain. */
    record Position(long committed, long sealedSeq, byte @Nullable [] sealedHash) {}

    /** What every node recorded of one chain: committed entries summed, the furthest seal. */
    record Recorded(long committed, long sealedSeq, byte @Nullable [] sealedHash, String sealedBy) {}

    private final @Nullable Path directory;
    private final String node;
    private final ConcurrentHashMap<UUID, Position> positions = new ConcurrentHashMap<>();
    private volatile boolean dirty;

    AuditWitness(WitnessProperties properties, Environment environment) {
        this.directory = directory(properties, environment);
        this.node = properties.node();
        if (directory == null) {
            log.warn("NO AUDIT WITNESS: carnet.audit.witness.directory is not set. Checkpoints and chain positions"
                    + " are kept only in the database, whose administrators can then rewrite the audit log"
                    + " undetected. Set it to a directory the database cannot reach (see docs/operations.md).");
        } else {
            log.info("Audit witness in {} (node {})", directory, node);
            load();
        }
    }

    /** The configured directory; on the embedded H2 demo, a default under the data directory. */
    private static @Nullable Path directory(WitnessProperties properties, Environment environment) {
        if (properties.directory() != null) {
            return properties.directory().toAbsolutePath();
        }
        String url = environment.getProperty("spring.datasource.url", "");
        String dataDir = environment.getProperty("carnet.data-dir");
        if (url.startsWith("jdbc:h2:file:") && dataDir != null) {
            return Path.of(dataDir, "audit-witness").toAbsolutePath();
        }
        return null;
    }

    Optional<Path> directory() {
        return Optional.ofNullable(directory);
    }

    // --- checkpoints ---------------------------------------------------------------------------

    /** Appends signed checkpoints to the witness file and forces them to disk. */
    synchronized void append(List<Checkpoint> checkpoints, String keyId, String publicKey) {
        if (directory == null || checkpoints.isEmpty()) {
            return;
        }
        StringBuilder lines = new StringBuilder();
        Path file = directory.resolve(CHECKPOINTS);
        try {
            Files.createDirectories(directory);
            if (!Files.exists(file) || Files.size(file) == 0) {
                lines.append(Checkpoints.FILE_HEADER).append('\n');
            }
            // The key that signed them, once per batch: a reader needs no database to know it.
            lines.append("public-key ")
                    .append(keyId)
                    .append(' ')
                    .append(publicKey)
                    .append('\n');
            for (Checkpoint c : checkpoints) {
                lines.append(line(c)).append('\n');
            }
            try (FileChannel channel = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                ByteBuffer bytes = ByteBuffer.wrap(lines.toString().getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot append to the audit witness file", e);
        }
    }

    static String line(Checkpoint c) {
        return String.join(
                " ",
                "checkpoint",
                c.chainKey().toString(),
                Long.toString(c.seq()),
                c.hashHex(),
                c.kind().name(),
                c.signedAt().toString(),
                c.keyId(),
                Base64.getEncoder().encodeToString(c.signature()));
    }

    /** Every checkpoint the witness holds; none without a witness or before the first. */
    List<Checkpoint> checkpoints() {
        if (directory == null || !Files.exists(directory.resolve(CHECKPOINTS))) {
            return List.of();
        }
        return Checkpoints.read(directory.resolve(CHECKPOINTS));
    }

    // --- node positions ------------------------------------------------------------------------

    /** Entries this node committed to these chains (counted after their transaction committed). */
    void committed(Map<UUID, Integer> counts) {
        if (directory == null) {
            return;
        }
        counts.forEach((chain, n) -> positions.merge(
                chain,
                new Position(n, 0, null),
                (old, add) -> new Position(old.committed() + add.committed(), old.sealedSeq(), old.sealedHash())));
        dirty = true;
    }

    /** This node sealed the chain up to this position (after the seal's transaction committed). */
    void sealed(UUID chain, long seq, byte[] hash) {
        if (directory == null) {
            return;
        }
        positions.merge(
                chain,
                new Position(0, seq, hash),
                (old, now) -> now.sealedSeq() > old.sealedSeq()
                        ? new Position(old.committed(), now.sealedSeq(), now.sealedHash())
                        : old);
        dirty = true;
    }

    /** Writes this node's positions if they moved: to a new file, then moved over the old one. */
    synchronized void flush() {
        if (directory == null || !dirty) {
            return;
        }
        dirty = false;
        StringBuilder text = new StringBuilder(POSITIONS_HEADER).append('\n');
        new TreeMap<>(positions)
                .forEach((chain, p) -> text.append("chain ")
                        .append(chain)
                        .append(" committed ")
                        .append(p.committed())
                        .append(" sealed ")
                        .append(p.sealedSeq())
                        .append(' ')
                        .append(p.sealedHash() == null ? "-" : HexFormat.of().formatHex(p.sealedHash()))
                        .append('\n'));
        Path file = positionsFile();
        Path next = file.resolveSibling(file.getFileName() + ".next");
        try {
            Files.createDirectories(directory);
            try (FileChannel channel = FileChannel.open(
                    next, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(false);
            }
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            dirty = true;
            throw new UncheckedIOException("Cannot write the audit node positions", e);
        }
    }

    private Path positionsFile() {
        return java.util.Objects.requireNonNull(directory).resolve("node-" + node + ".positions");
    }

    /** Resumes this node's counts from its own file, so that a restart does not forget them. */
    private void load() {
        Path file = positionsFile();
        if (Files.exists(file)) {
            positions.putAll(read(file));
        }
    }

    /** What every node recorded, by chain. */
    Map<UUID, Recorded> recorded() {
        Map<UUID, Recorded> all = new HashMap<>();
        if (directory == null || !Files.isDirectory(directory)) {
            return all;
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, "node-*.positions")) {
            stream.forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list the audit witness directory", e);
        }
        for (Path file : files) {
            String name = file.getFileName().toString();
            String nodeName = name.substring("node-".length(), name.length() - ".positions".length());
            read(file)
                    .forEach((chain, p) -> all.merge(
                            chain, new Recorded(p.committed(), p.sealedSeq(), p.sealedHash(), nodeName), (a, b) -> {
                                Recorded furthest = b.sealedSeq() > a.sealedSeq() ? b : a;
                                return new Recorded(
                                        a.committed() + b.committed(),
                                        furthest.sealedSeq(),
                                        furthest.sealedHash(),
                                        furthest.sealedBy());
                            }));
        }
        return all;
    }

    private static Map<UUID, Position> read(Path file) {
        Map<UUID, Position> read = new HashMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the audit node positions", e);
        }
        if (lines.isEmpty() || !lines.get(0).equals(POSITIONS_HEADER)) {
            throw new IllegalArgumentException("Not a Carnet audit positions file (format 1): " + file.getFileName());
        }
        for (int i = 1; i < lines.size(); i++) {
            String[] parts = lines.get(i).trim().split(" ");
            if (parts.length != 7 || !parts[0].equals("chain")) {
                throw new IllegalArgumentException(
                        "Malformed audit positions file " + file.getFileName() + " at line " + (i + 1));
            }
            read.put(
                    UUID.fromString(parts[1]),
                    new Position(
                            Long.parseLong(parts[3]),
                            Long.parseLong(parts[5]),
                            parts[6].equals("-") ? null : HexFormat.of().parseHex(parts[6])));
        }
        return read;
    }
}
