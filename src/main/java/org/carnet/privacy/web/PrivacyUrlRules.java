package org.carnet.privacy.web;

import org.carnet.shared.Role;
import org.carnet.shared.UrlRules;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.stereotype.Component;

/** A patient's copy of their data and their erasure are theirs; the page after an erasure is anyone's. */
@Component
class PrivacyUrlRules implements UrlRules {

    @Override
    public void pages(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry pages) {
        pages.requestMatchers("/me/data-copy", "/me/data-copy.json", "/me/erasure")
                .hasRole(Role.PATIENT.name());
        pages.requestMatchers(HttpMethod.GET, "/erased").permitAll();
    }
}
