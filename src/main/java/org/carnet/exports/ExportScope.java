package org.carnet.exports;

/** What an export holds. */
public enum ExportScope {
    /** The establishment and its practitioners (public directory data). */
    DIRECTORY,
    /** Every patient file of the establishment: identity and contact. */
    PATIENTS,
    /** The appointments starting within the export's dates: times, status, practitioner, patient. */
    APPOINTMENTS
}
