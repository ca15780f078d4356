package org.carnet.identity;

/** Where each role lands after signing in. */
final class Landing {

    private Landing() {}

    static String of(Role role) {
        return switch (role) {
            case PATIENT -> "/me/appointments";
            case PRACTITIONER, STAFF -> "/agenda";
            case ESTABLISHMENT_ADMIN -> "/establishment";
            case SECURITY_OFFICER -> "/security";
        };
    }
}
