package org.carnet.scheduling.internal;

import java.util.UUID;
import org.carnet.access.CareRelationships;
import org.carnet.shared.EstablishmentId;
import org.carnet.shared.PatientRef;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** A care relationship is an appointment, past or coming, between the practitioner and the patient there. */
@Component
class AppointmentCareRelationships implements CareRelationships {

    private final JdbcClient jdbc;

    AppointmentCareRelationships(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public boolean exists(UUID practitionerId, EstablishmentId establishment, PatientRef patient) {
        // The patient is their account, or for a patient known only to the practice, their file.
        String column = patient instanceof PatientRef.Account ? "patient_account_id" : "patient_file_id";
        return jdbc.sql("SELECT 1 FROM appointments WHERE establishment_id = ? AND practitioner_id = ? AND " + column
                        + " = ? FETCH FIRST 1 ROWS ONLY")
                .params(establishment.value(), practitionerId, patient.id())
                .query(Integer.class)
                .optional()
                .isPresent();
    }
}
