package org.carnet.shared;

/**
 * Bad input found past Bean Validation (a wrong NIR key, a motive of another practitioner...). The
 * message names the field and the rule, never the value the caller sent.
 */
public class InvalidRequestException extends RuntimeException {
    private final String field;

    public InvalidRequestException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
