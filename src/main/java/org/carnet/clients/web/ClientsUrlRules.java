package org.carnet.clients.web;

import org.carnet.shared.Role;
import org.carnet.shared.UrlRules;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.stereotype.Component;

/**
 * Administrators register their establishment's programs, security officers decide on them; the
 * authorization server's discovery documents are public.
 */
@Component
class ClientsUrlRules implements UrlRules {

    @Override
    public void api(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry api) {
        api.requestMatchers("/api/v1/establishment/clients", "/api/v1/establishment/clients/**")
                .hasRole(Role.ESTABLISHMENT_ADMIN.name());
        api.requestMatchers("/api/v1/security/clients", "/api/v1/security/clients/**")
                .hasRole(Role.SECURITY_OFFICER.name());
    }

    @Override
    public void pages(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry pages) {
        pages.requestMatchers(
                        HttpMethod.GET,
                        ClientsDiscovery.SMART_CONFIGURATION,
                        ClientsDiscovery.OAUTH_METADATA,
                        ClientsDiscovery.OPENID_CONFIGURATION)
                .permitAll();
        pages.requestMatchers("/establishment/clients", "/establishment/clients/**")
                .hasRole(Role.ESTABLISHMENT_ADMIN.name());
        pages.requestMatchers("/security/clients", "/security/clients/**").hasRole(Role.SECURITY_OFFICER.name());
    }
}
