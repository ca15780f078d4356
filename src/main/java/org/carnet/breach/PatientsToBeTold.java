package org.carnet.breach;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The security officer decided that the patients of an establishment whose identifying data left in clear
 * during an incident must be told (GDPR Article 34). Published once per decision; each patient is told at
 * most once per incident whatever the number of decisions. Ids and field names only.
 *
 * @param from the start of the window the exposure happened in
 * @param to its end
 * @param patients each patient to tell, with what left about them
 */
public record PatientsToBeTold(
        UUID incidentId,
        UUID establishmentId,
        String establishmentName,
        Instant from,
        Instant to,
        List<Exposed> patients) {

    public PatientsToBeTold {
        patients = List.copyOf(patients);
    }

    /**
     * One patient and the fields that left in clear, in words, in French and in English (the notice is written
     * in the patient's language when it is sent).
     */
    public record Exposed(UUID patientId, String fieldsFr, String fieldsEn) {}
}
