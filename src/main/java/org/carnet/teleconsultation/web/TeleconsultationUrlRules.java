package org.carnet.teleconsultation.web;

import org.carnet.shared.Role;
import org.carnet.shared.UrlRules;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.stereotype.Component;

/**
 * Who may call the teleconsultation API. The reads of wrapped keys and answers are open to every
 * signed-in user on purpose: the access decision, not the URL, refuses staff and strangers, so that
 * each refusal is on the patient's access log.
 */
@Component
class TeleconsultationUrlRules implements UrlRules {

    @Override
    public void api(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry api) {
        String base = "/api/v1/teleconsultations";
        api.requestMatchers(HttpMethod.GET, base + "/key-directory/signing-key").permitAll();
        api.requestMatchers(
                        HttpMethod.POST,
                        base + "/keys/me",
                        base + "/keys/me/account",
                        base + "/keys/me/devices",
                        base + "/keys/me/devices/*/wraps")
                .hasAnyRole(UrlRules.roles(Role.PATIENT, Role.PRACTITIONER));
        api.requestMatchers(
                        HttpMethod.POST,
                        base + "/keys/establishment",
                        base + "/keys/establishment/versions",
                        base + "/keys/establishment/wraps")
                .hasRole(Role.ESTABLISHMENT_ADMIN.name());
        api.requestMatchers(HttpMethod.GET, base + "/questionnaires")
                .hasAnyRole(UrlRules.roles(Role.PRACTITIONER, Role.ESTABLISHMENT_ADMIN));
        api.requestMatchers(HttpMethod.POST, base + "/questionnaires", base + "/questionnaires/*/motives/*")
                .hasAnyRole(UrlRules.roles(Role.PRACTITIONER, Role.ESTABLISHMENT_ADMIN));
        api.requestMatchers(HttpMethod.DELETE, base + "/questionnaires/*/motives/*")
                .hasAnyRole(UrlRules.roles(Role.PRACTITIONER, Role.ESTABLISHMENT_ADMIN));
        api.requestMatchers(HttpMethod.POST, base + "/*/keys", base + "/*/answers")
                .hasRole(Role.PATIENT.name());
        api.requestMatchers(HttpMethod.POST, base + "/*/messages", base + "/*/documents")
                .hasAnyRole(UrlRules.roles(Role.PATIENT, Role.PRACTITIONER));
        api.requestMatchers(HttpMethod.PUT, base + "/*/documents/*/chunks/*")
                .hasAnyRole(UrlRules.roles(Role.PATIENT, Role.PRACTITIONER));
        // The rest (reads of keys, questionnaires, teleconsultations, answers): any bearer token; the services decide.
    }

    /**
     * The pages and their session routes under {@code /e2e} (the API's operations for Carnet's own pages):
     * the same roles as the API for writes; reads are left to the services, as in the API.
     */
    @Override
    public void pages(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry pages) {
        pages.requestMatchers("/account/keys").hasAnyRole(UrlRules.roles(Role.PATIENT, Role.PRACTITIONER));
        pages.requestMatchers("/me/teleconsultations/**").hasRole(Role.PATIENT.name());
        pages.requestMatchers("/establishment/keys").hasRole(Role.ESTABLISHMENT_ADMIN.name());
        pages.requestMatchers(HttpMethod.POST, "/e2e/keys/establishment/versions", "/e2e/keys/establishment/wraps")
                .hasRole(Role.ESTABLISHMENT_ADMIN.name());
        pages.requestMatchers(HttpMethod.GET, "/e2e/signing-key").permitAll();
        pages.requestMatchers(
                        HttpMethod.POST,
                        "/e2e/keys/me",
                        "/e2e/keys/me/account",
                        "/e2e/keys/me/devices",
                        "/e2e/keys/me/devices/*/wraps")
                .hasAnyRole(UrlRules.roles(Role.PATIENT, Role.PRACTITIONER));
        pages.requestMatchers(HttpMethod.POST, "/e2e/consultations/*/keys", "/e2e/consultations/*/answers")
                .hasRole(Role.PATIENT.name());
        pages.requestMatchers(HttpMethod.POST, "/e2e/consultations/*/messages", "/e2e/consultations/*/documents")
                .hasAnyRole(UrlRules.roles(Role.PATIENT, Role.PRACTITIONER));
        pages.requestMatchers(HttpMethod.PUT, "/e2e/consultations/*/documents/*/chunks/*")
                .hasAnyRole(UrlRules.roles(Role.PATIENT, Role.PRACTITIONER));
    }
}
