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
 * Published when an appointment is moved to another slot of the same practitioner, by the patient or
 * by the practice. Stored as plaintext JSON until its listeners are done: ids, times and the
 * practitioner's public display name only.
 *
 * @param patientAccount the patient's platform account; {@code null} for a patient known only to the practice
 */
public record AppointmentMoved(
        AppointmentId appointment,
        EstablishmentId establishment,
        PractitionerId practitioner,
        String practitionerName,
        @Nullable PatientAccountId patientAccount,
        PatientFileId patientFile,
        SlotId previousSlot,
        Instant previousStart,
        SlotId slot,
        Instant start,
        ActedBy by,
        Instant movedAt) {

    static AppointmentMoved of(Appointment before, Slot to, String practitionerName, ActedBy by, Instant at) {
        return new AppointmentMoved(
                AppointmentId.of(before.id()),
                before.establishment(),
                PractitionerId.of(before.practitionerId()),
                practitionerName,
                before.account(),
                PatientFileId.of(before.patientFileId()),
                SlotId.of(before.slotId()),
                before.start(),
                SlotId.of(to.id()),
                to.start(),
                by,
                at);
    }
}
