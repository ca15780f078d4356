package org.carnet.patients;

import java.time.LocalDate;
import org.carnet.identity.EmailAddresses;
import org.jspecify.annotations.Nullable;

/** What registering a patient account takes; validated by {@link PatientAccounts#register}. Redacted {@code toString}. */
public record NewPatient(
        String email,
        String password,
        String firstName,
        String lastName,
        LocalDate birthDate,
        Sex sex,
        String phone,
        @Nullable Nir nir) {

    /** From what a person typed in a form or an API body: trimmed, with an optional NIR parsed. */
    public static NewPatient typed(
            String email,
            String password,
            String firstName,
            String lastName,
            LocalDate birthDate,
            String sex,
            String phone,
            @Nullable String nir) {
        return new NewPatient(
                EmailAddresses.checked(email),
                password,
                firstName.trim(),
                lastName.trim(),
                birthDate,
                Sex.valueOf(sex),
                phone.trim(),
                nir == null || nir.isBlank() ? null : Nir.parse(nir));
    }

    @Override
    public String toString() {
        return "NewPatient[redacted]";
    }
}
