package org.carnet.exports.web;

import org.carnet.shared.Role;
import org.carnet.shared.UrlRules;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.stereotype.Component;

/**
 * Administrators ask for their establishment's exports, security officers approve and check suspected
 * leaks, in the API and on the pages; the recipient's download link and Carnet's signing key need no
 * sign-in (the link is the credential).
 */
@Component
class ExportsUrlRules implements UrlRules {

    @Override
    public void api(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry api) {
        api.requestMatchers(HttpMethod.GET, "/api/v1/exports/download/*", "/api/v1/exports/signing-key")
                .permitAll();
        api.requestMatchers("/api/v1/establishment/exports", "/api/v1/establishment/exports/**")
                .hasRole(Role.ESTABLISHMENT_ADMIN.name());
        api.requestMatchers(
                        "/api/v1/security/exports",
                        "/api/v1/security/exports/**",
                        "/api/v1/security/leak-trace",
                        "/api/v1/security/establishments/*/shred")
                .hasRole(Role.SECURITY_OFFICER.name());
    }

    @Override
    public void pages(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry pages) {
        pages.requestMatchers("/establishment/exports").hasRole(Role.ESTABLISHMENT_ADMIN.name());
        pages.requestMatchers(
                        "/security/exports",
                        "/security/exports/**",
                        "/security/leak-trace",
                        "/security/establishments/*/shred")
                .hasRole(Role.SECURITY_OFFICER.name());
    }
}
