package org.carnet.exports;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What {@link LeakTracer} found in a suspected leak.
 *
 * @param rows the records read
 * @param marks the distinct marks read (a value with a spelling an export chooses)
 * @param best the export the file matches best, {@code null} when no export was ever approved
 * @param attributed whether the best match is beyond chance ({@link LeakTracer#THRESHOLD})
 */
public record Attribution(long rows, long marks, @Nullable Candidate best, boolean attributed) {

    /**
     * How well the file matches one export.
     *
     * @param marksMatched the marks spelt as this export spells them
     * @param rowsMatched the records whose every mark is this export's (and that have one)
     * @param canariesFound this export's canary patients found in the file
     * @param falseAttribution an upper bound on the probability that a file unrelated to this export
     *     (or to any of the {@code exportsTried}) matches at least this well
     */
    public record Candidate(
            UUID exportId,
            UUID establishmentId,
            String establishment,
            String recipient,
            String recipientKeyFingerprint,
            Instant requestedAt,
            @Nullable UUID approvedBy,
            @Nullable Instant approvedAt,
            @Nullable Instant downloadedAt,
            long marksMatched,
            long rowsMatched,
            int canariesFound,
            double falseAttribution,
            int exportsTried) {

        /** The false-attribution probability as people read it ("1.23e-15", "< 1e-300"). */
        public String chance() {
            return probability(falseAttribution);
        }
    }

    public List<String> describe() {
        if (best == null) {
            return List.of("leak-trace: not from a Carnet export (no export has been approved)");
        }
        Candidate c = best;
        String stats = String.format(
                java.util.Locale.ROOT,
                "%d of %d marks and %d of %d rows match, %d canary records; probability that an unrelated file"
                        + " matches this well: %s",
                c.marksMatched(),
                marks,
                c.rowsMatched(),
                rows,
                c.canariesFound(),
                probability(c.falseAttribution()));
        if (!attributed) {
            return List.of("leak-trace: not from a Carnet export (best match: " + stats + ")");
        }
        return List.of(
                "leak-trace: ATTRIBUTED to export " + c.exportId(),
                "  establishment: " + c.establishment() + " (" + c.establishmentId() + ")",
                "  recipient: " + c.recipient() + " (OpenPGP key " + c.recipientKeyFingerprint() + ")",
                "  requested: " + c.requestedAt() + ", approved: " + c.approvedAt() + " by login " + c.approvedBy()
                        + ", downloaded: " + c.downloadedAt(),
                "  " + stats);
    }

    static String probability(double p) {
        if (p >= 1e-300) {
            return String.format(java.util.Locale.ROOT, "%.3g", p);
        }
        return "< 1e-300";
    }
}
