package org.carnet.exports;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A suspected leak that {@link LeakTracer} attributed to an export (below one chance in a billion of a false
 * attribution), by a security officer's check or the {@code leak-trace} command: breach detection opens an
 * incident about the export, naming its recipient and approver, whose scope is what the export held. The
 * recipient may be a person's name: redacted from {@code toString}.
 *
 * @param approvedBy the security officer's login that approved the export
 * @param falseAttribution the probability that an unrelated file matches this well
 */
public record ExportLeakAttributed(
        UUID exportId,
        UUID establishmentId,
        String recipient,
        String recipientKeyFingerprint,
        @Nullable UUID approvedBy,
        @Nullable Instant downloadedAt,
        long marksMatched,
        long rowsMatched,
        int canariesFound,
        double falseAttribution,
        Instant at) {

    @Override
    public String toString() {
        return "ExportLeakAttributed[" + exportId + ", recipient redacted]";
    }
}
