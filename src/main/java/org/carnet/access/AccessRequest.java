package org.carnet.access;

import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.carnet.audit.AccessEvent;
import org.carnet.identity.CarnetPrincipal;

/**
 * One intended access to a patient's data.
 *
 * @param actor who asks
 * @param patientId whose data
 * @param establishmentId whose file (an establishment's), or {@code null} for the patient's own account
 * @param action create, read, update, delete or execute
 * @param resource the kind of record, as in the audit log
 * @param fields the field names wanted
 * @param purpose why
 */
public record AccessRequest(
        CarnetPrincipal actor,
        UUID patientId,
        UUID establishmentId,
        AccessEvent.Action action,
        String resource,
        List<String> fields,
        String purpose) {

    public AccessRequest {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(patientId, "patientId");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(purpose, "purpose");
        fields = List.copyOf(fields);
    }
}
