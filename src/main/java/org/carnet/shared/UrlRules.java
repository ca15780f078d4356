package org.carnet.shared;

import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;

/**
 * One module's rules for the addresses it serves: who may call them. Each module that serves pages or
 * API calls declares a bean of its own; the security configuration applies them all, then requires a
 * signed-in user (pages) or a bearer token (API) for anything no rule names. Rules of two modules may
 * name overlapping addresses only with the same requirement, so that their order never matters.
 */
public interface UrlRules {

    /** Rules for the JSON API under {@code /api} (bearer tokens). */
    default void api(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry api) {}

    /** Rules for the pages (session sign-in). */
    default void pages(
            AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry pages) {}

    /** Rules for FHIR under {@code /fhir} (stateless, no session, no CSRF). */
    default void fhir(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry fhir) {}

    /** The authority a role's rule requires, for {@code hasAnyRole}. */
    static String[] roles(Role... roles) {
        String[] names = new String[roles.length];
        for (int i = 0; i < roles.length; i++) {
            names[i] = roles[i].name();
        }
        return names;
    }
}
