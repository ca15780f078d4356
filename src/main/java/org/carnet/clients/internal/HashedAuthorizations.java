package org.carnet.clients.internal;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.net.URL;
import java.security.Principal;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.carnet.clients.ThirdPartyClient;
import org.jspecify.annotations.Nullable;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationCode;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.stereotype.Component;

/**
 * The authorization server's record of what it issued, in the database (so every node sees a revocation
 * at once) and without the secrets themselves: {@link IssuedTokens} keeps access tokens' hashes and
 * claims, {@link AuthorizationGrants} an authorization code flow in flight (its consent state, then its
 * one-use code, both hashed). A record is found again by the value the caller holds; that value is put
 * back into the record it gets. A token is inactive once revoked, expired, or its program is no longer
 * {@code ACTIVE}.
 *
 * <p>A grant's id is the id of the token it leads to: presenting a spent code again finds the token and
 * revokes it (RFC 6749 §4.1.2). Nothing looks a record up by id alone; {@link #findById} finds nothing.
 */
@Component
public class HashedAuthorizations implements OAuth2AuthorizationService {

    private static final Set<String> INSTANTS = Set.of("iat", "exp", "nbf");
    private static final OAuth2TokenType STATE = new OAuth2TokenType(OAuth2ParameterNames.STATE);
    private static final OAuth2TokenType CODE = new OAuth2TokenType(OAuth2ParameterNames.CODE);
    /** A spent grant's token, found again by its id only: the value itself was never kept. */
    private static final String NOT_KEPT = "not-kept";

    private final IssuedTokens tokens;
    private final AuthorizationGrants grants;
    private final ClientStore clients;
    private final Clock clock;

    HashedAuthorizations(IssuedTokens tokens, AuthorizationGrants grants, ClientStore clients, Clock clock) {
        this.tokens = tokens;
        this.grants = grants;
        this.clients = clients;
        this.clock = clock;
    }

    @Override
    public void save(OAuth2Authorization authorization) {
        OAuth2Authorization.Token<OAuth2AccessToken> access = authorization.getAccessToken();
        OAuth2Authorization.Token<OAuth2AuthorizationCode> code = authorization.getToken(OAuth2AuthorizationCode.class);
        if (access == null) {
            saveInFlight(authorization, code);
            return;
        }
        if (tokens.exists(authorization.getId())) {
            if (access.isInvalidated()) {
                tokens.revoke(authorization.getId(), clock.instant());
                return;
            }
            throw spentCode(); // a second exchange of one code, side by side with the first
        }
        if (code != null && code.isInvalidated() && !grants.codeUsed(authorization.getId(), clock.instant())) {
            throw spentCode(); // the code was spent meanwhile
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
                actsFor(authorization),
                token.getTokenValue(),
                token.getScopes(),
                json(access.getClaims()),
                issued,
                Objects.requireNonNull(token.getExpiresAt(), "expires at"));
        clients.tokenIssued(clientId, issued);
    }

    /** The consent state (a new grant), then the code (consent given), then the code spent without a token. */
    private void saveInFlight(
            OAuth2Authorization authorization, OAuth2Authorization.@Nullable Token<OAuth2AuthorizationCode> code) {
        if (code != null) {
            OAuth2AuthorizationCode value = code.getToken();
            if (code.isInvalidated()) {
                grants.codeUsed(authorization.getId(), clock.instant());
            } else if (!grants.codeIssued(
                    authorization.getId(),
                    value.getTokenValue(),
                    authorization.getAuthorizedScopes(),
                    Objects.requireNonNull(value.getIssuedAt(), "issued at"),
                    Objects.requireNonNull(value.getExpiresAt(), "expires at"))) {
                // Carnet always asks for consent, so a code is only ever issued to a grant awaiting it.
                throw new IllegalStateException("A code for an authorization that awaits no consent");
            }
            return;
        }
        String state = authorization.getAttribute(OAuth2ParameterNames.STATE);
        OAuth2AuthorizationRequest request = authorization.getAttribute(OAuth2AuthorizationRequest.class.getName());
        UUID userId = actsFor(authorization);
        if (state == null || request == null || userId == null) {
            throw new IllegalArgumentException("Only access tokens and authorization codes are issued here");
        }
        UUID clientId = UUID.fromString(authorization.getRegisteredClientId());
        ThirdPartyClient client =
                clients.find(clientId).orElseThrow(() -> new IllegalStateException("A grant for an unknown program"));
        grants.awaitConsent(
                client.establishment(),
                authorization.getId(),
                clientId,
                userId,
                AuthorizationRequests.json(request),
                request.getScopes(),
                state,
                clock.instant());
    }

