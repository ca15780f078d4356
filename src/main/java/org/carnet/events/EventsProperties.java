package org.carnet.events;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How event publications whose listener failed are retried.
 *
 * @param retryInterval how often incomplete publications are resubmitted, and how old one must be to be
 *     resubmitted (younger ones may still be on their first delivery)
 */
@ConfigurationProperties("carnet.events")
record EventsProperties(@DefaultValue("PT30S") Duration retryInterval) {

    static final Duration SHORTEST = Duration.ofSeconds(1);
    static final Duration LONGEST = Duration.ofDays(1);

    EventsProperties {
        if (retryInterval == null || retryInterval.compareTo(SHORTEST) < 0 || retryInterval.compareTo(LONGEST) > 0) {
            throw new IllegalArgumentException("carnet.events.retry-interval must be between PT1S and P1D");
        }
    }
}
