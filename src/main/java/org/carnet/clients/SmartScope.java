package org.carnet.clients;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.carnet.shared.InvalidRequestException;

/**
 * A SMART on FHIR v2 scope, {@code context/Resource.permissions}: {@code system/Slot.rs} lets a program
 * read and search slots for itself. Permissions are {@code c r u d s} in that order, each at most once.
 *
 * <p>Carnet adds two scopes of its own, context {@code carnet}, for what SMART's scopes cannot single
 * out and a program must be granted explicitly: {@value #PATIENT_CONTACT} (a Patient's phone and e-mail,
 * besides {@code system/Patient.r}) and {@value #APPOINTMENT_MOTIVE} (an Appointment's visit motive,
 * besides {@code system/Appointment.r} or {@code .s}). Each covers only itself.
 *
 * @param context {@code system} (a program for itself), {@code user} (for a signed-in professional) or
 *     {@code carnet} (one of Carnet's own scopes)
 */
public record SmartScope(String context, String resource, String permissions) {

    /** The FHIR resources Carnet serves (issue 13). */
    public static final Set<String> RESOURCES = Set.of(
            "Organization",
            "Practitioner",
            "PractitionerRole",
            "Location",
            "Schedule",
            "Slot",
            "Appointment",
            "Patient",
            "AuditEvent");

    public static final int MAX_LENGTH = 64;

    /** A Patient's contact details (phone, e-mail): never without this scope. */
    public static final String PATIENT_CONTACT = "carnet/Patient.contact";

    /** An Appointment's visit motive: never without this scope. */
    public static final String APPOINTMENT_MOTIVE = "carnet/Appointment.motive";

    /** Carnet's own scopes. */
    public static final Set<String> CARNET_SCOPES = Set.of(PATIENT_CONTACT, APPOINTMENT_MOTIVE);

    private static final Pattern GRAMMAR = Pattern.compile("(system|user)/([A-Za-z]{1,40})\\.(c?r?u?d?s?)");

    public SmartScope {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(permissions, "permissions");
        if (context.equals("carnet")) {
            if (!CARNET_SCOPES.contains(context + "/" + resource + "." + permissions)) {
                throw new IllegalArgumentException("carnet scope");
            }
        } else if (!context.equals("system") && !context.equals("user")) {
            throw new IllegalArgumentException("context");
        } else if (!RESOURCES.contains(resource)) {
            throw new IllegalArgumentException("resource");
        } else if (permissions.isEmpty() || !permissions.matches("c?r?u?d?s?")) {
            throw new IllegalArgumentException("permissions");
        }
    }

    /**
     * Parses a scope.
     *
     * @throws InvalidRequestException naming {@code field} when it is not a scope Carnet knows (the value is not echoed)
     */
    public static SmartScope parse(String scope, String field) {
        if (CARNET_SCOPES.contains(scope)) {
            int slash = scope.indexOf('/');
            int dot = scope.indexOf('.');
            return new SmartScope("carnet", scope.substring(slash + 1, dot), scope.substring(dot + 1));
        }
        Matcher matcher = scope.length() > MAX_LENGTH ? null : GRAMMAR.matcher(scope);
        if (matcher == null || !matcher.matches() || matcher.group(3).isEmpty()) {
            throw new InvalidRequestException(
                    field,
                    "each scope must read (system|user)/Resource.[cruds], such as system/Slot.rs, or be one of "
                            + String.join(", ", CARNET_SCOPES.stream().sorted().toList()));
        }
        if (!RESOURCES.contains(matcher.group(2))) {
            throw new InvalidRequestException(
                    field,
                    "unknown resource; Carnet serves "
                            + String.join(", ", RESOURCES.stream().sorted().toList()));
        }
        return new SmartScope(matcher.group(1), matcher.group(2), matcher.group(3));
    }

    /** Whether holding this scope lets its holder do what {@code wanted} asks ({@code system/Slot.rs} covers {@code system/Slot.r}). */
    public boolean covers(SmartScope wanted) {
        if (!context.equals(wanted.context) || !resource.equals(wanted.resource)) {
            return false;
        }
        if (context.equals("carnet")) {
            return permissions.equals(wanted.permissions);
        }
        for (char permission : wanted.permissions.toCharArray()) {
            if (permissions.indexOf(permission) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Whether this scope grants {@code permission} (one of {@code cruds}) on its resource. */
    public boolean allows(char permission) {
        return !context.equals("carnet") && permissions.indexOf(Character.toLowerCase(permission)) >= 0;
    }

    @Override
    public String toString() {
        return context + "/" + resource + "."
                + (context.equals("carnet") ? permissions : permissions.toLowerCase(Locale.ROOT));
    }
}
