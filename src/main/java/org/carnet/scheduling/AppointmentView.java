package org.carnet.scheduling;

import java.time.Instant;
import java.util.UUID;

/** An appointment as shown to the patient who booked it. Redacted {@code toString}. */
public record AppointmentView(
        UUID id,
        UUID slotId,
        Instant start,
        Instant end,
        String status,
        UUID practitionerId,
        String practitionerName,
        String specialty,
        UUID establishmentId,
        String establishmentName,
        String establishmentAddress,
        UUID motiveId,
        String motive,
        String comment) {

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
                null);
    }

    @Override
    public String toString() {
        return "AppointmentView[id=" + id + ", status=" + status + "]";
    }
}
