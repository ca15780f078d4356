package org.carnet.identity;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * @param tokenLifetime how long an API bearer token lives (15 minutes by default)
 * @param docsPublic whether the OpenAPI description and Swagger UI are open to anyone (the embedded demo's
 *     default); when false only a signed-in user sees them. A production deployment sets it false.
 */
@Validated
@ConfigurationProperties("carnet.api")
record ApiProperties(@NotNull Duration tokenLifetime, boolean docsPublic) {
    ApiProperties {
        if (tokenLifetime != null
                && (tokenLifetime.isNegative() || tokenLifetime.isZero() || tokenLifetime.toHours() > 24)) {
            throw new IllegalArgumentException("carnet.api.token-lifetime must be between 1 second and 24 hours");
        }
    }
}
