package org.carnet.exports;

/** What an export holds. */
public enum ExportScope {
    /** The establishment and its practitioners (public directory data). */
    DIRECTORY,
    /** Every patient file of the establishment: identity and contact. */
    PATIENTS,
    /** The appointments starting within the export's dates: times, status, practitioner, patient. */
    APPOINTMENTS,
    /**
     * The teleconsultations whose key was set up within the export's dates: the consultation key wrapped to
     * the establishment, the questionnaire answers, messages and documents, as the ciphertext Carnet holds.
     */
    TELECONSULTATIONS,
    /** The establishment's access log entries recorded within the export's dates (ids, never values). */
    AUDIT_LOG
}
