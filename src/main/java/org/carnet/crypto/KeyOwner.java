package org.carnet.crypto;

import java.util.Objects;
import java.util.UUID;

/** Whose data key seals a field: an establishment (its patient files, appointments) or a patient account. */
public record KeyOwner(Type type, UUID id) {

    public enum Type {
        ESTABLISHMENT,
        PATIENT_ACCOUNT
    }

    public KeyOwner {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(id, "id");
    }

    public static KeyOwner establishment(UUID id) {
        return new KeyOwner(Type.ESTABLISHMENT, id);
    }

    public static KeyOwner patientAccount(UUID id) {
        return new KeyOwner(Type.PATIENT_ACCOUNT, id);
    }
}
