package org.carnet.shared;

import java.util.Objects;
import java.util.UUID;

/** One establishment's file of a patient. */
public record PatientFileId(UUID value) {

    public PatientFileId {
        Objects.requireNonNull(value, "value");
    }

    public static PatientFileId of(UUID value) {
        return new PatientFileId(value);
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
