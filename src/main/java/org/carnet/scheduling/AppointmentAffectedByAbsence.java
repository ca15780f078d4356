package org.carnet.scheduling;

import java.time.Instant;
import org.carnet.shared.AppointmentId;
import org.carnet.shared.EstablishmentId;
import org.carnet.shared.PatientAccountId;
import org.carnet.shared.PatientFileId;
import org.carnet.shared.PractitionerId;
import org.jspecify.annotations.Nullable;

/**
 * Published, once per booked appointment, when the practice records an absence of the practitioner
 * over it. The appointment stays booked: the practice will move it, or the patient may. Stored as
 * plaintext JSON until its listeners are done: ids, times and the practitioner's public display name
 * only.
 *
 * @param patientAccount the patient's platform account; {@code null} for a patient known only to the practice
 * @param start when the appointment starts
 */
public record AppointmentAffectedByAbsence(
        AppointmentId appointment,
        EstablishmentId establishment,
        PractitionerId practitioner,
        String practitionerName,
        @Nullable PatientAccountId patientAccount,
        PatientFileId patientFile,
        Instant start,
        Instant absenceStart,
        Instant absenceEnd,
        Instant recordedAt) {

    static AppointmentAffectedByAbsence of(
            Appointment appointment, String practitionerName, Instant absenceStart, Instant absenceEnd, Instant at) {
        return new AppointmentAffectedByAbsence(
                AppointmentId.of(appointment.id()),
                appointment.establishment(),
                PractitionerId.of(appointment.practitionerId()),
                practitionerName,
                appointment.account(),
                PatientFileId.of(appointment.patientFileId()),
                appointment.start(),
                absenceStart,
                absenceEnd,
                at);
    }
}
