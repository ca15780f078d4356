package org.carnet.shared;

import java.util.Objects;
import java.util.UUID;

/** A slot of a practitioner's agenda. */
public record SlotId(UUID value) {

    public SlotId {
        Objects.requireNonNull(value, "value");
    }

    public static SlotId of(UUID value) {
        return new SlotId(value);
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
