package org.carnet.shared;

/**
 * A request the caller is known and allowed to make in general, refused until they do something
 * first (such as confirming their e-mail address before booking); {@code reason} names it for
 * clients, as the problem type.
 */
public class ForbiddenException extends RuntimeException {

    private final String reason;

    public ForbiddenException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
