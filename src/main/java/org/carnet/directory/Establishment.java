package org.carnet.directory;

import java.util.UUID;

/** A practice, clinic or hospital: the data controller of its patient files. */
public record Establishment(UUID id, Finess finess, String name, String address, String city, String postcode) {

    /** The postal address on one line: "12 rue Pasteur, 69003 Lyon". */
    public String fullAddress() {
        return address + ", " + postcode + " " + city;
    }
}
