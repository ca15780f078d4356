package org.carnet.patients;

import java.time.LocalDate;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** A patient's identity and contact, opened for someone allowed to see it. Its {@code toString} is redacted. */
public record PatientProfile(
        UUID id,
        String email,
        String firstName,
        String lastName,
        LocalDate birthDate,
        Sex sex,
        String phone,
        @Nullable Nir nir) {

    @Override
    public String toString() {
        return "PatientProfile[id=" + id + ", personal fields redacted]";
    }
}
