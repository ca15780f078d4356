package org.carnet.shared;

import java.util.Objects;
import java.util.UUID;

/** An establishment (the data controller of its patient files). */
public record EstablishmentId(UUID value) {

    public EstablishmentId {
        Objects.requireNonNull(value, "value");
    }

    public static EstablishmentId of(UUID value) {
        return new EstablishmentId(value);
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
