package org.carnet.shared;

import java.util.Objects;
import java.util.UUID;

/** A practitioner of the directory. */
public record PractitionerId(UUID value) {

    public PractitionerId {
        Objects.requireNonNull(value, "value");
    }

    public static PractitionerId of(UUID value) {
        return new PractitionerId(value);
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
