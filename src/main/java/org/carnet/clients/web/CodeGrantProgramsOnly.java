package org.carnet.clients.web;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.web.authentication.OAuth2AuthorizationCodeRequestAuthenticationConverter;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Reads an authorization request, and refuses it at once when its program is registered for SMART
 * Backend Services only: {@code 400 unauthorized_client}, sent nowhere. Spring Authorization Server
 * would refuse it too, but its refusal looks for the program's first redirect URI, which such a program
 * does not have (a {@code NoSuchElementException}, a 500). An unknown program is left to the library
 * ({@code 400 invalid_request}, sent nowhere either).
 */
final class CodeGrantProgramsOnly implements AuthenticationConverter {

    private final AuthenticationConverter requests = new OAuth2AuthorizationCodeRequestAuthenticationConverter();
    private final RegisteredClientRepository programs;

    CodeGrantProgramsOnly(RegisteredClientRepository programs) {
        this.programs = programs;
    }

    @Override
    public @Nullable Authentication convert(HttpServletRequest request) {
        Authentication converted = requests.convert(request);
        if (converted instanceof OAuth2AuthorizationCodeRequestAuthenticationToken code) {
            RegisteredClient program = programs.findByClientId(code.getClientId());
            if (program != null
                    && !program.getAuthorizationGrantTypes().contains(AuthorizationGrantType.AUTHORIZATION_CODE)) {
                // No token in the exception: the answer is a plain 400, with no redirect URI to send it to.
                throw new OAuth2AuthorizationCodeRequestAuthenticationException(
                        new OAuth2Error(
                                OAuth2ErrorCodes.UNAUTHORIZED_CLIENT,
                                "This program is registered for the client credentials grant only.",
                                null),
                        null);
            }
        }
        return converted;
    }
}
