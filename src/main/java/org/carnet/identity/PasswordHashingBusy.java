package org.carnet.identity;

/**
 * Every password-hashing permit stayed taken for longer than {@code carnet.security.hashing-wait}: the
 * request is refused with 503 and Retry-After rather than queued without end.
 */
class PasswordHashingBusy extends RuntimeException {

    /** Seconds a refused client is asked to wait. */
    static final int RETRY_AFTER_SECONDS = 2;

    PasswordHashingBusy() {
        super("Too many password checks at once", null, false, false);
    }
}
