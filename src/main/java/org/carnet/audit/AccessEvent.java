package org.carnet.audit;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * One access to personal data, as handed to {@link AuditLog#record}.
 *
 * @param actor who accessed
 * @param onBehalfOf the account the actor acted for (a patient booking for themselves: their own id)
 * @param patientId the patient account whose data was accessed
 * @param establishmentId the establishment whose file was touched, or {@code null} for account-level data
 * @param action create, read, update, delete or execute (FHIR AuditEvent's C/R/U/D/E)
 * @param resource the kind of record, such as {@code patient-account} or {@code appointment}
 * @param fields the field names accessed, never their values
 * @param purpose why, such as {@code booking} or {@code self-service}
 * @param outcome whether the access was allowed
 */
public record AccessEvent(
        Actor actor,
        UUID onBehalfOf,
        UUID patientId,
        UUID establishmentId,
        Action action,
        String resource,
        List<String> fields,
        String purpose,
        Outcome outcome) {

    public enum Action {
        CREATE,
        READ,
        UPDATE,
        DELETE,
        EXECUTE
    }

    public enum Outcome {
        ALLOWED,
        DENIED
    }

    public AccessEvent {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(outcome, "outcome");
        fields = List.copyOf(fields);
    }
}
