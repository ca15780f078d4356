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
        api.requestMatchers(HttpMethod.POST, base + "/keys/me")
                .hasAnyRole(UrlRules.roles(Role.PATIENT, Role.PRACTITIONER));
        api.requestMatchers(HttpMethod.POST, base + "/keys/establishment").hasRole(Role.ESTABLISHMENT_ADMIN.name());
        api.requestMatchers(HttpMethod.GET, base + "/questionnaires")
                .hasAnyRole(UrlRules.roles(Role.PRACTITIONER, Role.ESTABLISHMENT_ADMIN));
        api.requestMatchers(HttpMethod.POST, base + "/questionnaires", base + "/questionnaires/*/motives/*")
                .hasAnyRole(UrlRules.roles(Role.PRACTITIONER, Role.ESTABLISHMENT_ADMIN));
        api.requestMatchers(HttpMethod.DELETE, base + "/questionnaires/*/motives/*")
                .hasAnyRole(UrlRules.roles(Role.PRACTITIONER, Role.ESTABLISHMENT_ADMIN));
        api.requestMatchers(HttpMethod.POST, base + "/*/keys", base + "/*/answers")
                .hasRole(Role.PATIENT.name());
        // The rest (reads of keys, questionnaires, teleconsultations, answers): any bearer token; the services decide.
    }
}
