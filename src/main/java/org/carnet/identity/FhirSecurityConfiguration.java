package org.carnet.identity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.carnet.shared.UrlRules;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;

/**
 * The filter chain of {@code /fhir/**}: stateless (no session, no CSRF, no saved request), the API's
 * headers, every module's {@link UrlRules#fhir} rules, and for anything else a 401 OperationOutcome.
 * No token is accepted here yet: third-party programs' bearer tokens come with the authorization
 * server.
 */
@Configuration(proxyBeanMethods = false)
class FhirSecurityConfiguration {

    private static final byte[] UNAUTHORIZED = ("{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":"
                    + "\"error\",\"code\":\"login\",\"diagnostics\":\"A valid bearer token is required.\"}]}")
            .getBytes(StandardCharsets.UTF_8);

    @Bean
    @Order(1)
    SecurityFilterChain fhir(HttpSecurity http, List<UrlRules> modules) throws Exception {
        http.securityMatcher("/fhir/**")
                .authorizeHttpRequests(auth -> {
                    modules.forEach(rules -> rules.fhir(auth));
                    auth.anyRequest().authenticated();
                })
                .exceptionHandling(exceptions ->
                        exceptions.authenticationEntryPoint((request, response, e) -> unauthorized(response)))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .csrf(csrf -> csrf.disable())
                .headers(headers -> headers.contentSecurityPolicy(
                                csp -> csp.policyDirectives("default-src 'none'; frame-ancestors 'none'"))
                        .httpStrictTransportSecurity(hsts -> hsts.includeSubDomains(true)
                                .maxAgeInSeconds(31_536_000)
                                .requestMatcher(AnyRequestMatcher.INSTANCE)));
        return http.build();
    }

    private static void unauthorized(jakarta.servlet.http.HttpServletResponse response) throws IOException {
        response.setStatus(401);
        response.setHeader("WWW-Authenticate", "Bearer");
        response.setContentType("application/fhir+json;charset=UTF-8");
        response.getOutputStream().write(UNAUTHORIZED);
    }
}
