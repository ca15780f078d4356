package org.carnet.access;

import java.util.EnumSet;
import java.util.Set;
import org.carnet.shared.Action;
import org.carnet.shared.Actor;
import org.carnet.shared.DataCategory;
import org.carnet.shared.Resource;

/**
 * What a third-party program's scopes let it touch of a patient's data, by kind of record and action.
 * The scopes are read as the clients module writes them (SMART v2 {@code system/Resource.cruds}, and
 * Carnet's own {@code carnet/Patient.contact} and {@code carnet/Appointment.motive}); access cannot
 * depend on that module, so the few rules it needs are stated here.
 */
final class ProgramScopes {

    static final String PATIENT_CONTACT = "carnet/Patient.contact";
    static final String APPOINTMENT_MOTIVE = "carnet/Appointment.motive";

    private ProgramScopes() {}

    /** The categories the program's scopes open for this action on this kind of record. */
    static Set<DataCategory> allowed(Actor.Client client, Resource resource, Action action) {
        Set<DataCategory> allowed = EnumSet.noneOf(DataCategory.class);
        if (resource == Resource.APPOINTMENT) {
            boolean agenda = switch (action) {
                case READ -> holds(client, "Appointment", 'r') || holds(client, "Appointment", 's');
                case CREATE -> holds(client, "Appointment", 'c');
                case UPDATE -> holds(client, "Appointment", 'u');
                default -> false;
            };
            if (agenda) {
                allowed.add(DataCategory.AGENDA);
                if (action == Action.READ && client.scopes().contains(APPOINTMENT_MOTIVE)) {
                    allowed.add(DataCategory.MEDICAL);
                }
            }
        }
        if (resource == Resource.ACCESS_LOG
                && action == Action.READ
                && (holds(client, "AuditEvent", 'r') || holds(client, "AuditEvent", 's'))) {
            allowed.add(DataCategory.ACCESS_LOG);
        }
        if (resource == Resource.PATIENT_FILE && action == Action.READ && holds(client, "Patient", 'r')) {
            allowed.add(DataCategory.IDENTITY);
            if (client.scopes().contains(PATIENT_CONTACT)) {
                allowed.add(DataCategory.CONTACT);
            }
        }
        return allowed;
    }

    /**
     * Whether a scope of the program grants this permission on this resource: a {@code system/} scope
     * when it acts for itself, a {@code user/} one when it acts for a professional.
     */
    private static boolean holds(Actor.Client client, String resource, char permission) {
        String prefix = client.scopeContext() + "/" + resource + ".";
        return client.scopes().stream()
                .filter(scope -> scope.startsWith(prefix))
                .map(scope -> scope.substring(prefix.length()))
                .anyMatch(permissions -> permissions.matches("c?r?u?d?s?") && permissions.indexOf(permission) >= 0);
    }
}
