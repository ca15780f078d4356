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
    EXPORT("export");

    private final String code;

    Resource(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
