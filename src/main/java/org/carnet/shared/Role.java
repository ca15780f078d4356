package org.carnet.shared;

/** What a signed-in user is on the platform. */
public enum Role {
    /** A person booking for themselves or their relatives. */
    PATIENT,
    /** A health professional of one establishment. */
    PRACTITIONER,
    /** A secretary of one establishment: agendas, identity and contact, never medical content. */
    STAFF,
    /** Manages the practitioners, staff and agendas of one establishment and reviews its access log. */
    ESTABLISHMENT_ADMIN,
    /** Platform-level: investigates and verifies the access log; sees no medical content. */
    SECURITY_OFFICER;

    public String authority() {
        return "ROLE_" + name();
    }

    /** Professional roles must enrol a second factor before anything else. */
    public boolean professional() {
        return this != PATIENT;
    }

    /** Whether this role acts within one establishment. */
    public boolean ofEstablishment() {
        return this == PRACTITIONER || this == STAFF || this == ESTABLISHMENT_ADMIN;
    }
}
