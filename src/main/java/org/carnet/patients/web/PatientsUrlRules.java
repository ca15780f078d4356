package org.carnet.patients.web;

import org.carnet.shared.Role;
import org.carnet.shared.UrlRules;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.stereotype.Component;

/** Anyone may register; a patient's own pages are theirs; a file of the practice is its practitioners' and staff's. */
@Component
class PatientsUrlRules implements UrlRules {

    @Override
    public void api(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry api) {
        api.requestMatchers(HttpMethod.POST, "/api/v1/patients").permitAll();
    }

    @Override
    public void pages(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry pages) {
        pages.requestMatchers("/register").permitAll();
        pages.requestMatchers("/me", "/me/relatives/**", "/me/email-confirmation", "/me/email-confirmation/code")
                .hasRole(Role.PATIENT.name());
        pages.requestMatchers("/agenda/patients/**").hasAnyRole(UrlRules.roles(Role.PRACTITIONER, Role.STAFF));
    }
}
