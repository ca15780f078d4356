package org.carnet.clients;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Per-program quotas (issue 13, item 5), the same for every program, shared by every node through the
 * database. Beyond either: 429 with {@code Retry-After}, until the window ends.
 *
 * @param requestsPerMinute {@code /fhir} requests a program's tokens may make per calendar minute
 * @param patientsPerHour distinct patients a program may be shown per calendar hour (UTC); patients it
 *     was already shown within the hour do not count again
 */
@Validated
@ConfigurationProperties("carnet.clients.quotas")
public record ClientQuotaProperties(
        @DefaultValue("600") @Min(1) @Max(1_000_000) int requestsPerMinute,
        @DefaultValue("2000") @Min(1) @Max(10_000_000) int patientsPerHour) {}
