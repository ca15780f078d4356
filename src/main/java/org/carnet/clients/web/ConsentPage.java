package org.carnet.clients.web;

import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.carnet.clients.SmartScope;
import org.carnet.clients.internal.ClientStore;
import org.carnet.clients.internal.HashedAuthorizations;
import org.carnet.identity.SignedIn;
import org.carnet.shared.NotFoundException;
import org.carnet.shared.WebPage;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The consent page of {@code /oauth2/authorize}: which program, of which establishment, asks to act for
 * the signed-in professional, and with what rights, in words; allowing posts every right asked for
 * (all or nothing), refusing posts none (the program gets {@code access_denied}). Only the person the
 * authorization was begun for sees it.
 */
@WebPage
class ConsentPage {

    static final String PATH = "/oauth2/consent";

    private static final OAuth2TokenType STATE = new OAuth2TokenType(OAuth2ParameterNames.STATE);

    /**
     * One right asked for: the scope as the program wrote it, the message key of what it touches, and
     * the message keys of what it may do there (read, search, …), in SMART's order.
     */
    public record Right(String scope, String resourceKey, List<String> permissionKeys) {}

    private final HashedAuthorizations authorizations;
    private final ClientStore clients;

    ConsentPage(HashedAuthorizations authorizations, ClientStore clients) {
        this.authorizations = authorizations;
        this.clients = clients;
    }

    @GetMapping(PATH)
    String consent(
            @RequestParam(OAuth2ParameterNames.CLIENT_ID) String clientId,
            @RequestParam(OAuth2ParameterNames.STATE) String state,
            Model model,
            HttpServletResponse response) {
        UUID userId = SignedIn.required().userId();
        OAuth2Authorization authorization = authorizations.findByToken(state, STATE);
        if (authorization == null
                || !authorization.getRegisteredClientId().equals(clientId)
                || !authorization.getPrincipalName().equals(userId.toString())) {
            throw new NotFoundException("authorization");
        }
        OAuth2AuthorizationRequest request = authorization.getAttribute(OAuth2AuthorizationRequest.class.getName());
        var client = clients.find(UUID.fromString(clientId)).orElseThrow(() -> new NotFoundException("client"));
        String redirectUri = request == null ? null : request.getRedirectUri();
        if (request == null || redirectUri == null) {
            throw new NotFoundException("authorization");
        }
        List<String> scopes = request.getScopes().stream().sorted().toList();
        model.addAttribute("program", client.program());
        model.addAttribute("purpose", client.purpose());
        model.addAttribute("clientId", clientId);
        model.addAttribute("state", state);
        model.addAttribute("scopes", scopes);
        model.addAttribute("rights", scopes.stream().map(ConsentPage::right).toList());
        model.addAttribute("redirectHost", URI.create(redirectUri).getHost());
        // Allowing ends in a redirect to the program: the page's form-action must allow its origin, or a
        // browser enforcing CSP stops the redirect.
        response.setHeader(
                "Content-Security-Policy",
                "default-src 'self'; script-src 'self'; style-src 'self';"
                        + " img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self' "
                        + origin(redirectUri) + "; frame-ancestors 'none'");
        return "oauth-consent";
    }

    static Right right(String scope) {
        if (scope.equals(OidcScopes.OPENID)) {
            return new Right(scope, "consent.openid", List.of());
        }
        SmartScope parsed = SmartScope.parse(scope, "scope");
        if (parsed.context().equals("carnet")) {
            return new Right(scope, "consent.scope." + parsed.resource() + "." + parsed.permissions(), List.of());
        }
        return new Right(
                scope,
                "consent.resource." + parsed.resource(),
                parsed.permissions()
                        .toLowerCase(Locale.ROOT)
                        .chars()
                        .mapToObj(permission -> "consent.permission." + (char) permission)
                        .toList());
    }

    private static String origin(String uri) {
        URI parsed = URI.create(uri);
        return parsed.getScheme() + "://" + parsed.getRawAuthority();
    }
}
