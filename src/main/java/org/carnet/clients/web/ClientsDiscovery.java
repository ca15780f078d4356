package org.carnet.clients.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.carnet.clients.SmartScope;
import org.carnet.clients.internal.AssertionDecoders;
import org.carnet.clients.internal.SigningKeys;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * What Carnet's authorization server supports, said once and served twice: as SMART's
 * {@code /.well-known/smart-configuration} and as OAuth 2.0 authorization server metadata (RFC 8414).
 * SMART Backend Services (client credentials) and, for a program acting for a signed-in professional,
 * the authorization code with PKCE (S256 only), both with a {@code private_key_jwt} assertion; no
 * refresh token (so no {@code offline_access} or {@code online_access}), no launch context, no OpenID
 * Connect (no ID token is issued, so no OpenID discovery document either).
 */
@RestController
class ClientsDiscovery {

    static final String SMART_CONFIGURATION = "/.well-known/smart-configuration";
    static final String OAUTH_METADATA = "/.well-known/oauth-authorization-server";

    static final String AUTHORIZE = "/oauth2/authorize";
    static final String TOKEN = "/oauth2/token";
    static final String INTROSPECT = "/oauth2/introspect";
    static final String REVOKE = "/oauth2/revoke";
    static final String JWKS = "/oauth2/jwks";

    /**
     * Every scope a program can be granted: system/ and user/ scopes of Carnet's resources, any
     * permissions, and Carnet's own scopes (contact details, visit motive).
     */
    static List<String> scopesSupported() {
        return java.util.stream.Stream.of(
                        SmartScope.RESOURCES.stream().sorted().map(resource -> "system/" + resource + ".cruds"),
                        SmartScope.RESOURCES.stream().sorted().map(resource -> "user/" + resource + ".cruds"),
                        SmartScope.CARNET_SCOPES.stream().sorted())
                .flatMap(scopes -> scopes)
                .toList();
    }

    static Map<String, Object> metadata(String issuer) {
        List<String> auth = List.of("private_key_jwt");
        List<String> algorithms = AssertionDecoders.ALGORITHMS.stream()
                .map(Object::toString)
                .sorted()
                .toList();
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("issuer", issuer);
        metadata.put("authorization_endpoint", issuer + AUTHORIZE);
        metadata.put("token_endpoint", issuer + TOKEN);
        metadata.put("jwks_uri", issuer + JWKS);
        metadata.put("grant_types_supported", List.of("authorization_code", "client_credentials"));
        metadata.put("response_types_supported", List.of("code"));
        metadata.put("response_modes_supported", List.of("query"));
        metadata.put("code_challenge_methods_supported", List.of("S256"));
        metadata.put("token_endpoint_auth_methods_supported", auth);
        metadata.put("token_endpoint_auth_signing_alg_values_supported", algorithms);
        metadata.put("scopes_supported", scopesSupported());
        metadata.put("revocation_endpoint", issuer + REVOKE);
        metadata.put("revocation_endpoint_auth_methods_supported", auth);
        metadata.put("revocation_endpoint_auth_signing_alg_values_supported", algorithms);
        metadata.put("introspection_endpoint", issuer + INTROSPECT);
        metadata.put("introspection_endpoint_auth_methods_supported", auth);
        metadata.put("introspection_endpoint_auth_signing_alg_values_supported", algorithms);
        metadata.put("access_token_signing_alg_values_supported", List.of(SigningKeys.ALGORITHM.getName()));
        return metadata;
    }

    @GetMapping(value = SMART_CONFIGURATION, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> smartConfiguration(HttpServletRequest request) {
        Map<String, Object> smart = metadata(issuer());
        // launch-standalone: a program starts the flow itself (no EHR launch, so no launch-ehr); no launch
        // context (context-standalone-patient and the like), no refresh token (no permission-offline or
        // permission-online), no public clients (no client-public), no OpenID (no sso-openid-connect).
        smart.put(
                "capabilities",
                List.of("launch-standalone", "client-confidential-asymmetric", "permission-v2", "permission-user"));
        return ResponseEntity.ok().cacheControl(CacheControl.noCache()).body(smart);
    }

    @GetMapping(value = OAUTH_METADATA, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> oauthMetadata(HttpServletRequest request) {
        return ResponseEntity.ok().cacheControl(CacheControl.noCache()).body(metadata(issuer()));
    }

    /** The issuer as the authorization server derives it from the request: scheme, host, port, context path. */
    private static String issuer() {
        return ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString();
    }
}
