package org.carnet.scheduling.internal;

import java.util.UUID;
import org.carnet.access.CareRelationships;
import org.carnet.patients.FileAccounts;
import org.carnet.shared.EstablishmentId;
import org.carnet.shared.PatientRef;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** A care relationship is an appointment, past or coming, between the practitioner and the patient there. */
@Component
class AppointmentCareRelationships implements CareRelationships {

    private final JdbcClient jdbc;
    private final FileAccounts fileAccounts;

    AppointmentCareRelationships(JdbcClient jdbc, FileAccounts fileAccounts) {
        this.jdbc = jdbc;
        this.fileAccounts = fileAccounts;
    }

    @Override
    public boolean exists(UUID practitionerId, EstablishmentId establishment, PatientRef patient) {
        // The patient is their account (found through its file there), or for a patient known only to the
        // practice, their file.
        java.util.Optional<UUID> file = patient instanceof PatientRef.Account
                ? fileAccounts.fileOf(establishment.value(), patient.id())
                : java.util.Optional.of(patient.id());
        if (file.isEmpty()) {
            return false;
        }
        return jdbc.sql("SELECT 1 FROM appointments WHERE establishment_id = ? AND practitioner_id = ? AND"
                        + " patient_file_id = ? FETCH FIRST 1 ROWS ONLY")
                .params(establishment.value(), practitionerId, file.get())
                .query(Integer.class)
                .optional()
                .isPresent();
    }
}
