package org.carnet.clients;

import org.carnet.shared.Actor;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * A request under {@code /fhir/**} authenticated by a program's access token: the principal is the
 * {@link Actor.Client}, the authorities {@code SCOPE_} and each granted scope. The token itself is not kept.
 */
public final class ClientAuthentication extends AbstractAuthenticationToken {

    private final Actor.Client client;

    public ClientAuthentication(Actor.Client client) {
        super(client.scopes().stream()
                .sorted()
                .map(scope -> new SimpleGrantedAuthority("SCOPE_" + scope))
                .toList());
        this.client = client;
        setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public Actor.Client getPrincipal() {
        return client;
    }

    @Override
    public String getName() {
        return client.clientId().toString();
    }
}
