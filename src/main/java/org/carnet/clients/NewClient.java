package org.carnet.clients;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An administrator's request to register a program: its name, purpose, scopes, public keys (a JWK Set,
 * or the JWKS URL where the program publishes them: exactly one of the two) and, for a program acting
 * for signed-in professionals ({@code user/} scopes), its redirect URIs.
 */
public record NewClient(
        String name,
        String purpose,
        List<String> scopes,
        @Nullable Map<String, Object> jwks,
        @Nullable String jwksUri,
        List<String> redirectUris) {

    public NewClient(String name, String purpose, List<String> scopes, Map<String, Object> jwks) {
        this(name, purpose, scopes, jwks, null, List.of());
    }

    public NewClient(
            String name, String purpose, List<String> scopes, Map<String, Object> jwks, List<String> redirectUris) {
        this(name, purpose, scopes, jwks, null, redirectUris);
    }

    public NewClient {
        scopes = List.copyOf(scopes);
        redirectUris = List.copyOf(redirectUris);
        jwks = jwks == null ? null : Map.copyOf(jwks);
    }
}
