package org.carnet.access;

import java.util.EnumSet;
import java.util.Set;
import org.carnet.identity.CarnetPrincipal;

/**
 * The rules, as one pure function of the actor, the target and the care relationship. Stated per
 * role: what categories of a patient's data it may touch, and under which condition.
 */
final class AccessRules {

    private static final Set<DataCategory> EVERYTHING = EnumSet.allOf(DataCategory.class);
    private static final Set<DataCategory> ADMINISTRATIVE =
            EnumSet.of(DataCategory.IDENTITY, DataCategory.CONTACT, DataCategory.AGENDA);

    private AccessRules() {}

    /**
     * The categories the actor may touch.
     *
     * @param careRelationship whether the actor (a practitioner) has or had an appointment with the patient there
     */
    static Set<DataCategory> allowed(AccessRequest request, boolean careRelationship) {
        CarnetPrincipal actor = request.actor();
        boolean ownEstablishment =
                request.establishmentId() != null && request.establishmentId().equals(actor.establishmentId());
        return switch (actor.role()) {
            // A patient sees all of their own data, account-level or in any establishment's file.
            case PATIENT -> request.patientId().equals(actor.subjectId()) ? EVERYTHING : Set.of();
            // A practitioner: the patients of their own establishment with whom there is a care relationship.
            case PRACTITIONER -> ownEstablishment && careRelationship ? EVERYTHING : Set.of();
            // Staff and administrators run the establishment's agendas: identity, contact, times; never medical.
            case STAFF, ESTABLISHMENT_ADMIN -> ownEstablishment ? ADMINISTRATIVE : Set.of();
            // The security officer reads the access log (ids only), never a patient's data itself.
            case SECURITY_OFFICER -> Set.of();
        };
    }

    /** Break-the-glass: only a practitioner, only within their own establishment. */
    static boolean mayBreakTheGlass(AccessRequest request) {
        CarnetPrincipal actor = request.actor();
        return actor.role() == org.carnet.identity.Role.PRACTITIONER
                && request.establishmentId() != null
                && request.establishmentId().equals(actor.establishmentId());
    }
}
