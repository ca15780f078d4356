package org.carnet.clients.internal;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.carnet.clients.ProgramKeys;
import org.jspecify.annotations.Nullable;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderFactory;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContext;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;
import org.springframework.stereotype.Component;

/**
 * Checks a program's client assertion (SMART Backend Services, RFC 7523): signed ES384 or RS384 by one
 * of the keys it registered (or that its key server publishes, {@link KeyServers}) (no other algorithm, no {@code none}, no HMAC); {@code iss} and
 * {@code sub} its client id; {@code aud} the token endpoint; {@code exp} present, not passed and at most
 * 5 minutes ahead; a {@code jti} never seen before, recorded in the database last, once everything
 * else holds.
 */
@Component
public class AssertionDecoders implements JwtDecoderFactory<RegisteredClient> {

    public static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.ES384, JWSAlgorithm.RS384);
    public static final Duration LONGEST = Duration.ofMinutes(5);
    /** How far a program's clock may be from Carnet's. */
    public static final Duration SKEW = Duration.ofSeconds(30);

    private static final int MAX_JTI = 200;

    private final AssertionReplays replays;
    private final KeyServers keyServers;
    private final Clock clock;

    AssertionDecoders(AssertionReplays replays, KeyServers keyServers, Clock clock) {
        this.replays = replays;
        this.keyServers = keyServers;
        this.clock = clock;
    }

    @Override
    public JwtDecoder createDecoder(RegisteredClient client) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys(client)));
        // The claims are checked below, with Carnet's clock and rules.
        processor.setJWTClaimsSetVerifier(null);
        NimbusJwtDecoder decoder = new NimbusJwtDecoder(processor);
        decoder.setJwtValidator(jwt -> check(client.getClientId(), jwt));
        return decoder;
    }

    /** The keys it registered, or those its key server publishes now. */
    private JWKSource<SecurityContext> keys(RegisteredClient client) {
        String jwks = client.getClientSettings().<String>getSetting(Registrations.JWKS);
        if (jwks != null) {
            return new ImmutableJWKSet<>(
                    Objects.requireNonNull(ProgramKeys.stored(jwks, null).set()));
        }
        String uri = Objects.requireNonNull(client.getClientSettings().getJwkSetUrl(), "jwks or jwkSetUrl");
        return keyServers.keysAt(URI.create(uri));
    }

    private OAuth2TokenValidatorResult check(String clientId, Jwt assertion) {
        Instant now = clock.instant();
        if (!clientId.equals(assertion.getClaimAsString("iss")) || !clientId.equals(assertion.getSubject())) {
            return refused("iss and sub must be the client id");
        }
        List<String> audience = assertion.getAudience();
        String tokenEndpoint = tokenEndpoint();
        if (audience == null || tokenEndpoint == null || !audience.contains(tokenEndpoint)) {
            return refused("aud must be the token endpoint");
        }
        Instant expires = assertion.getExpiresAt();
        if (expires == null || !expires.isAfter(now.minus(SKEW))) {
            return refused("the assertion has expired or has no exp");
        }
        if (expires.isAfter(now.plus(LONGEST).plus(SKEW))) {
            return refused("exp is at most 5 minutes ahead");
        }
        Instant notBefore = assertion.getNotBefore();
        Instant issued = assertion.getIssuedAt();
        if ((notBefore != null && notBefore.isAfter(now.plus(SKEW)))
                || (issued != null && issued.isAfter(now.plus(SKEW)))) {
            return refused("the assertion is not valid yet");
        }
        String jti = assertion.getId();
        if (jti == null || jti.isBlank() || jti.length() > MAX_JTI) {
            return refused("jti is required (at most 200 characters)");
        }
        if (!replays.firstUse(UUID.fromString(clientId), jti, expires.plus(SKEW))) {
            return refused("this assertion was already used");
        }
        return OAuth2TokenValidatorResult.success();
    }

    private static @Nullable String tokenEndpoint() {
        AuthorizationServerContext context = AuthorizationServerContextHolder.getContext();
        if (context == null) {
            return null;
        }
        return context.getIssuer() + context.getAuthorizationServerSettings().getTokenEndpoint();
    }

    private static OAuth2TokenValidatorResult refused(String why) {
        return OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT, why, null));
    }
}
