package org.carnet.shared;

/** What kind of personal data a field is; access rules are stated per category. */
public enum DataCategory {
    /** Name, birth date, sex, NIR, a relative's identity. */
    IDENTITY,
    /** E-mail, phone. */
    CONTACT,
    /** When and with whom: appointment times, status, practitioner, the messages about them. */
    AGENDA,
    /** Motive, comments, and anything clinical. */
    MEDICAL,
    /** Who accessed a patient's data: the access log's entries (ids, never values). */
    ACCESS_LOG
}
