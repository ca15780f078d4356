package org.carnet.patients;

import java.time.LocalDate;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A patient file as staff see it when looking for a patient: identity and phone, opened under the
 * establishment's key. {@code patientAccountId} is null for a patient without a Carnet account (a
 * file made over the phone). Redacted {@code toString}.
 */
public record FileSummary(
        UUID fileId,
        @Nullable UUID patientAccountId,
        String firstName,
        String lastName,
        LocalDate birthDate,
        String phone) {

    public String displayName() {
        return firstName + " " + lastName;
    }

    @Override
    public String toString() {
        return "FileSummary[id=" + fileId + ", personal fields redacted]";
    }
}
