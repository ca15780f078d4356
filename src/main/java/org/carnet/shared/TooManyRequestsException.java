package org.carnet.shared;

/**
 * A caller went over a quota: answered 429 with {@code Retry-After}. Only third-party programs have
 * quotas, and their tokens are accepted under {@code /fhir} only, where it is an OperationOutcome.
 * {@code reason} names the quota.
 */
public class TooManyRequestsException extends RuntimeException {

    private final String reason;
    private final long retryAfterSeconds;

    public TooManyRequestsException(String reason, String message, long retryAfterSeconds) {
        super(message);
        this.reason = reason;
        this.retryAfterSeconds = Math.max(1, retryAfterSeconds);
    }

    public String reason() {
        return reason;
    }

    /** Seconds until the quota's window ends, at least 1. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
