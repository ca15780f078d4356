package org.carnet.scheduling;

import java.time.Instant;
import java.util.Objects;

/** A half-open interval of time [start, end). */
record TimeRange(Instant start, Instant end) {
    TimeRange {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (!start.isBefore(end)) {
            throw new IllegalArgumentException("start must be before end");
        }
    }

    boolean overlaps(TimeRange other) {
        return start.isBefore(other.end) && other.start.isBefore(end);
    }
}
