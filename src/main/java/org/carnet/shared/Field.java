package org.carnet.shared;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A field of a patient's data, as an access asks for it and the access log names it ({@link #code()}),
 * each in one {@link DataCategory}.
 */
public enum Field {
    FIRST_NAME("first_name", DataCategory.IDENTITY),
    LAST_NAME("last_name", DataCategory.IDENTITY),
    BIRTH_DATE("birth_date", DataCategory.IDENTITY),
    SEX("sex", DataCategory.IDENTITY),
    NIR("nir", DataCategory.IDENTITY),
    RELATIONSHIP("relationship", DataCategory.IDENTITY),
    EMAIL("email", DataCategory.CONTACT),
    PHONE("phone", DataCategory.CONTACT),
    SLOT("slot", DataCategory.AGENDA),
    STATUS("status", DataCategory.AGENDA),
    MESSAGE("body", DataCategory.AGENDA),
    MOTIVE("motive", DataCategory.MEDICAL),
    COMMENT("comment", DataCategory.MEDICAL),
    /** A public key published in the key directory. */
    PUBLIC_KEY("public_key", DataCategory.IDENTITY),
    /** A teleconsultation's key wrapped to one recipient: whoever holds it opens the consultation's content. */
    CONSULTATION_KEY("consultation_key", DataCategory.MEDICAL),
    /** A person's account key wrapped to a device or to the recovery code, and their devices' public keys. */
    ACCOUNT_KEY("account_key", DataCategory.IDENTITY),
    /** Questionnaire answers, as the ciphertext the patient's client made. */
    QUESTIONNAIRE_ANSWERS("questionnaire_answers", DataCategory.MEDICAL),
    /** A teleconsultation message, as the ciphertext the sender's client made. */
    CONSULTATION_MESSAGE("consultation_message", DataCategory.MEDICAL),
    /** A teleconsultation document (its descriptor or a chunk), as ciphertext. */
    CONSULTATION_DOCUMENT("consultation_document", DataCategory.MEDICAL),
    /** A teleconsultation's call: its room, and its signalling as ciphertext the two browsers made. */
    CONSULTATION_CALL("consultation_call", DataCategory.MEDICAL),
    LOG_OCCURRED_AT("occurred_at", DataCategory.ACCESS_LOG),
    LOG_ACTOR("actor", DataCategory.ACCESS_LOG),
    LOG_PATIENT("patient_id", DataCategory.ACCESS_LOG),
    LOG_ACTION("action", DataCategory.ACCESS_LOG),
    LOG_RESOURCE("resource", DataCategory.ACCESS_LOG),
    LOG_FIELDS("fields", DataCategory.ACCESS_LOG),
    LOG_PURPOSE("purpose", DataCategory.ACCESS_LOG),
    LOG_OUTCOME("outcome", DataCategory.ACCESS_LOG);

    /** Every field of an access-log entry: what a reading of the log (a page, an export, a scope) is recorded as. */
    public static final List<Field> LOG_ENTRY = List.of(
            LOG_OCCURRED_AT, LOG_ACTOR, LOG_PATIENT, LOG_ACTION, LOG_RESOURCE, LOG_FIELDS, LOG_PURPOSE, LOG_OUTCOME);

    private static final Map<String, Field> BY_CODE =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(Field::code, Function.identity()));

    private final String code;
    private final DataCategory category;

    Field(String code, DataCategory category) {
        this.code = code;
        this.category = category;
    }

    /** The name the access log records. */
    public String code() {
        return code;
    }

    public DataCategory category() {
        return category;
    }

    /**
     * Whether Carnet only ever hands this field out as ciphertext it cannot open itself (end-to-end
     * encrypted content, or a key wrapped to one recipient): whoever took it took nothing intelligible,
     * which is what GDPR Article 34(3)(a) asks when deciding whether the patient must be told.
     */
    public boolean servedAsCiphertext() {
        return switch (this) {
            case QUESTIONNAIRE_ANSWERS,
                    CONSULTATION_KEY,
                    CONSULTATION_MESSAGE,
                    CONSULTATION_DOCUMENT,
                    CONSULTATION_CALL,
                    ACCOUNT_KEY -> true;
            default -> false;
        };
    }

    /** The field the access log names {@code code}, if any. */
    public static java.util.Optional<Field> ofCode(String code) {
        return java.util.Optional.ofNullable(BY_CODE.get(code));
    }
}
