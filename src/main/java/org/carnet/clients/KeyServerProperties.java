package org.carnet.clients;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where a program's JWKS URL may point. By default only {@code https} to a host whose every address is
 * public: never loopback, private, link-local or otherwise internal, so that registering a program
 * cannot make Carnet call into its own network (SSRF).
 *
 * @param allowedHosts hosts (exactly as in the URL, such as {@code keys.example.internal} or {@code
 *     127.0.0.1}) an operator trusts: their JWKS URL may resolve to an internal address and may use plain
 *     {@code http}. Empty by default.
 */
@Validated
@ConfigurationProperties("carnet.clients.jwks-uri")
public record KeyServerProperties(
        @DefaultValue({}) @Size(max = 100) List<@NotBlank @Size(max = 253) String> allowedHosts) {

    public KeyServerProperties {
        allowedHosts = List.copyOf(allowedHosts);
    }
}
