package org.carnet.crypto;

import java.util.Objects;
import java.util.UUID;

/**
 * Whose data key seals a field: an establishment (its patient files, appointments), a patient
 * account, or a login (its second-factor secret and, for professionals, their name).
 */
public record KeyOwner(Type type, UUID id) {

    public enum Type {
        ESTABLISHMENT,
        PATIENT_ACCOUNT,
        LOGIN
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

    public static KeyOwner login(UUID id) {
        return new KeyOwner(Type.LOGIN, id);
    }
}
