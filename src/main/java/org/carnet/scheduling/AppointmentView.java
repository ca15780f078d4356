package org.carnet.scheduling;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** An appointment as shown to the patient who booked it. Redacted {@code toString}. */
public record AppointmentView(
        UUID id,
        UUID slotId,
        Instant start,
        Instant end,
        String status,
        UUID practitionerId,
        @Nullable String practitionerName,
        @Nullable String specialty,
        UUID establishmentId,
        @Nullable String establishmentName,
        @Nullable String establishmentAddress,
        @Nullable UUID motiveId,
        @Nullable String motive,
        @Nullable String comment,
        @Nullable UUID relativeId,
        @Nullable String forWhom) {

    /** The same appointment for someone who may not see medical content (staff): no motive, no comment. */
    public AppointmentView withoutMedicalContent() {
        return new AppointmentView(
                id,
                slotId,
                start,
                end,
                status,
                practitionerId,
                practitionerName,
                specialty,
                establishmentId,
                establishmentName,
                establishmentAddress,
                null,
                null,
                null,
                relativeId,
                forWhom);
    }

    @Override
    public String toString() {
        return "AppointmentView[id=" + id + ", status=" + status + "]";
    }
}
