package org.carnet.access;

import java.time.Instant;
import java.util.List;
import org.carnet.shared.Action;
import org.carnet.shared.Actor;
import org.carnet.shared.EstablishmentId;
import org.carnet.shared.Field;
import org.carnet.shared.PatientRef;
import org.carnet.shared.Purpose;
import org.carnet.shared.Resource;
import org.jspecify.annotations.Nullable;

/**
 * An access to a patient's data was decided and recorded; published once the access commits (a denied
 * access: once its refusal is recorded). Breach detection and per-client quotas listen to it.
 *
 * @param patient whose data, or {@code null} for a search of the access log naming no patient
 * @param establishment the establishment whose file was touched, or {@code null} for account-level data
 * @param allowed whether these fields were granted ({@code false}: refused and recorded as denied)
 */
public record PatientDataAccessed(
        Actor actor,
        @Nullable PatientRef patient,
        @Nullable EstablishmentId establishment,
        Action action,
        Resource resource,
        List<Field> fields,
        Purpose purpose,
        boolean allowed,
        Instant at) {

    public PatientDataAccessed {
        fields = List.copyOf(fields);
    }
}
