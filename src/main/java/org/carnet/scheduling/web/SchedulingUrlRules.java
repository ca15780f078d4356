package org.carnet.scheduling.web;

import org.carnet.shared.Role;
import org.carnet.shared.UrlRules;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.stereotype.Component;

/** Search and booking pages are public up to the booking; agendas are the practice's; bookings are patients'. */
@Component
class SchedulingUrlRules implements UrlRules {

    @Override
    public void api(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry api) {
        api.requestMatchers(HttpMethod.GET, "/api/v1/availability", "/api/v1/practitioners/*/slots")
                .permitAll();
    }

    @Override
    public void pages(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry pages) {
        pages.requestMatchers("/", "/search", "/practitioners/*").permitAll();
        pages.requestMatchers("/agenda/**").hasAnyRole(UrlRules.roles(Role.PRACTITIONER, Role.STAFF));
        pages.requestMatchers("/book/**", "/me/appointments/**").hasRole(Role.PATIENT.name());
        pages.requestMatchers("/establishment/hours").hasRole(Role.ESTABLISHMENT_ADMIN.name());
    }
}
