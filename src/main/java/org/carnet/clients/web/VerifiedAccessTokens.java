package org.carnet.clients.web;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * Carnet's access tokens, each one's signature verified once per node: verifying ES384 (P-384 in the
 * JDK's own Java code) is the costliest step of a program's request, and a program sends the same token
 * with every request of its 5 minutes. What is remembered is only what does not change: that these exact
 * bytes carry a valid signature of Carnet's key, and their claims. The time checks run again on every use
 * (an expired token is refused as before), and whether the token is still usable (revoked, its program
 * suspended) is asked of the issued tokens on every request, after this. A token that fails to verify is
 * not remembered. When {@link #REMEMBERED} tokens are held, all are forgotten: a flood of valid tokens
 * costs their verification again, nothing else.
 */
final class VerifiedAccessTokens implements JwtDecoder {

    static final int REMEMBERED = 10_000;

    private final JwtDecoder decoder;
    private final OAuth2TokenValidator<Jwt> timeChecks;
    private final Map<String, Jwt> verified = new ConcurrentHashMap<>();

    VerifiedAccessTokens(JwtDecoder decoder, OAuth2TokenValidator<Jwt> timeChecks) {
        this.decoder = decoder;
        this.timeChecks = timeChecks;
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        Jwt known = verified.get(token);
        if (known != null && !timeChecks.validate(known).hasErrors()) {
            return known;
        }
        // Unknown, or no longer valid in time: the decoder verifies (and refuses) as if it were new.
        verified.remove(token);
        Jwt jwt = decoder.decode(token);
        if (verified.size() >= REMEMBERED) {
            verified.clear();
        }
        verified.put(token, jwt);
        return jwt;
    }
}
