package org.carnet.audit;

import java.util.Locale;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Where a chain stops being trustworthy: its first entry found wrong and how. Names ids and
 * positions only, never the content of an entry.
 *
 * @param chainKey the chain: an establishment id, or all zeros for the platform's chain
 * @param entryId the audit_log id of the broken entry, {@code null} when the break is not one row
 * @param position its position in the chain, {@code null} when it has none
 * @param kind what is wrong
 * @param detail one sentence for an operator
 */
public record AuditBreak(
        UUID chainKey, @Nullable Long entryId, @Nullable Long position, Kind kind, String detail) {

    public enum Kind {
        /** The entry's content no longer matches its hash. */
        EDITED,
        /** Entries are missing from the chain. */
        DELETED,
        /** An entry that the chain never contained sits in it. */
        INSERTED,
        /** The entry is not where it was sealed. */
        REORDERED,
        /** The chain ends before a position that was sealed or signed. */
        TRUNCATED,
        /** The entry has waited longer than the bound for its seal. */
        UNSEALED,
        /** A checkpoint's signature does not verify. */
        BAD_CHECKPOINT,
        /** The chain's head row was edited, unsigned or deleted. */
        BAD_HEAD,
        /** A checkpoint the witness holds is missing from the database. */
        MISSING_CHECKPOINT,
        /** Entries the nodes recorded committing are missing: removed before their seal. */
        DROPPED
    }

    public String describe() {
        StringBuilder text = new StringBuilder("chain ").append(chainKey);
        if (entryId != null) {
            text.append(", entry ").append(entryId);
        }
        if (position != null) {
            text.append(entryId != null ? " at position " : ", position ").append(position);
        }
        return text.append(": ")
                .append(kind.name().toLowerCase(Locale.ROOT).replace('_', ' '))
                .append(" — ")
                .append(detail)
                .toString();
    }
}
