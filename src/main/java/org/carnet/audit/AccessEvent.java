package org.carnet.audit;

import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.carnet.shared.Action;
import org.carnet.shared.Actor;
import org.carnet.shared.EstablishmentId;
import org.carnet.shared.Field;
import org.carnet.shared.PatientRef;
import org.carnet.shared.Purpose;
import org.carnet.shared.Resource;
import org.jspecify.annotations.Nullable;

/**
 * One access to personal data, as handed to {@link AuditLog#record}. Only the access module builds
 * these: it is the one door to patient data.
 *
 * @param actor who accessed
 * @param onBehalfOf the account the actor acted for (a patient acting for themselves: their own id)
 * @param patient whose data was accessed, or {@code null} when the access names no one patient
 * @param establishment the establishment whose file was touched, or {@code null} for account-level data
 * @param action create, read, update, delete or execute (FHIR AuditEvent's C/R/U/D/E)
 * @param resource the kind of record
 * @param fields the fields accessed, never their values
 * @param purpose why
 * @param outcome whether the access was allowed
 */
public record AccessEvent(
        Actor actor,
        @Nullable UUID onBehalfOf,
        @Nullable PatientRef patient,
        @Nullable EstablishmentId establishment,
        Action action,
        Resource resource,
        List<Field> fields,
        Purpose purpose,
        Outcome outcome) {

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
