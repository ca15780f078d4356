package org.carnet.crypto;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code carnet.crypto.rotation.*}: how {@code keys rotate-master} and {@code keys rotate-data} work through
 * the database (docs/operations.md, "Keys").
 *
 * @param batchSize rows re-wrapped or re-sealed per transaction: each batch is short, so bookings go on
 * @param settle how long a rotation keeps checking, after its new key is made, for values the running nodes
 *     still wrap or seal with the old one (they take the new key within five seconds); it finishes only once
 *     this has passed and a last pass found none
 */
@Validated
@ConfigurationProperties("carnet.crypto.rotation")
record RotationProperties(
        @DefaultValue("200") @Min(1) @Max(10_000) int batchSize,
        @DefaultValue("PT15S") @NotNull Duration settle) {}
