package org.carnet.clients.web;

import java.util.List;
import java.util.function.Consumer;
import org.carnet.clients.SmartScope;
import org.carnet.shared.InvalidRequestException;
import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/**
 * What an authorization request must be, beyond Spring Authorization Server's own checks (grant type,
 * PKCE with S256 only): a {@code redirect_uri}, equal character for character to one the program
 * registered (else a plain 400, never a redirect to it); a state and a nonce of reasonable size; and at
 * least one scope, each a {@code user/} scope (or one of Carnet's) covered by what the program was
 * granted, with SMART v2's meaning ({@code user/Slot.rs} lets it ask for {@code user/Slot.r}), or
 * {@code openid}.
 */
final class AuthorizationRequestRules implements Consumer<OAuth2AuthorizationCodeRequestAuthenticationContext> {

    static final int MAX_STATE = 500;
    static final int MAX_NONCE = 200;

    @Override
    public void accept(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
        OAuth2AuthorizationCodeRequestAuthenticationToken request = context.getAuthentication();
        RegisteredClient client = context.getRegisteredClient();
        String redirectUri = request.getRedirectUri();
        if (redirectUri == null || !client.getRedirectUris().contains(redirectUri)) {
            // Not one of the program's: nothing is sent there.
            throw refused(OAuth2ErrorCodes.INVALID_REQUEST, "redirect_uri is not one the program registered", null);
        }
        String state = request.getState();
        if (state != null && state.length() > MAX_STATE) {
            throw refused(OAuth2ErrorCodes.INVALID_REQUEST, "state is too long", request);
        }
        if (request.getScopes().isEmpty()) {
            throw refused(OAuth2ErrorCodes.INVALID_SCOPE, "scope is required", request);
        }
        if (request.getAdditionalParameters().get(OidcParameterNames.NONCE) instanceof String nonce
                && nonce.length() > MAX_NONCE) {
            throw refused(OAuth2ErrorCodes.INVALID_REQUEST, "nonce is too long", request);
        }
        List<SmartScope> granted = client.getScopes().stream()
                .filter(scope -> !scope.equals(OidcScopes.OPENID))
                .map(scope -> SmartScope.parse(scope, "scope"))
                .toList();
        for (String scope : request.getScopes()) {
            if (scope.equals(OidcScopes.OPENID) && client.getScopes().contains(OidcScopes.OPENID)) {
                continue; // an ID token as well: who signed in, as a pairwise pseudonym
            }
            SmartScope wanted;
            try {
                wanted = SmartScope.parse(scope, "scope");
            } catch (InvalidRequestException e) {
                throw refused(OAuth2ErrorCodes.INVALID_SCOPE, "unknown scope", request);
            }
            if (wanted.context().equals("system")) {
                throw refused(
                        OAuth2ErrorCodes.INVALID_SCOPE,
                        "a program acting for a professional asks for user/ scopes",
                        request);
            }
            if (granted.stream().noneMatch(g -> g.covers(wanted))) {
                throw refused(OAuth2ErrorCodes.INVALID_SCOPE, "a scope beyond what the program was granted", request);
            }
        }
    }

    private static OAuth2AuthorizationCodeRequestAuthenticationException refused(
            String code, String why, @Nullable OAuth2AuthorizationCodeRequestAuthenticationToken request) {
        return new OAuth2AuthorizationCodeRequestAuthenticationException(new OAuth2Error(code, why, null), request);
    }
}
