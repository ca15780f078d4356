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
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * What Carnet's authorization server supports, said once and served three times: as SMART's
 * {@code /.well-known/smart-configuration}, as OAuth 2.0 authorization server metadata (RFC 8414) and
 * as OpenID Connect discovery. SMART Backend Services (client credentials) and, for a program acting
 * for a signed-in professional, the authorization code with PKCE (S256 only), both with a {@code
 * private_key_jwt} assertion; with {@code openid}, the authorization code also gives an ES384 ID token
 * naming the person by a pairwise pseudonym. No refresh token (so no {@code offline_access} or {@code
 * online_access}), no launch context, no userinfo endpoint, no {@code fhirUser} (so not SMART's
 * {@code sso-openid-connect} profile).
 */
@RestController
class ClientsDiscovery {

    static final String SMART_CONFIGURATION = "/.well-known/smart-configuration";
    static final String OAUTH_METADATA = "/.well-known/oauth-authorization-server";
    static final String OPENID_CONFIGURATION = "/.well-known/openid-configuration";

    static final String AUTHORIZE = "/oauth2/authorize";
    static final String TOKEN = "/oauth2/token";
    static final String INTROSPECT = "/oauth2/introspect";
    static final String REVOKE = "/oauth2/revoke";
    static final String JWKS = "/oauth2/jwks";

    /**
     * Every scope a program can be granted: system/ and user/ scopes of Carnet's resources, any
     * permissions, Carnet's own scopes (contact details, visit motive), and {@code openid} (an ID token
     * with the authorization code).
     */
    static List<String> scopesSupported() {
        return java.util.stream.Stream.of(
                        java.util.stream.Stream.of(OidcScopes.OPENID),
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
        // permission-online), no public clients (no client-public). ID tokens (openid) yes, but not SMART's
        // OpenID Connect profile (no fhirUser: the program learns a pairwise pseudonym, not whose
        // Practitioner record it is), so no sso-openid-connect.
        smart.put(
                "capabilities",
                List.of("launch-standalone", "client-confidential-asymmetric", "permission-v2", "permission-user"));
        return ResponseEntity.ok().cacheControl(CacheControl.noCache()).body(smart);
    }

    /**
     * OpenID Connect discovery: the same server, with what its ID tokens are. It departs from the
     * discovery specification on one point, on purpose: ES384 only, no RS256 (Carnet signs with one EC
     * P-384 key, as SMART asks; an RSA key only for this would be a second key to guard).
     */
    @GetMapping(value = OPENID_CONFIGURATION, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> openidConfiguration() {
        Map<String, Object> openid = metadata(issuer());
        openid.put("subject_types_supported", List.of("pairwise"));
        openid.put("id_token_signing_alg_values_supported", List.of(SigningKeys.ALGORITHM.getName()));
        openid.put("claims_supported", List.of("iss", "sub", "aud", "exp", "iat", "jti", "azp", "nonce"));
        openid.put("claims_parameter_supported", false);
        openid.put("request_parameter_supported", false);
        openid.put("request_uri_parameter_supported", false);
        return ResponseEntity.ok().cacheControl(CacheControl.noCache()).body(openid);
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
