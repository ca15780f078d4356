package org.carnet.scheduling;

import java.time.Instant;
import java.util.UUID;

/** A period of a practitioner's agenda that can hold one appointment. */
public record Slot(UUID id, UUID establishmentId, UUID practitionerId, Instant start, Instant end, Status status) {

    /** Free and still to come: what the booking update requires too. */
    public boolean isBookableAt(Instant now) {
        return status == Status.FREE && start.isAfter(now);
    }

    public enum Status {
        FREE,
        BOOKED,
        BLOCKED
    }
}
