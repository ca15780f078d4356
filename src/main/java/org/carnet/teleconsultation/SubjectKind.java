package org.carnet.teleconsultation;

/** Who a key in the directory belongs to: a patient account, a practitioner, or an establishment. */
public enum SubjectKind {
    PATIENT,
    PRACTITIONER,
    ESTABLISHMENT;

    /** The lower-case name used in routes and in envelopes' {@code carnet} header. */
    public String code() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static SubjectKind ofCode(String code) {
        for (SubjectKind kind : values()) {
            if (kind.code().equals(code)) {
                return kind;
            }
        }
        throw new org.carnet.shared.InvalidRequestException("kind", "must be patient, practitioner or establishment");
    }
}
