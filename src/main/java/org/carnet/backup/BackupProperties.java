package org.carnet.backup;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code carnet.backup.*}.
 *
 * @param recipientKey the operator's ASCII-armoured OpenPGP public key that backups are encrypted to
 *     (needed by {@code backup create})
 * @param privateKey the operator's OpenPGP private key file that opens them (needed by {@code backup
 *     restore}; kept off the Carnet servers otherwise)
 * @param passphraseFile a file whose first line is the private key's passphrase; without it, the
 *     environment variable {@code CARNET_BACKUP_PASSPHRASE}
 * @param postgresBin the directory of {@code pg_dump} and {@code psql} (by default, the {@code PATH})
 */
@ConfigurationProperties("carnet.backup")
record BackupProperties(
        @Nullable Path recipientKey,
        @Nullable Path privateKey,
        @Nullable Path passphraseFile,
        @Nullable Path postgresBin) {}
