package org.carnet.clients.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/** A token's signature is verified once; its time, and a bad signature, are checked every time. */
class VerifiedAccessTokensTest {

    final Instant issued = Instant.parse("2026-12-05T10:00:00Z");
    Clock clock = Clock.fixed(issued, ZoneOffset.UTC);
    final AtomicInteger verifications = new AtomicInteger();
    ECKey key;
    VerifiedAccessTokens tokens;

    @BeforeEach
    void carnetsKeyAndDecoder() throws Exception {
        key = new ECKeyGenerator(Curve.P_384).keyID("k1").generate();
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(
                JWSAlgorithm.ES384, new ImmutableJWKSet<>(new JWKSet(key.toPublicJWK()))));
        processor.setJWTClaimsSetVerifier(null);
        NimbusJwtDecoder nimbus = new NimbusJwtDecoder(processor);
        JwtTimestampValidator timeChecks = new JwtTimestampValidator(Duration.ZERO);
        timeChecks.setClock(new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return clock.instant();
            }
        });
        nimbus.setJwtValidator(timeChecks);
        JwtDecoder counting = token -> {
            verifications.incrementAndGet();
            return nimbus.decode(token);
        };
        tokens = new VerifiedAccessTokens(counting, timeChecks);
    }

    @Test
    void aTokenSentAgainIsNotVerifiedAgain() throws Exception {
        String token = token(key, issued.plus(Duration.ofMinutes(5)));
        assertThat(tokens.decode(token).getSubject()).isEqualTo("client-1");
        assertThat(tokens.decode(token).getSubject()).isEqualTo("client-1");
        assertThat(tokens.decode(token).getClaimAsString("scope")).isEqualTo("system/Slot.rs");
        assertThat(verifications).hasValue(1);
    }

    @Test
    void aRememberedTokenPastItsExpiryIsRefused() throws Exception {
        String token = token(key, issued.plus(Duration.ofMinutes(5)));
        tokens.decode(token);
        clock = Clock.offset(clock, Duration.ofMinutes(6));
        assertThatThrownBy(() -> tokens.decode(token)).isInstanceOf(JwtException.class);
        assertThatThrownBy(() -> tokens.decode(token)).isInstanceOf(JwtException.class);
    }

    @Test
    void aTokenSignedByAnotherKeyIsRefusedEveryTime() throws Exception {
        String forged = token(new ECKeyGenerator(Curve.P_384).keyID("k1").generate(), issued.plusSeconds(300));
        assertThatThrownBy(() -> tokens.decode(forged)).isInstanceOf(JwtException.class);
        assertThatThrownBy(() -> tokens.decode(forged)).isInstanceOf(JwtException.class);
        assertThat(verifications).hasValue(2);
        // A valid token's bytes with its signature changed are another token, verified (and refused) as such.
        String valid = token(key, issued.plusSeconds(300));
        tokens.decode(valid);
        String altered = valid.substring(0, valid.length() - 2) + (valid.endsWith("AA") ? "BB" : "AA");
        assertThatThrownBy(() -> tokens.decode(altered)).isInstanceOf(JwtException.class);
    }

    private String token(ECKey signer, Instant expires) throws Exception {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.ES384).keyID("k1").build(),
                new JWTClaimsSet.Builder()
                        .subject("client-1")
                        .claim("scope", "system/Slot.rs")
                        .issueTime(Date.from(issued))
                        .expirationTime(Date.from(expires))
                        .build());
        jwt.sign(new ECDSASigner(signer));
        return jwt.serialize();
    }
}
