package org.carnet.crypto;

import java.util.Objects;
import java.util.UUID;

/**
 * Whose data key seals a field: an establishment (its patient files, appointments), a patient
 * account, a login (its second-factor secret, a staff member's name) or a professional (their inbox); and
 * whose key an establishment's blind indexes are computed with ({@link Type#ESTABLISHMENT_INDEX}).
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
        PLATFORM,
        /**
         * An establishment's blind-index key (HMAC-SHA-256, {@link BlindIndex#ofEstablishment}), by the
         * establishment's id: it seals nothing, is never rotated, and is destroyed with the establishment's
         * data keys (the establishment's tombstone is its tombstone).
         */
        ESTABLISHMENT_INDEX
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

    /** The blind-index key of an establishment, by the establishment's id. */
    static KeyOwner establishmentIndex(UUID establishmentId) {
        return new KeyOwner(Type.ESTABLISHMENT_INDEX, establishmentId);
    }

    /**
     * The owner whose tombstone says whether this owner's keys were destroyed: an establishment's blind-index
     * key goes with the establishment's data keys.
     */
    KeyOwner shreddedWith() {
        return type == Type.ESTABLISHMENT_INDEX ? establishment(id) : this;
    }

    /** A professional's own key, by their subject id (a practitioner id, or the login id of staff). */
    public static KeyOwner professional(UUID id) {
        return new KeyOwner(Type.PROFESSIONAL, id);
    }
}
