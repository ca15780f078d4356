package org.carnet.access;

import java.util.List;
import java.util.Objects;
import org.carnet.shared.Action;
import org.carnet.shared.Actor;
import org.carnet.shared.EstablishmentId;
import org.carnet.shared.Field;
import org.carnet.shared.PatientRef;
import org.carnet.shared.Purpose;
import org.carnet.shared.Resource;
import org.jspecify.annotations.Nullable;

/**
 * One intended access to a patient's data.
 *
 * @param actor who asks
 * @param patient whose data; {@code null} only for a search of the access log that names no patient, or
 *     an export (of a whole establishment)
 * @param establishment whose file (an establishment's), or {@code null} for the patient's own account
 * @param action create, read, update, delete or execute
 * @param resource the kind of record
 * @param fields the fields wanted, as the access log will name them
 * @param purpose why
 */
public record AccessRequest(
        Actor actor,
        @Nullable PatientRef patient,
        @Nullable EstablishmentId establishment,
        Action action,
        Resource resource,
        List<Field> fields,
        Purpose purpose) {

    public AccessRequest {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(purpose, "purpose");
        if (patient == null && resource != Resource.ACCESS_LOG && resource != Resource.EXPORT) {
            throw new IllegalArgumentException("An access to patient data names the patient");
        }
        fields = List.copyOf(fields);
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("An access names the fields it touches");
        }
    }

    /** An access to a patient's own account-level data (no establishment). */
    public static AccessRequest toAccount(
            Actor actor, PatientRef patient, Action action, Resource resource, List<Field> fields, Purpose purpose) {
        return new AccessRequest(actor, patient, null, action, resource, fields, purpose);
    }
}
