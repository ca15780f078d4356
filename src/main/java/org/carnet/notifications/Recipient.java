package org.carnet.notifications;

import java.util.Objects;
import java.util.UUID;
import org.carnet.crypto.KeyOwner;
import org.carnet.shared.Actor;
import org.carnet.shared.Role;

/**
 * Whose inbox: a patient account, or a professional by their subject id (a practitioner id; the login
 * id of staff, administrators and security officers).
 */
public record Recipient(Kind kind, UUID id) {

    public enum Kind {
        PATIENT,
        PROFESSIONAL
    }

    public Recipient {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
    }

    public static Recipient patient(UUID patientAccountId) {
        return new Recipient(Kind.PATIENT, patientAccountId);
    }

    public static Recipient professional(UUID subjectId) {
        return new Recipient(Kind.PROFESSIONAL, subjectId);
    }

    /** The signed-in user's own inbox. */
    public static Recipient of(Actor.Person principal) {
        return principal.role() == Role.PATIENT ? patient(principal.subjectId()) : professional(principal.subjectId());
    }

    KeyOwner keyOwner() {
        return kind == Kind.PATIENT ? KeyOwner.patientAccount(id) : KeyOwner.professional(id);
    }
}
