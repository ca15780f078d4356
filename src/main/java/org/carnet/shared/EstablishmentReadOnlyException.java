package org.carnet.shared;

/**
 * A change refused because the establishment is in read-only mode (a security officer's containment
 * during an incident): 423 Locked in the API and FHIR, a page saying so. Reads go on. The message names
 * no person.
 */
public class EstablishmentReadOnlyException extends RuntimeException {

    public EstablishmentReadOnlyException() {
        super("This establishment is read-only for the time of a security incident: its patients' data and"
                + " agenda can be read but not changed. Try again once the security officer lifts it.");
    }
}
