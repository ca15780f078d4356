package org.carnet.identity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;

/**
 * Two filter chains: the API (stateless, bearer tokens, no cookies and so no CSRF) and the pages
 * (session, form login, CSRF tokens on every form).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ApiProperties.class)
class SecurityConfiguration {

    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /** Argon2id with OWASP's minimum (m = 19 MiB, t = 2, p = 1). */
    @Bean
    PasswordEncoder passwordEncoder() {
        return new Argon2PasswordEncoder(16, 32, 1, 19 * 1024, 2);
    }

    @Bean
    @Order(1)
    SecurityFilterChain api(HttpSecurity http, TokenIntrospector introspector) throws Exception {
        http.securityMatcher("/api/**")
                .authorizeHttpRequests(
                        auth -> auth.requestMatchers(HttpMethod.POST, "/api/v1/auth/token", "/api/v1/patients")
                                .permitAll()
                                .requestMatchers(
                                        HttpMethod.GET,
                                        "/api/v1/specialties",
                                        "/api/v1/availability",
                                        "/api/v1/practitioners/**")
                                .permitAll()
                                .anyRequest()
                                .authenticated())
                .oauth2ResourceServer(oauth -> oauth.opaqueToken(token -> token.introspector(introspector))
                        .authenticationEntryPoint((request, response, e) -> problem(
                                response, 401, "unauthorized", "Unauthorized", "A valid bearer token is required."))
                        .accessDeniedHandler((request, response, e) ->
                                problem(response, 403, "forbidden", "Forbidden", "Not allowed.")))
                .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint((request, response, e) ->
                        problem(response, 401, "unauthorized", "Unauthorized", "A valid bearer token is required.")))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .headers(headers -> headers.contentSecurityPolicy(
                        csp -> csp.policyDirectives("default-src 'none'; frame-ancestors 'none'")));
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain pages(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(auth -> auth.requestMatchers(
                                "/",
                                "/search",
                                "/practitioners/*",
                                "/login",
                                "/register",
                                "/css/**",
                                "/js/**",
                                "/favicon.ico",
                                "/error",
                                "/actuator/**",
                                "/v3/api-docs/**",
                                "/swagger-ui.html",
                                "/swagger-ui/**")
                        .permitAll()
                        .requestMatchers("/agenda/**")
                        .hasAnyRole(Role.PRACTITIONER.name(), Role.STAFF.name())
                        .requestMatchers("/book/**", "/me/**")
                        .hasRole(Role.PATIENT.name())
                        .requestMatchers("/establishment/**")
                        .hasRole(Role.ESTABLISHMENT_ADMIN.name())
                        .requestMatchers("/security/**")
                        .hasRole(Role.SECURITY_OFFICER.name())
                        .anyRequest()
                        .authenticated())
                .formLogin(form -> form.loginPage("/login")
                        .usernameParameter("email")
                        .passwordParameter("password")
                        .permitAll())
                .logout(logout -> logout.logoutSuccessUrl("/"))
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(CSP))
                        .referrerPolicy(
                                referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN)));
        return http.build();
    }

    private static void problem(
            jakarta.servlet.http.HttpServletResponse response, int status, String type, String title, String detail)
            throws IOException {
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        if (status == 401) {
            response.setHeader("WWW-Authenticate", "Bearer");
        }
        String body = "{\"type\":\"https://carnet.example/problems/" + type + "\",\"title\":\"" + title
                + "\",\"status\":" + status + ",\"detail\":\"" + detail + "\"}";
        response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
    }
}
