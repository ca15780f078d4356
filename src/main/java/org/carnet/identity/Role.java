package org.carnet.identity;

/** What a signed-in user is on the platform. */
public enum Role {
    PATIENT,
    PRACTITIONER;

    public String authority() {
        return "ROLE_" + name();
    }
}
