package org.carnet.crypto;

import java.util.Objects;
import java.util.UUID;

/**
 * Whose data key seals a field: an establishment (its patient files, appointments), a patient
 * account, a login (its second-factor secret, a staff member's name) or a professional (their inbox).
 */
public record KeyOwner(Type type, UUID id) {

    public enum Type {
        ESTABLISHMENT,
        PATIENT_ACCOUNT,
        LOGIN,
        PROFESSIONAL,
        /**
         * One export of an establishment's data: its recipient and fingerprinting secret, kept apart
         * from the establishment's key so that leak tracing outlives the establishment's crypto-shredding.
         */
        EXPORT,
        /** The platform's own secrets, by the secret's id: the authorization server's token signing key. */
        PLATFORM
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

    /** An export's own key, by the export's id. */
    public static KeyOwner export(UUID id) {
        return new KeyOwner(Type.EXPORT, id);
    }

    /** A platform secret's own key, by the secret's id. */
    public static KeyOwner platform(UUID id) {
        return new KeyOwner(Type.PLATFORM, id);
    }

    /** A professional's own key, by their subject id (a practitioner id, or the login id of staff). */
    public static KeyOwner professional(UUID id) {
        return new KeyOwner(Type.PROFESSIONAL, id);
    }
}
