package org.carnet.shared;

import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Whose data: a patient's platform account, or, for a patient known only to one establishment (booked
 * over the phone), that establishment's file. The audit log names the patient by {@link #id()}.
 */
public sealed interface PatientRef {

    /** The id the access log records for this patient. */
    UUID id();

    /** A patient with a platform account. */
    record Account(PatientAccountId account) implements PatientRef {
        public Account {
            Objects.requireNonNull(account, "account");
        }

        @Override
        public UUID id() {
            return account.value();
        }
    }

    /** A patient known only to one establishment, through its file. */
    record File(PatientFileId file) implements PatientRef {
        public File {
            Objects.requireNonNull(file, "file");
        }

        @Override
        public UUID id() {
            return file.value();
        }
    }

    static PatientRef account(UUID accountId) {
        return new Account(new PatientAccountId(accountId));
    }

    static PatientRef file(UUID fileId) {
        return new File(new PatientFileId(fileId));
    }

    /** The account when there is one, else the establishment's file. */
    static PatientRef of(@Nullable UUID accountIdOrNull, UUID fileId) {
        return accountIdOrNull != null ? account(accountIdOrNull) : file(fileId);
    }
}
