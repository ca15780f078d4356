package org.carnet.shared;

import java.util.Objects;
import java.util.UUID;

/** A patient's platform account, global to every establishment. */
public record PatientAccountId(UUID value) {

    public PatientAccountId {
        Objects.requireNonNull(value, "value");
    }

    public static PatientAccountId of(UUID value) {
        return new PatientAccountId(value);
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
