package org.carnet.scheduling;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.carnet.shared.ConflictException;
import org.carnet.shared.EstablishmentId;
import org.carnet.shared.PatientAccountId;
import org.carnet.shared.PatientRef;
import org.jspecify.annotations.Nullable;

/**
 * A booked appointment and the rules of changing it. It is booked on one of the establishment's
 * patient files ({@code patientFileId}); {@code patientAccountId} is that patient's platform account,
 * {@code null} for a patient known only to the practice. Motive and comment are held here opened; they
 * are sealed again whenever stored.
 */
public record Appointment(
        UUID id,
        UUID establishmentId,
        UUID practitionerId,
        @Nullable UUID patientAccountId,
        UUID patientFileId,
        UUID slotId,
        Instant start,
        Instant end,
        UUID motiveId,
        String motiveLabel,
        @Nullable String comment,
        Status status,
        Instant bookedAt,
        @Nullable ForWhom forWhom) {

    /** Whose appointment: the patient's account, or for a patient known only to the practice, their file. */
    PatientRef patient() {
        return PatientRef.of(patientAccountId, patientFileId);
    }

    EstablishmentId establishment() {
        return EstablishmentId.of(establishmentId);
    }

    /** The patient's platform account, or {@code null} for a patient known only to the practice. */
    @Nullable
    PatientAccountId account() {
        return patientAccountId == null ? null : PatientAccountId.of(patientAccountId);
    }

    public enum Status {
        BOOKED,
        CANCELLED
    }

    /** Whether a patient may still cancel or move an appointment in this state at {@code now}. */
    public static boolean changeable(Status status, Instant start, Instant now, Duration cutoff) {
        return status == Status.BOOKED && now.isBefore(start.minus(cutoff));
    }

    /** Throws unless the appointment can still be changed by the patient at {@code now}. */
    void checkChangeable(Instant now, Duration cutoff) {
        if (status == Status.CANCELLED) {
            throw new ConflictException("The appointment is already cancelled");
        }
        if (!changeable(status, start, now, cutoff)) {
            throw new ConflictException("The appointment can no longer be changed online: it starts in less than "
                    + cutoff.toMinutes() + " minutes or has passed; please contact the practice");
        }
    }

    Appointment cancelled(Instant now, Duration cutoff) {
        checkChangeable(now, cutoff);
        return withStatus(Status.CANCELLED);
    }

    /** The practice may cancel at any time, even after the patients' cut-off, but only a booked appointment. */
    Appointment cancelledByPractice() {
        if (status == Status.CANCELLED) {
            throw new ConflictException("The appointment is already cancelled");
        }
        return withStatus(Status.CANCELLED);
    }

    private Appointment withStatus(Status newStatus) {
        return new Appointment(
                id,
                establishmentId,
                practitionerId,
                patientAccountId,
                patientFileId,
                slotId,
                start,
                end,
                motiveId,
                motiveLabel,
                comment,
                newStatus,
                bookedAt,
                forWhom);
    }

    @Override
    public String toString() {
        return "Appointment[id=" + id + ", status=" + status + "]";
    }
}
