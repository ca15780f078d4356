package org.carnet.clients.internal;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.PkceParameterNames;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;

/**
 * An authorization request as {@link AuthorizationGrants} stores it: only what the token request is
 * checked against (client, redirect URI, scopes, the program's state, the PKCE challenge and method, the
 * OpenID Connect nonce to return in the ID token);
 * any other parameter the program sent is dropped.
 */
final class AuthorizationRequests {

    private AuthorizationRequests() {}

    static String json(OAuth2AuthorizationRequest request) {
        Map<String, Object> stored = new LinkedHashMap<>();
        stored.put("authorization_uri", request.getAuthorizationUri());
        stored.put("client_id", request.getClientId());
        stored.put("redirect_uri", request.getRedirectUri());
        stored.put("scopes", new ArrayList<>(request.getScopes()));
        stored.put("state", request.getState());
        stored.put(
                PkceParameterNames.CODE_CHALLENGE,
                request.getAdditionalParameters().get(PkceParameterNames.CODE_CHALLENGE));
        stored.put(
                PkceParameterNames.CODE_CHALLENGE_METHOD,
                request.getAdditionalParameters().get(PkceParameterNames.CODE_CHALLENGE_METHOD));
        stored.put(OidcParameterNames.NONCE, request.getAdditionalParameters().get(OidcParameterNames.NONCE));
        return JSONObjectUtils.toJSONString(stored);
    }

    static OAuth2AuthorizationRequest parse(String json) {
        try {
            Map<String, Object> stored = JSONObjectUtils.parse(json);
            Map<String, Object> pkce = new LinkedHashMap<>();
            for (String name : List.of(
                    PkceParameterNames.CODE_CHALLENGE,
                    PkceParameterNames.CODE_CHALLENGE_METHOD,
                    OidcParameterNames.NONCE)) {
                if (stored.get(name) instanceof String value) {
                    pkce.put(name, value);
                }
            }
            return OAuth2AuthorizationRequest.authorizationCode()
                    .authorizationUri(JSONObjectUtils.getString(stored, "authorization_uri"))
                    .clientId(JSONObjectUtils.getString(stored, "client_id"))
                    .redirectUri(JSONObjectUtils.getString(stored, "redirect_uri"))
                    .scopes(new LinkedHashSet<>(JSONObjectUtils.getStringList(stored, "scopes")))
                    .state(JSONObjectUtils.getString(stored, "state"))
                    .additionalParameters(pkce)
                    .build();
        } catch (ParseException e) {
            throw new IllegalStateException("A stored authorization request does not parse", e);
        }
    }
}
