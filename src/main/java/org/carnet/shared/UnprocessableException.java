package org.carnet.shared;

/** A request that cannot be processed as sent, such as an Idempotency-Key reused for another request. */
public class UnprocessableException extends RuntimeException {
    public UnprocessableException(String message) {
        super(message);
    }
}
