package org.carnet.breach;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.carnet.shared.DataCategory;
import org.jspecify.annotations.Nullable;

/**
 * What an incident exposed, worked out from the access log: for its program or account and a time window,
 * which patients, which fields, in which establishments, and per patient and field whether what left was
 * intelligible. Only entries of chains verified just before are counted as verified; the rest (a chain that
 * failed, an entry not sealed yet) are counted apart, so the scope says how sure it is.
 *
 * @param from inclusive
 * @param to exclusive
 * @param verification how the chains the scope rests on verified
 * @param establishments one summary per establishment concerned (each is a controller with its own duty)
 * @param patients every patient reached, with each field and whether it was intelligible
 */
public record IncidentScope(
        UUID incidentId,
        @Nullable UUID clientId,
        @Nullable UUID userId,
        Instant from,
        Instant to,
        Instant computedAt,
        Verification verification,
        List<EstablishmentScope> establishments,
        List<PatientExposure> patients) {

    public IncidentScope {
        establishments = List.copyOf(establishments);
        patients = List.copyOf(patients);
    }

    /**
     * The verification of the establishments' chains done for this scope.
     *
     * @param chains chains verified (one per establishment concerned that has entries)
     * @param entriesChecked sealed entries whose hash and link were checked
     * @param intact whether every chain verified
     * @param brokenChains the establishments whose chain did not verify: their part of the scope is a lower bound
     * @param witnessed whether the chains were checked against the witness kept outside the database
     */
    public record Verification(
            int chains, long entriesChecked, boolean intact, List<UUID> brokenChains, boolean witnessed) {

        public Verification {
            brokenChains = List.copyOf(brokenChains);
        }
    }

    /**
     * One establishment's part.
     *
     * @param patients distinct patients reached
     * @param records allowed accesses to their data (the "records concerned" of Article 33(3)(a))
     * @param categories the categories of data reached
     * @param patientsWithIntelligibleData patients of whom something intelligible that names them was served:
     *     the people Article 34 may require to be told
     * @param patientsCiphertextOrPseudonymOnly patients of whom only ciphertext or pseudonymous agenda data left
     * @param unverifiedEntries entries counted that no verified chain vouches for (not sealed yet, or in a broken
     *     chain)
     */
    public record EstablishmentScope(
            UUID establishmentId,
            int patients,
            int records,
            List<DataCategory> categories,
            int patientsWithIntelligibleData,
            int patientsCiphertextOrPseudonymOnly,
            int unverifiedEntries) {

        public EstablishmentScope {
            categories = List.copyOf(categories);
        }
    }

    /**
     * One patient reached in one establishment.
     *
     * @param patientId the id the access log names (an account's, or a file's for a patient known only to the
     *     practice)
     * @param exposure whether anything intelligible naming the patient left
     */
    public record PatientExposure(UUID patientId, UUID establishmentId, List<FieldExposure> fields, Exposure exposure) {

        public PatientExposure {
            fields = List.copyOf(fields);
        }
    }

    /**
     * One field of one patient.
     *
     * @param field the code the access log names
     * @param intelligible {@code false} when it only ever leaves as ciphertext Carnet cannot open
     * @param accesses how many allowed accesses touched it
     */
    public record FieldExposure(String field, DataCategory category, boolean intelligible, int accesses) {}

    /** Per patient, the fact GDPR Article 34(3)(a) turns on. */
    public enum Exposure {
        /** Identity, contact or medical data was served in clear: telling the patient may be required. */
        INTELLIGIBLE,
        /**
         * Only ciphertext Carnet cannot open, or agenda data under a pseudonym (times, statuses): unintelligible
         * to whoever took it; Article 34's exemption applies to this patient.
         */
        UNINTELLIGIBLE
    }
}
