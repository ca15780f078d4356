package org.carnet.fhir.web;

import org.carnet.shared.UrlRules;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.stereotype.Component;

/**
 * What anyone may read without a token: the CapabilityStatement and the public resources, as the web
 * search shows them. Everything else under {@code /fhir} (other resource types, writes, {@code
 * _search} by POST) needs a token.
 */
@Component
class FhirUrlRules implements UrlRules {

    private static final String[] PUBLIC_TYPES = {
        "Organization", "Location", "Practitioner", "PractitionerRole", "Schedule", "Slot"
    };

    @Override
    public void fhir(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry fhir) {
        fhir.requestMatchers(HttpMethod.GET, "/fhir/metadata").permitAll();
        for (String type : PUBLIC_TYPES) {
            fhir.requestMatchers(HttpMethod.GET, "/fhir/" + type, "/fhir/" + type + "/*")
                    .permitAll();
        }
    }
}
