package org.carnet.administration.web;

import org.carnet.shared.Role;
import org.carnet.shared.UrlRules;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.stereotype.Component;

/** The establishment's administration pages are its administrator's. */
@Component
class AdministrationUrlRules implements UrlRules {

    @Override
    public void pages(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry pages) {
        pages.requestMatchers("/establishment", "/establishment/**").hasRole(Role.ESTABLISHMENT_ADMIN.name());
    }
}
