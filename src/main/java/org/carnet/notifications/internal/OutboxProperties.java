package org.carnet.notifications.internal;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the outbox is drained.
 *
 * @param pollInterval how often the worker looks for messages due
 * @param batchSize how many messages a worker claims at once
 * @param lease how long a claimed message is a worker's alone; one claimed by a worker that stopped is
 *     taken again after it
 * @param firstRetry the wait after a first failure; it doubles after each, up to {@code longestRetry}
 * @param longestRetry the longest wait between two attempts
 * @param maxAttempts after that many failures a message is given up (FAILED) and the log says so
 * @param keepSent how long a sent message's row stays (then it is deleted)
 */
@ConfigurationProperties("carnet.outbox")
public record OutboxProperties(
        @DefaultValue("PT2S") Duration pollInterval,
        @DefaultValue("50") int batchSize,
        @DefaultValue("PT1M") Duration lease,
        @DefaultValue("PT30S") Duration firstRetry,
        @DefaultValue("PT1H") Duration longestRetry,
        @DefaultValue("12") int maxAttempts,
        @DefaultValue("P7D") Duration keepSent) {

    public OutboxProperties {
        if (batchSize < 1 || maxAttempts < 1 || lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("carnet.outbox: batch-size, max-attempts and lease must be positive");
        }
    }

    /** The wait after the given number of failed attempts (1 for the first). */
    Duration retryAfter(int failures) {
        Duration wait = firstRetry;
        for (int i = 1; i < failures && wait.compareTo(longestRetry) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(longestRetry) > 0 ? longestRetry : wait;
    }
}
