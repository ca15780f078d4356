package org.carnet.backup;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.carnet.crypto.KeyProvider;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** Creates and restores encrypted backups of the configured database (see the package description). */
@Component
@EnableConfigurationProperties(BackupProperties.class)
class Backups {

    private final BackupProperties properties;
    private final KeyProvider keys;
    private final Environment environment;
    private final Clock clock;

    Backups(BackupProperties properties, KeyProvider keys, Environment environment, Clock clock) {
        this.properties = properties;
        this.keys = keys;
        this.environment = environment;
        this.clock = clock;
    }

    /** What a backup or restore did, for the operator. */
    record Outcome(String kind, long bytes, Duration elapsed) {}

    /**
     * Writes an encrypted, signed backup to {@code file}, which must not exist yet. The file appears
     * whole or not at all: the message is written beside it, then renamed.
     */
    Outcome create(Path file) {
        Path recipientFile = properties.recipientKey();
        if (recipientFile == null) {
            throw new IllegalArgumentException(
                    "carnet.backup.recipient-key is not set: the operator's OpenPGP public key file is required");
        }
        Instant start = clock.instant();
        PGPPublicKey recipient = OperatorKeys.recipient(recipientFile, start);
        Path target = file.toAbsolutePath();
        if (Files.exists(target)) {
            throw new IllegalArgumentException(target + " exists already: a backup never overwrites a file");
        }
        DatabaseDump database = database();
        Path partial;
        try {
            partial = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".partial");
            try {
                Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // Not a POSIX file system: its default permissions apply.
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(partial), 1 << 16);
                    OutputStream sealed = BackupEnvelope.seal(
                            out,
                            recipient,
                            keys.checkpointSigningKey(),
                            database.kind(),
                            keys.checkpointSigningKeyId(),
                            start)) {
                database.dump(sealed);
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            return new Outcome(database.kind(), Files.size(target), Duration.between(start, clock.instant()));
        } catch (FileAlreadyExistsException e) {
            throw new IllegalArgumentException(target + " exists already: a backup never overwrites a file");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException e) {
                // Left behind: encrypted, and named .partial.
            }
        }
    }

    /**
     * Loads the backup in {@code file} into the configured database, which must be empty.
     *
     * @throws BackupRefusedException when the database is not empty or the backup is not a whole,
     *     unaltered Carnet backup of this kind of database; the database is then left as it was
     */
    Outcome restore(Path file) {
        Path privateKey = properties.privateKey();
        if (privateKey == null) {
            throw new IllegalArgumentException(
                    "carnet.backup.private-key is not set: the operator's OpenPGP private key file is required");
        }
        OperatorKeys.PrivateKeys operator = OperatorKeys.privateKeys(
                privateKey, properties.passphraseFile(), System.getenv(OperatorKeys.PASSPHRASE_VARIABLE));
        Instant start = clock.instant();
        DatabaseDump database = database();
        long objects = database.objects();
        if (objects > 0) {
            throw new BackupRefusedException("the database is not empty (" + objects
                    + " tables, sequences or routines): a backup is restored only into an empty database");
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            BackupEnvelope.Opened opened = BackupEnvelope.open(in, operator, this::signer);
            if (!opened.kind().equals(database.kind())) {
                throw new BackupRefusedException(
                        "the backup is of a " + opened.kind() + " database, not " + database.kind() + ": refused");
            }
            try {
                database.restore(opened.content(), opened::verify);
            } catch (BackupRefusedException e) {
                throw e;
            } catch (RuntimeException e) {
                // The database refused the dump, or reading it failed: a damaged or altered backup says so when
                // read to its end, and is refused as such; a whole, signed one means the database failed.
                opened.verify();
                throw e;
            }
            return new Outcome(database.kind(), Files.size(file), Duration.between(start, clock.instant()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private @Nullable PublicKey signer(String keyId) {
        return keyId.equals(keys.checkpointSigningKeyId())
                ? keys.checkpointSigningKey().getPublic()
                : keys.checkpointVerificationKey(keyId);
    }

    private DatabaseDump database() {
        DatabaseLogin login = DatabaseLogin.of(environment);
        if (login.postgres()) {
            return new PostgresDump(login, properties.postgresBin());
        }
        if (login.h2()) {
            return new H2Dump(login);
        }
        throw new IllegalArgumentException("Backups support PostgreSQL and H2, not " + login.url());
    }
}
