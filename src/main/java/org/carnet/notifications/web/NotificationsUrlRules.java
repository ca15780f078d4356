package org.carnet.notifications.web;

import org.carnet.shared.Role;
import org.carnet.shared.UrlRules;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.stereotype.Component;

/** A patient's inbox under their own pages; professionals' under /inbox, for anyone signed in. */
@Component
class NotificationsUrlRules implements UrlRules {

    @Override
    public void pages(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry pages) {
        pages.requestMatchers("/me/inbox", "/me/inbox/**").hasRole(Role.PATIENT.name());
    }
}
