package org.carnet.patients;

import java.time.LocalDate;
import java.util.UUID;

/**
 * A relative a patient books for (a child, a parent), opened for the account holder. Sealed at rest
 * under the account's key, like the holder's own identity. Redacted {@code toString}.
 */
public record Relative(UUID id, String firstName, String lastName, LocalDate birthDate, Relationship relationship) {

    public enum Relationship {
        CHILD,
        PARENT,
        OTHER
    }

    public String displayName() {
        return firstName + " " + lastName;
    }

    @Override
    public String toString() {
        return "Relative[id=" + id + ", personal fields redacted]";
    }
}
