package org.carnet.privacy;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Everything Carnet holds about a patient, as they download it: their account's profile and relatives,
 * their appointments in every establishment, each establishment's file of them, and every access to
 * their data. Redacted {@code toString} throughout.
 *
 * @param format the version of this document's layout
 * @param notes what the copy leaves out and why, in plain words
 */
public record DataCopy(
        String format,
        Instant generatedAt,
        CopiedProfile profile,
        List<CopiedRelative> relatives,
        List<CopiedAppointment> appointments,
        List<CopiedFile> patientFiles,
        List<CopiedAccess> accessHistory,
        List<String> notes) {

    /** The layout's version: a reader can tell which fields to expect. */
    public static final String FORMAT = "carnet-data-copy/1";

    /** The account's identity and contact. The NIR is never sent back: {@code nirOnFile} says whether one is kept. */
    public record CopiedProfile(
            UUID accountId,
            String email,
            String firstName,
            String lastName,
            LocalDate birthDate,
            String sex,
            String phone,
            boolean nirOnFile) {
        @Override
        public String toString() {
            return "CopiedProfile[redacted]";
        }
    }

    public record CopiedRelative(UUID id, String firstName, String lastName, LocalDate birthDate, String relationship) {
        @Override
        public String toString() {
            return "CopiedRelative[redacted]";
        }
    }

    public record CopiedAppointment(
            UUID id,
            Instant start,
            Instant end,
            String status,
            UUID establishmentId,
            @Nullable String establishment,
            @Nullable String establishmentAddress,
            UUID practitionerId,
            @Nullable String practitioner,
            @Nullable String specialty,
            @Nullable String motive,
            @Nullable String comment,
            @Nullable String forWhom) {
        @Override
        public String toString() {
            return "CopiedAppointment[id=" + id + ", redacted]";
        }
    }

    /**
     * An establishment's file of the patient; {@code destroyed}: the establishment left Carnet and its
     * keys were destroyed, so nothing of the file can be read any more (its fields are then null).
     */
    public record CopiedFile(
            UUID establishmentId,
            @Nullable String establishment,
            UUID fileId,
            Instant createdAt,
            boolean destroyed,
            @Nullable String firstName,
            @Nullable String lastName,
            @Nullable String birthDate,
            @Nullable String sex,
            @Nullable String phone,
            @Nullable String email) {
        @Override
        public String toString() {
            return "CopiedFile[fileId=" + fileId + ", redacted]";
        }
    }

    /** One access to the patient's data, as the access history page shows it. */
    public record CopiedAccess(
            Instant at,
            @Nullable UUID establishmentId,
            @Nullable String establishment,
            String actorType,
            String role,
            @Nullable String practitioner,
            String action,
            String resource,
            List<String> fields,
            String purpose,
            String outcome) {}

    @Override
    public String toString() {
        return "DataCopy[generatedAt=" + generatedAt + ", redacted]";
    }
}
