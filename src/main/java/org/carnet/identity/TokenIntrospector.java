package org.carnet.identity;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.stereotype.Component;

/** Resolves Carnet's opaque bearer tokens against the token table. */
@Component
class TokenIntrospector implements OpaqueTokenIntrospector {

    record TokenPrincipal(CarnetPrincipal carnetPrincipal)
            implements OAuth2AuthenticatedPrincipal, CarnetPrincipal.Holder {

        @Override
        public Map<String, Object> getAttributes() {
            return Map.of("sub", carnetPrincipal.userId().toString());
        }

        @Override
        public Collection<? extends GrantedAuthority> getAuthorities() {
            return List.of(new SimpleGrantedAuthority(carnetPrincipal.role().authority()));
        }

        @Override
        public String getName() {
            return carnetPrincipal.userId().toString();
        }
    }

    private final AccessTokens tokens;

    TokenIntrospector(AccessTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public OAuth2AuthenticatedPrincipal introspect(String token) {
        return tokens.principalOf(token)
                .map(TokenPrincipal::new)
                .orElseThrow(() -> new BadOpaqueTokenException("Token unknown, expired or revoked"));
    }
}
