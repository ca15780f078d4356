package org.carnet.patients;

/**
 * How to reach a patient: the first name a message greets them by, their e-mail address and their
 * phone number. Redacted {@code toString}.
 */
public record PatientContact(String firstName, String email, String phone) {

    @Override
    public String toString() {
        return "PatientContact[redacted]";
    }
}
