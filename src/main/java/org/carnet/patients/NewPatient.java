package org.carnet.patients;

import java.time.LocalDate;

/** What registering a patient account takes; validated by {@link PatientAccounts#register}. Redacted {@code toString}. */
public record NewPatient(
        String email,
        String password,
        String firstName,
        String lastName,
        LocalDate birthDate,
        Sex sex,
        String phone,
        Nir nir) {

    @Override
    public String toString() {
        return "NewPatient[redacted]";
    }
}
