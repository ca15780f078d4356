package org.carnet.shared;

import java.util.Objects;
import java.util.UUID;

/** A visit motive of a practitioner. */
public record MotiveId(UUID value) {

    public MotiveId {
        Objects.requireNonNull(value, "value");
    }

    public static MotiveId of(UUID value) {
        return new MotiveId(value);
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
