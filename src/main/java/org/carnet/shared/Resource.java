package org.carnet.shared;

/** The kind of record an access touches, as the access log records it ({@link #code()}). */
public enum Resource {
    PATIENT_ACCOUNT("patient-account"),
    PATIENT_FILE("patient-file"),
    RELATIVE("relative"),
    APPOINTMENT("appointment"),
    INBOX_MESSAGE("inbox-message"),
    ACCESS_LOG("access-log"),
    /** An export of an establishment's data: its request, approval and download (many patients at once). */
    EXPORT("export"),
    /** A teleconsultation's key, wrapped (end-to-end) to one of its recipients: the server holds only the wrap. */
    /** A patient's public keys in the key directory (published for teleconsultations). */
    PUBLIC_KEY("public-key"),
    CONSULTATION_KEY("consultation-key"),
    /** A person's account key wrapped to one of their devices or to their recovery code (end-to-end), or a device of theirs. */
    ACCOUNT_KEY("account-key"),
    /** A patient's answers to a pre-consultation questionnaire, end-to-end encrypted: the server holds ciphertext. */
    QUESTIONNAIRE_ANSWERS("questionnaire-answers"),
    /** A message between a teleconsultation's patient and practitioner, end-to-end encrypted. */
    CONSULTATION_MESSAGE("consultation-message"),
    /** A document (or one of its chunks) exchanged in a teleconsultation, end-to-end encrypted. */
    CONSULTATION_DOCUMENT("consultation-document"),
    /**
     * A teleconsultation's video room: entering it hands out TURN credentials and relays signalling sealed
     * end to end (the media never pass through Carnet).
     */
    CONSULTATION_CALL("consultation-call"),
    /** A patient's own copy of their data, as a whole (each part read is recorded on its own too). */
    DATA_COPY("data-copy");

    private final String code;

    Resource(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
