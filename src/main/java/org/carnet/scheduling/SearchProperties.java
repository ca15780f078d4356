package org.carnet.scheduling;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * @param pageMemory how long a node keeps a search page it read, at most: a change to a practitioner's
 *     slots forgets the pages it touches at once on its node and within a second on the others; this
 *     bounds what a change made behind Carnet's back (or a node dying before it told the others) leaves
 * @param maxAge the {@code max-age} of an anonymous search page's {@code Cache-Control} (never longer than
 *     until the earliest slot it lists)
 * @param relayInterval how often a node tells the others which practitioners' slots it changed, and
 *     reads what they changed
 */
@Validated
@ConfigurationProperties("carnet.search")
public record SearchProperties(
        @NotNull Duration pageMemory,
        @NotNull Duration maxAge,
        @NotNull Duration relayInterval) {
    public SearchProperties {
        if (pageMemory != null && (pageMemory.isNegative() || pageMemory.compareTo(Duration.ofMinutes(5)) > 0)) {
            throw new IllegalArgumentException("carnet.search.page-memory must be between 0 and 5 minutes");
        }
        if (maxAge != null && (maxAge.isNegative() || maxAge.compareTo(Duration.ofMinutes(1)) > 0)) {
            throw new IllegalArgumentException("carnet.search.max-age must be between 0 and 1 minute");
        }
        if (relayInterval != null
                && (relayInterval.toMillis() < 10 || relayInterval.compareTo(Duration.ofSeconds(1)) > 0)) {
            throw new IllegalArgumentException("carnet.search.relay-interval must be between 10 ms and 1 s");
        }
    }
}
