package org.carnet.teleconsultation;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import org.carnet.shared.InvalidRequestException;

/**
 * One question of a questionnaire. A form definition is not medical data: it is shown to every patient
 * who books a motive it is attached to.
 *
 * @param id the question's key in the answers (lower-case letters, digits and hyphens, at most 40)
 * @param options the choices of a single- or multiple-choice question (2 to 20, distinct); none otherwise
 */
public record Question(String id, Type type, String label, boolean required, List<String> options) {

    public static final int MAX_LABEL = 300;
    public static final int MAX_OPTION = 100;
    public static final int MAX_OPTIONS = 20;

    /** What kind of answer a question takes, and the JSON value the answers hold for it (docs/e2e.md). */
    public enum Type {
        FREE_TEXT,
        YES_NO,
        SINGLE_CHOICE,
        MULTIPLE_CHOICE,
        NUMBER,
        DATE;

        /** Whether it takes options: single or multiple choice. */
        public boolean choice() {
            return this == SINGLE_CHOICE || this == MULTIPLE_CHOICE;
        }
    }

    /**
     * A form's words as shown to patients and stored in clear: not blank, at most {@code max} characters, and
     * no control character (a NUL cannot even be stored in PostgreSQL text; the others have no place in a
     * label).
     */
    static boolean isText(String text, int max) {
        return text != null
                && !text.isBlank()
                && text.length() <= max
                && text.chars().noneMatch(Character::isISOControl);
    }

    public Question {
        Objects.requireNonNull(type, "type");
        if (id == null || !id.matches("[a-z0-9][a-z0-9-]{0,39}")) {
            throw new InvalidRequestException("questions.id", "must be 1 to 40 lower-case letters, digits or hyphens");
        }
        if (!isText(label, MAX_LABEL)) {
            throw new InvalidRequestException(
                    "questions.label", "must be 1 to " + MAX_LABEL + " characters, without control characters");
        }
        options = options == null ? List.of() : List.copyOf(options);
        if (type.choice()) {
            if (options.size() < 2 || options.size() > MAX_OPTIONS) {
                throw new InvalidRequestException(
                        "questions.options", "a choice takes 2 to " + MAX_OPTIONS + " options");
            }
            if (options.stream().anyMatch(o -> !isText(o, MAX_OPTION))
                    || new HashSet<>(options).size() != options.size()) {
                throw new InvalidRequestException(
                        "questions.options",
                        "options must be distinct, 1 to " + MAX_OPTION
                                + " characters each, without control characters");
            }
        } else if (!options.isEmpty()) {
            throw new InvalidRequestException("questions.options", "only choice questions take options");
        }
    }
}
