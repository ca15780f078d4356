package org.carnet.shared;

/** Why an actor touches a patient's data, as the access log records it ({@link #code()}). */
public enum Purpose {
    /** A patient creating their own account. */
    REGISTRATION("registration"),
    /** A patient reading or changing their own data. */
    SELF_SERVICE("self-service"),
    BOOKING("booking"),
    CANCELLATION("cancellation"),
    RESCHEDULING("rescheduling"),
    /** A practitioner or the practice looking after the patient. */
    CARE("care"),
    /** The practice working on its agendas. */
    AGENDA("agenda"),
    /** The practice booking on a patient's behalf over the phone. */
    PHONE_BOOKING("phone-booking"),
    /** The practice recording a practitioner's absence. */
    ABSENCE("absence"),
    CANCELLATION_BY_PRACTICE("cancellation-by-practice"),
    RESCHEDULING_BY_PRACTICE("rescheduling-by-practice"),
    /** Telling a patient something in their inbox. */
    NOTIFICATION("notification"),
    /** A practitioner opening a file outside the care rule, with a reason, flagged for review. */
    BREAK_THE_GLASS("break-the-glass"),
    /** An administrator reviewing the break-the-glass openings of their establishment. */
    BREAK_THE_GLASS_REVIEW("break-the-glass-review"),
    /** An administrator searching or exporting the establishment's access log. */
    ACCESS_REVIEW("access-review"),
    /** The platform's security officer reading the access log to investigate (an incident's scope, FHIR AuditEvent). */
    INVESTIGATION("investigation"),
    /**
     * An establishment's data handed over when it leaves (requested by its administrator, approved by
     * the security officer, read by the platform's export job into the recipient's encrypted file).
     */
    EXPORT("export"),
    /** A patient downloading their own copy of everything Carnet holds about them (GDPR art. 15 and 20). */
    DATA_COPY("data-copy"),
    /** A patient's account erased at their request (GDPR art. 17): its keys destroyed, its agendas cancelled. */
    ERASURE("erasure");

    private final String code;

    Purpose(String code) {
        this.code = code;
    }

    /** The name the access log records. */
    public String code() {
        return code;
    }
}
