package org.carnet.clients;

import java.util.List;
import java.util.Map;

/** An administrator's request to register a program: its name, purpose, scopes and JWK Set. */
public record NewClient(String name, String purpose, List<String> scopes, Map<String, Object> jwks) {

    public NewClient {
        scopes = List.copyOf(scopes);
        jwks = Map.copyOf(jwks);
    }
}
