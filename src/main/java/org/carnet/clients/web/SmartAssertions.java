package org.carnet.clients.web;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import jakarta.servlet.http.HttpServletRequest;
import java.text.ParseException;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Reads a SMART Backend Services client assertion sent without {@code client_id} (SMART does not send
 * one; Spring Authorization Server's own converter requires it): the client id is the assertion's
 * {@code iss}, which must equal its {@code sub}. Nothing is trusted here: the assertion's signature and
 * claims are then checked against the keys that client registered ({@code AssertionDecoders}). A
 * request that does send {@code client_id} is left to the library's converter.
 */
final class SmartAssertions implements AuthenticationConverter {

    static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static final ClientAuthenticationMethod METHOD = new ClientAuthenticationMethod(JWT_BEARER);

    @Override
    public @Nullable Authentication convert(HttpServletRequest request) {
        Map<String, String[]> parameters = request.getParameterMap();
        String[] type = parameters.get("client_assertion_type");
        String[] assertion = parameters.get("client_assertion");
        if (parameters.containsKey("client_id")
                || type == null
                || assertion == null
                || type.length != 1
                || assertion.length != 1
                || !JWT_BEARER.equals(type[0])) {
            return null;
        }
        String issuer;
        try {
            JWTClaimsSet claims = JWTParser.parse(assertion[0]).getJWTClaimsSet();
            issuer = claims.getIssuer();
            if (issuer == null || !issuer.equals(claims.getSubject())) {
                return null;
            }
        } catch (ParseException e) {
            return null;
        }
        return new OAuth2ClientAuthenticationToken(issuer, METHOD, assertion[0], codeGrant(parameters));
    }

    /**
     * For an authorization code request, its parameters (as the library's own converter passes them):
     * the code and its PKCE verifier are checked during client authentication, against the challenge
     * the authorization request carried. Without them no verifier would ever be checked.
     */
    private static Map<String, Object> codeGrant(Map<String, String[]> parameters) {
        String[] grant = parameters.get("grant_type");
        if (grant == null || grant.length != 1 || !"authorization_code".equals(grant[0])) {
            return Map.of();
        }
        Map<String, Object> code = new java.util.LinkedHashMap<>();
        parameters.forEach((name, values) -> {
            if (!name.equals("client_assertion") && !name.equals("client_assertion_type") && values.length > 0) {
                code.put(name, values.length == 1 ? values[0] : values);
            }
        });
        return code;
    }
}
