package org.carnet.clients;

import java.util.List;
import java.util.Map;

/**
 * An administrator's request to register a program: its name, purpose, scopes, JWK Set and, for a
 * program acting for signed-in professionals ({@code user/} scopes), its redirect URIs.
 */
public record NewClient(
        String name, String purpose, List<String> scopes, Map<String, Object> jwks, List<String> redirectUris) {

    public NewClient(String name, String purpose, List<String> scopes, Map<String, Object> jwks) {
        this(name, purpose, scopes, jwks, List.of());
    }

    public NewClient {
        scopes = List.copyOf(scopes);
        redirectUris = List.copyOf(redirectUris);
        jwks = Map.copyOf(jwks);
    }
}
