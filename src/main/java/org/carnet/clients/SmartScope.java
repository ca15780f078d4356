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
 * @param context {@code system} (a program for itself) or {@code user} (for a signed-in professional)
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

    private static final Pattern GRAMMAR = Pattern.compile("(system|user)/([A-Za-z]{1,40})\\.(c?r?u?d?s?)");

    public SmartScope {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(permissions, "permissions");
        if (!context.equals("system") && !context.equals("user")) {
            throw new IllegalArgumentException("context");
        }
        if (!RESOURCES.contains(resource)) {
            throw new IllegalArgumentException("resource");
        }
        if (permissions.isEmpty() || !permissions.matches("c?r?u?d?s?")) {
            throw new IllegalArgumentException("permissions");
        }
    }

    /**
     * Parses a scope.
     *
     * @throws InvalidRequestException naming {@code field} when it is not a scope Carnet knows (the value is not echoed)
     */
    public static SmartScope parse(String scope, String field) {
        Matcher matcher = scope.length() > MAX_LENGTH ? null : GRAMMAR.matcher(scope);
        if (matcher == null || !matcher.matches() || matcher.group(3).isEmpty()) {
            throw new InvalidRequestException(
                    field, "each scope must read (system|user)/Resource.[cruds], such as system/Slot.rs");
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
        for (char permission : wanted.permissions.toCharArray()) {
            if (permissions.indexOf(permission) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Whether this scope grants {@code permission} (one of {@code cruds}) on its resource. */
    public boolean allows(char permission) {
        return permissions.indexOf(Character.toLowerCase(permission)) >= 0;
    }

    @Override
    public String toString() {
        return context + "/" + resource + "." + permissions.toLowerCase(Locale.ROOT);
    }
}
