package org.carnet.scheduling;

import java.util.UUID;
import org.carnet.access.CareRelationships;
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
    public boolean exists(UUID practitionerId, UUID establishmentId, UUID patientId) {
        return jdbc.sql("SELECT 1 FROM appointments WHERE establishment_id = ? AND patient_account_id = ?"
                        + " AND practitioner_id = ? FETCH FIRST 1 ROWS ONLY")
                .params(establishmentId, patientId, practitionerId)
                .query(Integer.class)
                .optional()
                .isPresent();
    }
}
