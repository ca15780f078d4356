package org.carnet.exports;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code carnet.exports.*}.
 *
 * @param linkValidity how long an approved export's download link works (once), 7 days by default
 * @param canaries how many synthetic canary patients each export carries
 * @param shredAfter how long after the recipient downloaded an export of its patient files an
 *     establishment's keys may be destroyed (the time to check the export was received whole), 30 days
 *     by default
 */
@ConfigurationProperties("carnet.exports")
public record ExportsProperties(
        @DefaultValue("P7D") Duration linkValidity,
        @DefaultValue("3") int canaries,
        @DefaultValue("P30D") Duration shredAfter) {
    public ExportsProperties {
        if (linkValidity.isNegative() || linkValidity.isZero() || linkValidity.compareTo(Duration.ofDays(30)) > 0) {
            throw new IllegalArgumentException("carnet.exports.link-validity must be positive and at most 30 days");
        }
        if (shredAfter.isNegative()) {
            throw new IllegalArgumentException("carnet.exports.shred-after must not be negative");
        }
        if (canaries < 0 || canaries > 50) {
            throw new IllegalArgumentException("carnet.exports.canaries must be between 0 and 50");
        }
    }
}
