package org.carnet.scheduling;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * An appointment as a third-party program of its establishment may see it: times, practitioner,
 * status and the patient's file (which the program sees only as a pseudonym); the motive only when
 * the access decision granted it. Redacted {@code toString}.
 */
public record ProgramAppointment(
        UUID id,
        UUID practitionerId,
        @Nullable UUID patientAccountId,
        UUID patientFileId,
        UUID slotId,
        Instant start,
        Instant end,
        Appointment.Status status,
        @Nullable String motive) {

    ProgramAppointment withMotive(@Nullable String label) {
        return new ProgramAppointment(
                id, practitionerId, patientAccountId, patientFileId, slotId, start, end, status, label);
    }

    ProgramAppointment cancelled() {
        return new ProgramAppointment(
                id,
                practitionerId,
                patientAccountId,
                patientFileId,
                slotId,
                start,
                end,
                Appointment.Status.CANCELLED,
                motive);
    }

    @Override
    public String toString() {
        return "ProgramAppointment[id=" + id + ", status=" + status + "]";
    }
}
