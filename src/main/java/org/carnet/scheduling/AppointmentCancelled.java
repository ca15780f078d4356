package org.carnet.scheduling;

import java.time.Instant;
import org.carnet.shared.AppointmentId;
import org.carnet.shared.EstablishmentId;
import org.carnet.shared.PatientAccountId;
import org.carnet.shared.PatientFileId;
import org.carnet.shared.PractitionerId;
import org.jspecify.annotations.Nullable;

/**
 * Published when an appointment is cancelled, by the patient or by the practice; its slot is free
 * again. Stored as plaintext JSON until its listeners are done: ids, times and the practitioner's
 * public display name only.
 *
 * @param patientAccount the patient's platform account; {@code null} for a patient known only to the practice
 * @param start when the appointment was to start
 */
public record AppointmentCancelled(
        AppointmentId appointment,
        EstablishmentId establishment,
        PractitionerId practitioner,
        String practitionerName,
        @Nullable PatientAccountId patientAccount,
        PatientFileId patientFile,
        Instant start,
        ActedBy by,
        Instant cancelledAt) {

    static AppointmentCancelled of(Appointment appointment, String practitionerName, ActedBy by, Instant at) {
        return new AppointmentCancelled(
                AppointmentId.of(appointment.id()),
                appointment.establishment(),
                PractitionerId.of(appointment.practitionerId()),
                practitionerName,
                appointment.account(),
                PatientFileId.of(appointment.patientFileId()),
                appointment.start(),
                by,
                at);
    }
}
