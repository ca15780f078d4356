package org.carnet.identity;

import org.carnet.shared.UrlRules;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.stereotype.Component;

/** Identity's own pages open to anyone: the enrolment with a one-time code. */
@Component
class IdentityUrlRules implements UrlRules {

    @Override
    public void pages(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry pages) {
        pages.requestMatchers("/enrol").permitAll();
    }
}
