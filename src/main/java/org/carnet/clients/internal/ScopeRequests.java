package org.carnet.clients.internal;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.carnet.clients.SmartScope;
import org.carnet.shared.InvalidRequestException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationToken;

/**
 * The scopes a token request may ask for, with SMART v2's meaning: at least one, each covered by a
 * scope the program was granted ({@code system/Slot.rs} lets it ask for {@code system/Slot.r}), never
 * more. The token then carries exactly what was asked.
 */
public final class ScopeRequests implements Consumer<OAuth2ClientCredentialsAuthenticationContext> {

    @Override
    public void accept(OAuth2ClientCredentialsAuthenticationContext context) {
        Set<String> requested = context.<OAuth2ClientCredentialsAuthenticationToken>getAuthentication()
                .getScopes();
        if (requested.isEmpty()) {
            throw invalid("scope is required");
        }
        // openid is not a SMART scope: it only serves the authorization code (an ID token), never here.
        List<SmartScope> granted = context.getRegisteredClient().getScopes().stream()
                .filter(scope -> !scope.equals(OidcScopes.OPENID))
                .map(scope -> SmartScope.parse(scope, "scope"))
                .toList();
        for (String scope : requested) {
            SmartScope wanted;
            try {
                wanted = SmartScope.parse(scope, "scope");
            } catch (InvalidRequestException e) {
                throw invalid("unknown scope");
            }
            if (wanted.context().equals("user")) {
                throw invalid("user/ scopes are granted by a signed-in professional (authorization code), not here");
            }
            if (granted.stream().noneMatch(g -> g.covers(wanted))) {
                throw invalid("a scope beyond what the program was granted");
            }
        }
    }

    private static OAuth2AuthenticationException invalid(String why) {
        return new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_SCOPE, why, null));
    }
}
