package org.carnet.demo;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * @param enabled whether an empty directory is seeded at start; unset: only on the embedded H2 default
 * @param establishments how many establishments to create
 * @param practitionersPerEstablishment how many practitioners each has
 * @param program whether the demo data include an approved demo program, its private key under the data directory
 */
@Validated
@ConfigurationProperties("carnet.demo")
record DemoProperties(
        @Nullable Boolean enabled,
        @Min(1) @Max(100_000) int establishments,
        @Min(1) @Max(1000) int practitionersPerEstablishment,

        @org.springframework.boot.context.properties.bind.DefaultValue("true")
        boolean program) {}
