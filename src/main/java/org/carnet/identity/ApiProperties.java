package org.carnet.identity;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * @param tokenLifetime how long an API bearer token lives (15 minutes by default)
 * @param tokenCache how long a node may answer for a bearer token it checked in the database without
 *     checking again (2 seconds by default; zero checks every request): the longest a token revoked on
 *     another node still works here. A token revoked on this node stops working at once.
 * @param docsPublic whether the OpenAPI description and Swagger UI are open to anyone (the embedded demo's
 *     default); when false only a signed-in user sees them. A production deployment sets it false.
 */
@Validated
@ConfigurationProperties("carnet.api")
record ApiProperties(
        @NotNull Duration tokenLifetime, @NotNull Duration tokenCache, boolean docsPublic) {
    ApiProperties {
        if (tokenLifetime != null
                && (tokenLifetime.isNegative() || tokenLifetime.isZero() || tokenLifetime.toHours() > 24)) {
            throw new IllegalArgumentException("carnet.api.token-lifetime must be between 1 second and 24 hours");
        }
        if (tokenCache != null && (tokenCache.isNegative() || tokenCache.toSeconds() > 60)) {
            throw new IllegalArgumentException("carnet.api.token-cache must be between 0 and 60 seconds");
        }
    }
}
