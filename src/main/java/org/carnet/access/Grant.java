package org.carnet.access;

import java.util.List;
import java.util.Objects;
import org.carnet.shared.DataCategory;
import org.carnet.shared.EstablishmentId;
import org.carnet.shared.Field;
import org.carnet.shared.PatientRef;
import org.jspecify.annotations.Nullable;

/**
 * What an access decision allowed: the fields one actor may touch of one patient's data in one
 * establishment (or the patient's own account), possibly none. Only {@link AccessDecision} makes
 * one; stores open sealed fields only under a grant for the very record they read ({@link #requireFor}).
 */
public final class Grant {

    private final @Nullable PatientRef patient;
    private final @Nullable EstablishmentId establishment;
    private final List<Field> fields;

    Grant(@Nullable PatientRef patient, @Nullable EstablishmentId establishment, List<Field> fields) {
        this.patient = patient;
        this.establishment = establishment;
        this.fields = List.copyOf(fields);
    }

    public boolean any() {
        return !fields.isEmpty();
    }

    public List<Field> fields() {
        return fields;
    }

    public boolean allows(Field field) {
        return fields.contains(field);
    }

    public boolean allowsAll(List<Field> wanted) {
        return fields.containsAll(wanted);
    }

    public boolean allows(DataCategory category) {
        return fields.stream().anyMatch(field -> field.category() == category);
    }

    /** Whether this grant is for this patient's data in this establishment ({@code null}: their account). */
    private boolean covers(@Nullable PatientRef patient, @Nullable EstablishmentId establishment) {
        return Objects.equals(this.patient, patient) && Objects.equals(this.establishment, establishment);
    }

    /**
     * Throws unless this grant is for this patient's data in this establishment: a store calls it
     * before opening a sealed field, so that a grant for one patient never opens another's record.
     */
    public void requireFor(@Nullable PatientRef patient, @Nullable EstablishmentId establishment) {
        if (!covers(patient, establishment)) {
            throw new IllegalStateException("A grant opens only the record it was decided for");
        }
    }

    @Override
    public String toString() {
        return "Grant[patient=" + (patient == null ? null : patient.id()) + ", establishment=" + establishment
                + ", fields=" + fields + "]";
    }
}
