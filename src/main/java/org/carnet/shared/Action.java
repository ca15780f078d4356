package org.carnet.shared;

/** What an access does to data: FHIR AuditEvent's C/R/U/D/E. */
public enum Action {
    CREATE,
    READ,
    UPDATE,
    DELETE,
    EXECUTE
}
