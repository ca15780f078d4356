package org.carnet.clients.web;

import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenIntrospection;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenIntrospectionAuthenticationToken;

/**
 * Introspection (RFC 7662) answers a program about its own tokens only: another program's token is
 * reported inactive, so one program cannot learn another's scopes or establishment.
 */
final class OwnTokensOnly implements AuthenticationProvider {

    private final AuthenticationProvider introspection;

    OwnTokensOnly(AuthenticationProvider introspection) {
        this.introspection = introspection;
    }

    @Override
    public @Nullable Authentication authenticate(Authentication authentication) {
        Authentication result = introspection.authenticate(authentication);
        if (result instanceof OAuth2TokenIntrospectionAuthenticationToken answer
                && answer.getTokenClaims().isActive()
                && answer.getPrincipal() instanceof OAuth2ClientAuthenticationToken caller
                && caller.getRegisteredClient() != null
                && !caller.getRegisteredClient()
                        .getClientId()
                        .equals(answer.getTokenClaims().getClientId())) {
            return new OAuth2TokenIntrospectionAuthenticationToken(
                    answer.getToken(),
                    caller,
                    OAuth2TokenIntrospection.builder().build());
        }
        return result;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return introspection.supports(authentication);
    }
}
