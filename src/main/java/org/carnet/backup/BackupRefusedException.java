package org.carnet.backup;

/**
 * A restore that Carnet will not do, and that left the database as it was: a damaged, altered or
 * forged backup, a non-empty target, a backup of another kind of database. Its message names the
 * reason and never any content of the backup.
 */
class BackupRefusedException extends RuntimeException {
    BackupRefusedException(String message) {
        super(message);
    }

    BackupRefusedException(String message, Throwable cause) {
        super(message, cause);
    }
}
