package org.carnet.notifications.web;

import org.carnet.shared.Role;
import org.carnet.shared.UrlRules;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.stereotype.Component;

/**
 * A patient's inbox and message settings under their own pages; professionals' inbox under /inbox, for
 * anyone signed in; the verification page for everyone.
 */
@Component
class NotificationsUrlRules implements UrlRules {

    @Override
    public void pages(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry pages) {
        pages.requestMatchers("/me/inbox", "/me/inbox/**", "/me/notifications").hasRole(Role.PATIENT.name());
        // Anyone may check whether Carnet sent a message, signed in or not.
        pages.requestMatchers("/verifier").permitAll();
    }
}
