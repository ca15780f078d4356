package org.carnet.accesslog.web;

import org.carnet.shared.Role;
import org.carnet.shared.UrlRules;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.stereotype.Component;

/** A patient reads their own log, an administrator their establishment's, the security officer verifies. */
@Component
class AccessLogUrlRules implements UrlRules {

    @Override
    public void pages(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry pages) {
        pages.requestMatchers("/me/access-log").hasRole(Role.PATIENT.name());
        pages.requestMatchers("/establishment/access-log", "/establishment/access-log.csv")
                .hasRole(Role.ESTABLISHMENT_ADMIN.name());
        pages.requestMatchers("/security/**").hasRole(Role.SECURITY_OFFICER.name());
    }
}