    private static OAuth2AuthenticationException spentCode() {
        return new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_GRANT);
    }

    /** The login an authorization code acts for; {@code null} for client credentials. */
    private static @Nullable UUID actsFor(OAuth2Authorization authorization) {
        return AuthorizationGrantType.AUTHORIZATION_CODE.equals(authorization.getAuthorizationGrantType())
                ? UUID.fromString(authorization.getPrincipalName())
                : null;
    }

    @Override
    public void remove(OAuth2Authorization authorization) {
        grants.delete(authorization.getId());
        tokens.delete(authorization.getId());
    }

    @Override
    public @Nullable OAuth2Authorization findById(String id) {
        return null;
    }

    @Override
    public @Nullable OAuth2Authorization findByToken(String token, @Nullable OAuth2TokenType tokenType) {
        if (tokenType == null || OAuth2TokenType.ACCESS_TOKEN.equals(tokenType)) {
            return accessToken(token);
        }
        if (STATE.equals(tokenType)) {
            return grants.byState(token, clock.instant())
                    .map(grant -> inFlight(grant, token, null))
                    .orElse(null);
        }
        if (CODE.equals(tokenType)) {
            return grants.byCode(token)
                    .map(grant -> inFlight(grant, null, token))
                    .orElse(null);
        }
        return null;
    }

    private @Nullable OAuth2Authorization accessToken(String token) {
        Optional<IssuedTokens.Issued> found = tokens.find(token);
        if (found.isEmpty()) {
            return null;
        }
        IssuedTokens.Issued issued = found.get();
        boolean usable = issued.usable(clock.instant());
        OAuth2AccessToken access = new OAuth2AccessToken(
                OAuth2AccessToken.TokenType.BEARER, token, issued.issuedAt(), issued.expiresAt(), issued.scopes());
        Map<String, Object> claims = claims(issued.claims());
        UUID userId = issued.userId();
        return OAuth2Authorization.withRegisteredClient(registered(issued.clientId()))
                .id(issued.id())
                .principalName(
                        userId != null ? userId.toString() : issued.clientId().toString())
                .authorizationGrantType(
                        userId != null
                                ? AuthorizationGrantType.AUTHORIZATION_CODE
                                : AuthorizationGrantType.CLIENT_CREDENTIALS)
                .authorizedScopes(issued.scopes())
                .token(access, metadata -> {
                    metadata.put(OAuth2Authorization.Token.CLAIMS_METADATA_NAME, claims);
                    metadata.put(OAuth2Authorization.Token.INVALIDATED_METADATA_NAME, !usable);
                })
                .build();
    }

    /**
     * A grant as the authorization server expects it: with its consent state, or with its code (and the
     * token it led to, if any, so that a replayed code revokes it). The person is named by login id, as
     * their page session names them.
     */
    private OAuth2Authorization inFlight(
            AuthorizationGrants.Grant grant, @Nullable String state, @Nullable String code) {
        String userId = grant.userId().toString();
        OAuth2Authorization.Builder builder = OAuth2Authorization.withRegisteredClient(registered(grant.clientId()))
                .id(grant.id())
                .principalName(userId)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .attribute(OAuth2AuthorizationRequest.class.getName(), AuthorizationRequests.parse(grant.request()))
                .attribute(
                        Principal.class.getName(),
                        UsernamePasswordAuthenticationToken.authenticated(userId, null, List.of()));
        if (state != null) {
            builder.attribute(OAuth2ParameterNames.STATE, state);
        }
        Instant issuedAt = grant.codeIssuedAt();
        Instant expiresAt = grant.codeExpiresAt();
        if (code != null && issuedAt != null && expiresAt != null) {
            builder.authorizedScopes(grant.scopes());
            boolean spent = grant.codeUsedAt() != null;
            builder.token(
                    new OAuth2AuthorizationCode(code, issuedAt, expiresAt),
                    metadata -> metadata.put(OAuth2Authorization.Token.INVALIDATED_METADATA_NAME, spent));
            if (spent && tokens.exists(grant.id())) {
                builder.token(new OAuth2AccessToken(
                        OAuth2AccessToken.TokenType.BEARER, NOT_KEPT, issuedAt, expiresAt, grant.scopes()));
            }
        }
        return builder.build();
    }

    private RegisteredClient registered(UUID clientId) {
        return clients.find(clientId)
                .map(Registrations::registered)
                .orElseThrow(() -> new IllegalStateException("A token of an unknown program"));
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
