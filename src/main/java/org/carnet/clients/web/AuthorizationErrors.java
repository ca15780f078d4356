package org.carnet.clients.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpStatus;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServletServerHttpResponse;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.http.converter.OAuth2ErrorHttpMessageConverter;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationToken;
import org.springframework.security.web.DefaultRedirectStrategy;
import org.springframework.security.web.RedirectStrategy;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.util.StringUtils;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

/**
 * How {@code /oauth2/authorize} answers a refused request. When Spring Authorization Server kept a
 * redirect URI (one the program registered), the error goes back there as RFC 6749 section 4.1.2.1
 * says, as the library itself would send it. When it kept none (unknown program, a redirect URI not
 * registered, a program registered for the client credentials grant only), a plain {@code 400} with
 * the OAuth2 error as JSON, as the token endpoint answers, instead of the library's bare error page:
 * the error code and a fixed description, never anything of the request.
 */
final class AuthorizationErrors implements AuthenticationFailureHandler {

    private final HttpMessageConverter<OAuth2Error> json = new OAuth2ErrorHttpMessageConverter();
    private final RedirectStrategy redirects = new DefaultRedirectStrategy();

    @Override
    public void onAuthenticationFailure(
            HttpServletRequest request, HttpServletResponse response, AuthenticationException exception)
            throws IOException {
        OAuth2Error error = ((OAuth2AuthenticationException) exception).getError();
        OAuth2AuthorizationCodeRequestAuthenticationToken refused =
                exception instanceof OAuth2AuthorizationCodeRequestAuthenticationException code
                        ? code.getAuthorizationCodeRequestAuthentication()
                        : null;
        if (refused == null || !StringUtils.hasText(refused.getRedirectUri())) {
            response.setHeader("Cache-Control", "no-store");
            ServletServerHttpResponse answer = new ServletServerHttpResponse(response);
            answer.setStatusCode(HttpStatus.BAD_REQUEST);
            json.write(error, null, answer);
            return;
        }
        UriComponentsBuilder back = UriComponentsBuilder.fromUriString(refused.getRedirectUri())
                .queryParam(OAuth2ParameterNames.ERROR, error.getErrorCode());
        if (StringUtils.hasText(error.getDescription())) {
            back.queryParam(
                    OAuth2ParameterNames.ERROR_DESCRIPTION,
                    UriUtils.encode(error.getDescription(), StandardCharsets.UTF_8));
        }
        if (StringUtils.hasText(error.getUri())) {
            back.queryParam(OAuth2ParameterNames.ERROR_URI, UriUtils.encode(error.getUri(), StandardCharsets.UTF_8));
        }
        if (StringUtils.hasText(refused.getState())) {
            back.queryParam(OAuth2ParameterNames.STATE, UriUtils.encode(refused.getState(), StandardCharsets.UTF_8));
        }
        // Components encoded above, as Spring Authorization Server encodes them.
        redirects.sendRedirect(request, response, back.build(true).toUriString());
    }
}
