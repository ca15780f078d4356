package org.carnet.scheduling;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.time.ZoneId;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * @param cancellationCutoff how long before its start an appointment can still be cancelled online
 * @param horizonWeeks how many weeks ahead slots are kept generated
 * @param zone the time zone opening hours are expressed in
 */
@Validated
@ConfigurationProperties("carnet.booking")
public record BookingProperties(
        @NotNull Duration cancellationCutoff,
        @Min(1) @Max(52) int horizonWeeks,
        @NotNull ZoneId zone) {
    public BookingProperties {
        if (cancellationCutoff != null && cancellationCutoff.isNegative()) {
            throw new IllegalArgumentException("carnet.booking.cancellation-cutoff must not be negative");
        }
    }
}
