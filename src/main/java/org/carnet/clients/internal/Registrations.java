package org.carnet.clients.internal;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.carnet.clients.ClientStatus;
import org.carnet.clients.SmartScope;
import org.carnet.clients.ThirdPartyClient;
import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.stereotype.Component;

/**
 * The authorization server's view of Carnet's registered programs: only an {@code ACTIVE} program
 * exists for it (a pending, suspended, refused or revoked one fails client authentication), with
 * {@code private_key_jwt} authentication, its approved scopes and 5-minute access tokens; the client
 * credentials grant always, and for a program acting for professionals ({@code user/} scopes and
 * redirect URIs) the authorization code grant too, with PKCE required, consent asked every time and
 * 2-minute codes, and the {@code openid} scope (an ID token, ES384, naming the person by a pairwise
 * pseudonym, {@link PairwiseSubjects}). No refresh token, ever. Registrations are made through {@link
 * org.carnet.clients.Clients}, never through this repository.
 */
@Component
public class Registrations implements RegisteredClientRepository {

    /**
     * The client setting that carries the program's JWK Set (public keys) to the assertion decoder; a
     * program that publishes its keys at a URL has the standard {@code jwkSetUrl} setting instead.
     */
    public static final String JWKS = "carnet.jwks";

    public static final Duration TOKEN_LIFETIME = Duration.ofMinutes(5);

    public static final Duration CODE_LIFETIME = Duration.ofMinutes(2);

    private final ClientStore store;

    Registrations(ClientStore store) {
        this.store = store;
    }

    @Override
    public void save(RegisteredClient registeredClient) {
        throw new UnsupportedOperationException("Programs are registered by an administrator and a security officer");
    }

    @Override
    public @Nullable RegisteredClient findById(String id) {
        return findByClientId(id);
    }

    @Override
    public @Nullable RegisteredClient findByClientId(String clientId) {
        return parse(clientId)
                .flatMap(store::find)
                .filter(client -> client.status() == ClientStatus.ACTIVE)
                .map(Registrations::registered)
                .orElse(null);
    }

    static RegisteredClient registered(ThirdPartyClient client) {
        String id = client.id().toString();
        ClientSettings.Builder settings = ClientSettings.builder()
                .tokenEndpointAuthenticationSigningAlgorithm(SignatureAlgorithm.ES384)
                .requireProofKey(true)
                .requireAuthorizationConsent(true);
        String jwks = client.keys().json();
        if (jwks != null) {
            settings.setting(JWKS, jwks);
        } else {
            settings.jwkSetUrl(java.util.Objects.requireNonNull(client.keys().uri(), "jwks_uri")
                    .toString());
        }
        RegisteredClient.Builder registered = RegisteredClient.withId(id)
                .clientId(id)
                .clientIdIssuedAt(client.requestedAt())
                .clientName(client.program())
                .clientAuthenticationMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT)
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .scopes(scopes ->
                        client.scopes().stream().map(SmartScope::toString).forEach(scopes::add))
                .clientSettings(settings.build())
                .tokenSettings(TokenSettings.builder()
                        .accessTokenFormat(OAuth2TokenFormat.SELF_CONTAINED)
                        .accessTokenTimeToLive(TOKEN_LIFETIME)
                        .authorizationCodeTimeToLive(CODE_LIFETIME)
                        .idTokenSignatureAlgorithm(SignatureAlgorithm.ES384)
                        .reuseRefreshTokens(false)
                        .build());
        if (client.actsForPeople()) {
            registered
                    .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                    .redirectUris(uris -> uris.addAll(client.redirectUris()))
                    // It may also learn who signed in, as a pairwise pseudonym (an ID token, OpenID Connect).
                    .scope(OidcScopes.OPENID);
        }
        return registered.build();
    }

    private static Optional<UUID> parse(String clientId) {
        try {
            return clientId.length() == 36 ? Optional.of(UUID.fromString(clientId)) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
