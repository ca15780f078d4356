package org.carnet.breach;

import java.util.Locale;

/** The detection rules; each hit opens an incident for its subject or extends the open one. */
public enum Rule {
    /** An actor or a program read far more distinct patients than its own baseline. */
    DISTINCT_PATIENTS(Severity.HIGH),
    /** An actor read patients in increasing (or decreasing) id order, many in a row. */
    SEQUENTIAL_IDS(Severity.HIGH),
    /** Many accesses refused to one actor. */
    DENIED_ACCESSES(Severity.MEDIUM),
    /** A program asked for many distinct patient or appointment ids (or pseudonyms) that name nothing. */
    UNKNOWN_IDS_PROBED(Severity.MEDIUM),
    /** Many distinct patients read at night. */
    NIGHT_BULK_READ(Severity.HIGH),
    /** Failed sign-ins in a burst for one account. */
    SIGN_IN_FAILURES_ACCOUNT(Severity.MEDIUM),
    /** Failed sign-ins in a burst from one source. */
    SIGN_IN_FAILURES_SOURCE(Severity.MEDIUM),
    /** Failed sign-ins in a burst across the platform: credential stuffing. */
    CREDENTIAL_STUFFING(Severity.HIGH),
    /** Break-the-glass openings in one establishment beyond its usual rate. */
    BREAK_THE_GLASS_RATE(Severity.MEDIUM),
    /** A verification of the access log found a broken chain. */
    AUDIT_VERIFICATION_FAILED(Severity.HIGH),
    /** An export's download link presented again after its one download, or after it expired. */
    EXPORT_LINK_REPLAYED(Severity.HIGH),
    /** An export's download link, still usable, presented from outside the networks its request declared. */
    EXPORT_UNEXPECTED_PLACE(Severity.HIGH),
    /** A leaked file traced to an export ({@code leak-trace}): the export's content is out. */
    EXPORT_LEAK_ATTRIBUTED(Severity.HIGH);

    private final Severity severity;

    Rule(Severity severity) {
        this.severity = severity;
    }

    public Severity severity() {
        return severity;
    }

    /** As the API and the pages name it: {@code distinct-patients}. */
    public String code() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Whether the rule reads patient data accesses, so that a program it catches is suspended. */
    public boolean aboutDataAccess() {
        return this == DISTINCT_PATIENTS
                || this == SEQUENTIAL_IDS
                || this == NIGHT_BULK_READ
                || this == DENIED_ACCESSES
                || this == UNKNOWN_IDS_PROBED;
    }
}
