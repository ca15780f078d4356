package org.carnet.clients.internal;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.net.URL;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.carnet.clients.ThirdPartyClient;
import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.stereotype.Component;

/**
 * The authorization server's record of the tokens it issued, in the database (so every node sees a
 * revocation at once) and without the tokens themselves: {@link IssuedTokens} keeps their hashes and
 * claims. A record is found again by the token's value, which the caller holds; the value is put back
 * into the record it gets. A token is inactive once revoked, expired, or its program is no longer
 * {@code ACTIVE}.
 *
 * <p>Only client credentials are issued here, so nothing ever looks a record up by id; {@link
 * #findById} finds nothing.
 */
@Component
public class HashedAuthorizations implements OAuth2AuthorizationService {

    private static final Set<String> INSTANTS = Set.of("iat", "exp", "nbf");

    private final IssuedTokens tokens;
    private final ClientStore clients;
    private final Clock clock;

    HashedAuthorizations(IssuedTokens tokens, ClientStore clients, Clock clock) {
        this.tokens = tokens;
        this.clients = clients;
        this.clock = clock;
    }

    @Override
    public void save(OAuth2Authorization authorization) {
        OAuth2Authorization.Token<OAuth2AccessToken> access = authorization.getAccessToken();
        if (access == null) {
            throw new IllegalArgumentException("Only access tokens are issued here");
        }
        if (tokens.exists(authorization.getId())) {
            if (access.isInvalidated()) {
                tokens.revoke(authorization.getId(), clock.instant());
            }
            return;
        }
        UUID clientId = UUID.fromString(authorization.getRegisteredClientId());
        ThirdPartyClient client =
                clients.find(clientId).orElseThrow(() -> new IllegalStateException("A token for an unknown program"));
        OAuth2AccessToken token = access.getToken();
        Instant issued = Objects.requireNonNull(token.getIssuedAt(), "issued at");
        tokens.insert(
                client.establishment(),
                authorization.getId(),
                clientId,
                token.getTokenValue(),
                token.getScopes(),
                json(access.getClaims()),
                issued,
                Objects.requireNonNull(token.getExpiresAt(), "expires at"));
        clients.tokenIssued(clientId, issued);
    }

    @Override
    public void remove(OAuth2Authorization authorization) {
        tokens.delete(authorization.getId());
    }

    @Override
    public @Nullable OAuth2Authorization findById(String id) {
        return null;
    }

    @Override
    public @Nullable OAuth2Authorization findByToken(String token, @Nullable OAuth2TokenType tokenType) {
        if (tokenType != null && !OAuth2TokenType.ACCESS_TOKEN.equals(tokenType)) {
            return null;
        }
        Optional<IssuedTokens.Issued> found = tokens.find(token);
        if (found.isEmpty()) {
            return null;
        }
        IssuedTokens.Issued issued = found.get();
        boolean usable = issued.usable(clock.instant());
        OAuth2AccessToken access = new OAuth2AccessToken(
                OAuth2AccessToken.TokenType.BEARER, token, issued.issuedAt(), issued.expiresAt(), issued.scopes());
        Map<String, Object> claims = claims(issued.claims());
        return OAuth2Authorization.withRegisteredClient(clients.find(issued.clientId())
                        .map(Registrations::registered)
                        .orElseThrow(() -> new IllegalStateException("A token of an unknown program")))
                .id(issued.id())
                .principalName(issued.clientId().toString())
                .authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
                .authorizedScopes(issued.scopes())
                .token(access, metadata -> {
                    metadata.put(OAuth2Authorization.Token.CLAIMS_METADATA_NAME, claims);
                    metadata.put(OAuth2Authorization.Token.INVALIDATED_METADATA_NAME, !usable);
                })
                .build();
    }

    /** The claims as JSON: instants as seconds, collections as arrays. */
    static String json(@Nullable Map<String, Object> claims) {
        Map<String, Object> plain = new LinkedHashMap<>();
        if (claims != null) {
            claims.forEach((name, value) -> {
                if (value instanceof Instant instant) {
                    plain.put(name, instant.getEpochSecond());
                } else if (value instanceof Collection<?> values) {
                    plain.put(
                            name,
                            new ArrayList<>(values.stream().map(String::valueOf).toList()));
                } else if (value instanceof URL url) {
                    plain.put(name, url.toString());
                } else {
                    plain.put(name, String.valueOf(value));
                }
            });
        }
        return JSONObjectUtils.toJSONString(plain);
    }

    static Map<String, Object> claims(String json) {
        try {
            Map<String, Object> claims = new LinkedHashMap<>(JSONObjectUtils.parse(json));
            for (String name : INSTANTS) {
                if (claims.get(name) instanceof Number seconds) {
                    claims.put(name, Instant.ofEpochSecond(seconds.longValue()));
                }
            }
            return claims;
        } catch (ParseException e) {
            throw new IllegalStateException("Stored claims do not parse", e);
        }
    }
}
