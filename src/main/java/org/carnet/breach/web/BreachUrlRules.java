package org.carnet.breach.web;

import org.carnet.shared.Role;
import org.carnet.shared.UrlRules;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.stereotype.Component;

/** Incidents are the security officers' only, in the API and on the pages. */
@Component
class BreachUrlRules implements UrlRules {

    @Override
    public void api(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry api) {
        api.requestMatchers(
                        "/api/v1/security/incidents",
                        "/api/v1/security/incidents/**",
                        "/api/v1/security/breach-register")
                .hasRole(Role.SECURITY_OFFICER.name());
    }

    @Override
    public void pages(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry pages) {
        pages.requestMatchers("/security/incidents", "/security/incidents/**").hasRole(Role.SECURITY_OFFICER.name());
    }
}
