package org.carnet.crypto;

import java.util.Objects;
import java.util.UUID;

/**
 * Whose data key seals a field: an establishment (its patient files, appointments), a patient account,
 * or a professional user (a practitioner, staff member or administrator: their inbox).
 */
public record KeyOwner(Type type, UUID id) {

    public enum Type {
        ESTABLISHMENT,
        PATIENT_ACCOUNT,
        PROFESSIONAL
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

    /** A professional's own key, by their subject id (a practitioner id, or the login id of staff). */
    public static KeyOwner professional(UUID id) {
        return new KeyOwner(Type.PROFESSIONAL, id);
    }
}
