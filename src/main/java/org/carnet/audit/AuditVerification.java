package org.carnet.audit;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a walk of every chain found.
 *
 * @param entriesChecked sealed entries whose hash and link were checked
 * @param pending entries committed but not sealed yet (not older than the bound, or they would be a break)
 * @param chains chains verified
 * @param chainsWalked chains the sequential read could not confirm, walked again in position order
 *     to name their break (or, where the table held them too far out of order, to confirm them)
 * @param breaks the first break of each broken chain, in chain order
 * @param elapsed how long the walk took
 * @param witnessed whether the database was checked against a witness outside it; without one, a
 *     database administrator can rewrite the log undetected, and every report says so
 */
public record AuditVerification(
        long entriesChecked,
        long pending,
        int chains,
        int chainsWalked,
        List<AuditBreak> breaks,
        Duration elapsed,
        boolean witnessed) {

    public AuditVerification {
        breaks = List.copyOf(breaks);
    }

    public boolean intact() {
        return breaks.isEmpty();
    }

    public Optional<AuditBreak> firstBreak() {
        return breaks.stream().findFirst();
    }

    /** Entries checked per second of the walk. */
    public double entriesPerSecond() {
        double seconds = elapsed.toNanos() / 1e9;
        return seconds > 0 ? entriesChecked / seconds : 0;
    }
}
