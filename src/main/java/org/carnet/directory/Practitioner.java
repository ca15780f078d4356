package org.carnet.directory;

import java.util.UUID;

/** A practitioner listed in the directory, working in one establishment. */
public record Practitioner(
        UUID id, UUID establishmentId, Rpps rpps, String firstName, String lastName, Specialty specialty) {

    /** "First Last", as patients see it. */
    public String displayName() {
        return firstName + " " + lastName;
    }
}
