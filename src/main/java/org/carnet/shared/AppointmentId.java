package org.carnet.shared;

import java.util.Objects;
import java.util.UUID;

/** An appointment. */
public record AppointmentId(UUID value) {

    public AppointmentId {
        Objects.requireNonNull(value, "value");
    }

    public static AppointmentId of(UUID value) {
        return new AppointmentId(value);
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
