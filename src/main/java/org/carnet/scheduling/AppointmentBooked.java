package org.carnet.scheduling;

import java.time.Instant;
import org.carnet.shared.AppointmentId;
import org.carnet.shared.EstablishmentId;
import org.carnet.shared.PatientAccountId;
import org.carnet.shared.PatientFileId;
import org.carnet.shared.PractitionerId;
import org.carnet.shared.SlotId;
import org.jspecify.annotations.Nullable;

/**
 * Published when an appointment is booked, by the patient online or by the practice over the phone.
 * Like every event it is stored as plaintext JSON until its listeners are done, so it carries ids
 * and times only: never the patient's identity, the motive or the comment.
 *
 * @param patientAccount the patient's platform account; {@code null} for a patient known only to the practice
 * @param patientFile the establishment's file the appointment is booked on
 */
public record AppointmentBooked(
        AppointmentId appointment,
        EstablishmentId establishment,
        PractitionerId practitioner,
        @Nullable PatientAccountId patientAccount,
        PatientFileId patientFile,
        SlotId slot,
        Instant start,
        Instant end,
        ActedBy by,
        Instant bookedAt) {

    static AppointmentBooked of(Appointment appointment, ActedBy by) {
        return new AppointmentBooked(
                AppointmentId.of(appointment.id()),
                appointment.establishment(),
                PractitionerId.of(appointment.practitionerId()),
                appointment.account(),
                PatientFileId.of(appointment.patientFileId()),
                SlotId.of(appointment.slotId()),
                appointment.start(),
                appointment.end(),
                by,
                appointment.bookedAt());
    }
}
