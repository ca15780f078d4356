package org.carnet.identity;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import javax.sql.DataSource;
import org.carnet.crypto.BlindIndex;
import org.carnet.identity.limits.SharedBuckets;
import org.carnet.shared.Role;
import org.carnet.shared.UrlRules;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.HeadersConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import org.springframework.security.web.webauthn.authentication.WebAuthnAuthenticationFilter;
import org.springframework.security.web.webauthn.management.JdbcPublicKeyCredentialUserEntityRepository;
import org.springframework.security.web.webauthn.management.JdbcUserCredentialRepository;
import org.springframework.security.web.webauthn.management.PublicKeyCredentialUserEntityRepository;
import org.springframework.security.web.webauthn.management.UserCredentialRepository;
import org.springframework.security.web.webauthn.management.WebAuthnRelyingPartyOperations;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Two filter chains: the API (stateless, bearer tokens, no cookies and so no CSRF) and the pages
 * (database-backed session, form login then second factor, CSRF tokens on every form). Sign-in and
 * registration are rate limited per source address in both.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ApiProperties.class, SecurityProperties.class})
class SecurityConfiguration {

    private static final String[] API_DOCS = {"/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**"};

    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /** Argon2id with OWASP's minimum (m = 19 MiB, t = 2, p = 1), a few hashes at a time. */
    /**
     * No Micrometer observation around each security filter, authentication and authorization: nothing
     * reads them (no tracer), and making and stopping them was 13 % of the booking requests' CPU
     * (docs/performance.md). Telemetry only: every filter still runs. The HTTP request metrics stay.
     */
    @Bean
    static SecurityObservationSettings noSecurityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    PasswordEncoder passwordEncoder(SecurityProperties properties) {
        return new BoundedPasswordEncoder(
                new Argon2PasswordEncoder(16, 32, 1, 19 * 1024, 2),
                properties.hashingConcurrency(),
                properties.hashingWait());
    }

    @Bean
    SharedBuckets sharedBuckets(DataSource dataSource, Clock clock) {
        return new SharedBuckets(dataSource, clock);
    }

    @Bean
    SignInRateLimiter signInRateLimiter(
            SecurityProperties properties, SharedBuckets buckets, BlindIndex blindIndex, Clock clock) {
        return new SignInRateLimiter(properties, buckets, blindIndex, clock);
    }

    /** The limiter runs inside the security chains only, not a second time as a servlet filter. */
    @Bean
    FilterRegistrationBean<SignInRateLimiter> signInRateLimiterRegistration(SignInRateLimiter limiter) {
        FilterRegistrationBean<SignInRateLimiter> registration = new FilterRegistrationBean<>(limiter);
        registration.setEnabled(false);
        return registration;
    }

    @Bean
    PublicKeyCredentialUserEntityRepository passkeyUsers(JdbcOperations jdbc) {
        return new JdbcPublicKeyCredentialUserEntityRepository(jdbc);
    }

    @Bean
    UserCredentialRepository passkeyCredentials(JdbcOperations jdbc) {
        return new JdbcUserCredentialRepository(jdbc);
    }

    /** For passkey sign-in only: loads a login by id (password sign-in is {@link PasswordStepProvider}). */
    @Bean
    UserDetailsService passkeyUserDetails(Logins logins, Clock clock) {
        return new PasskeyUsers(logins, clock);
    }

    /** Passkey registration and sign-in, verified by webauthn4j, with Carnet's rules around them. */
    @Bean
    WebAuthnRelyingPartyOperations passkeyRelyingParty(
            PublicKeyCredentialUserEntityRepository users,
            UserCredentialRepository credentials,
            SecurityProperties properties,
            Logins logins,
            ApplicationEventPublisher events,
            PlatformTransactionManager transactions,
            Clock clock) {
        return new PasskeyRelyingParty(
                PasskeyRelyingParty.verifier(users, credentials, properties),
                PasskeyRelyingParty.loginsOf(logins),
                events,
                new TransactionTemplate(transactions),
                clock);
    }

    @Bean
    @Order(1)
    SecurityFilterChain api(
            HttpSecurity http, TokenIntrospector introspector, SignInRateLimiter limiter, List<UrlRules> modules)
            throws Exception {
        http.securityMatcher("/api/**")
                .addFilterBefore(limiter, BearerTokenAuthenticationFilter.class)
                .authorizeHttpRequests(auth -> {
                    auth.requestMatchers(HttpMethod.POST, "/api/v1/auth/token").permitAll();
                    modules.forEach(rules -> rules.api(auth));
                    auth.anyRequest().authenticated();
                })
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
                                csp -> csp.policyDirectives("default-src 'none'; frame-ancestors 'none'"))
                        .httpStrictTransportSecurity(SecurityConfiguration::hsts));
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain pages(
            HttpSecurity http,
            SignInRateLimiter limiter,
            Clock clock,
            SecurityProperties properties,
            ApiProperties api,
            Logins logins,
            SessionUpgrade upgrade,
            KnownDevices devices,
            List<UrlRules> modules,
            OidcProperties oidc,
            ObjectProvider<ClientRegistrationRepository> oidcRegistrations,
            ObjectProvider<OidcSignIn> oidcSignIn)
            throws Exception {
        ClientRegistrationRepository registrations = oidcRegistrations.getIfAvailable();
        OidcSignIn oidcSuccess = oidcSignIn.getIfAvailable();
        if (oidc.enabled() && registrations != null && oidcSuccess != null) {
            // Pro Santé Connect: the provider's answer opens only a login bound to its RPPS (OidcSignIn).
            http.oauth2Login(login -> login.loginPage("/login")
                    .clientRegistrationRepository(registrations)
                    .authorizationEndpoint(endpoint -> endpoint.authorizationRequestResolver(
                            OidcConfiguration.authorizationRequests(registrations, oidc)))
                    .userInfoEndpoint(userInfo -> userInfo.oidcUserService(OidcConfiguration.userService()))
                    .successHandler(oidcSuccess)
                    .failureHandler(OidcSignIn::failed));
        }
        http.addFilterBefore(limiter, UsernamePasswordAuthenticationFilter.class)
                .addFilterAfter(new AbsoluteSessionTimeout(clock, properties), SecurityContextHolderFilter.class)
                .addFilterAfter(new PasskeyPrincipal(logins, clock), SecurityContextHolderFilter.class)
                .webAuthn(passkeys -> passkeys.rpName("Carnet")
                        .rpId(properties.passkeyRpId())
                        .allowedOrigins(properties.passkeyOrigins())
                        .disableDefaultRegistrationPage(true)
                        .withObjectPostProcessor(new ObjectPostProcessor<WebAuthnAuthenticationFilter>() {
                            @Override
                            public <O extends WebAuthnAuthenticationFilter> O postProcess(O filter) {
                                filter.setAuthenticationSuccessHandler(
                                        new PasskeySignedIn(PasskeyRelyingParty.loginsOf(logins), upgrade));
                                return filter;
                            }
                        }))
                .authorizeHttpRequests(auth -> {
                    // The site as a whole and sign-in itself; every module adds the rules of its own pages.
                    auth.requestMatchers("/login", "/css/**", "/js/**", "/favicon.ico", "/error", "/actuator/health")
                            .permitAll()
                            // Any other actuator endpoint someone exposes later is the security officer's.
                            .requestMatchers("/actuator/**")
                            .hasRole(Role.SECURITY_OFFICER.name());
                    // The API's description: public only where configured (the embedded demo); else signed in.
                    if (api.docsPublic()) {
                        auth.requestMatchers(API_DOCS).permitAll();
                    } else {
                        auth.requestMatchers(API_DOCS).hasAuthority(Authorities.SIGNED_IN);
                    }
                    auth.requestMatchers("/login/code")
                            .hasAuthority(Authorities.SECOND_FACTOR_PENDING)
                            .requestMatchers("/account/security/totp")
                            .hasAnyAuthority(Authorities.SECOND_FACTOR_ENROLMENT, Authorities.SIGNED_IN)
                            .requestMatchers(RenewalPage.PATH)
                            .hasAuthority(Authorities.RENEWAL_PENDING);
                    modules.forEach(rules -> rules.pages(auth));
                    auth.anyRequest().hasAuthority(Authorities.SIGNED_IN);
                })
                .formLogin(form -> form.loginPage("/login")
                        .usernameParameter("email")
                        .passwordParameter("password")
                        .successHandler((request, response, authentication) ->
                                afterPassword(request, response, authentication, devices))
                        .failureUrl("/login?error")
                        .permitAll())
                .exceptionHandling(exceptions -> exceptions.accessDeniedHandler(SecurityConfiguration::denied))
                .logout(logout -> logout.logoutSuccessUrl("/").deleteCookies("SESSION"))
                .headers(headers -> headers.contentSecurityPolicy(csp -> csp.policyDirectives(CSP))
                        .httpStrictTransportSecurity(SecurityConfiguration::hsts)
                        .frameOptions(frame -> frame.deny())
                        .referrerPolicy(
                                referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN)));
        return http.build();
    }

    /** HSTS on every answer (browsers ignore it over plain HTTP, so local development is unaffected). */
    private static void hsts(HeadersConfigurer<HttpSecurity>.HstsConfig hsts) {
        hsts.includeSubDomains(true).maxAgeInSeconds(31_536_000).requestMatcher(AnyRequestMatcher.INSTANCE);
    }

    /** After the password: the second factor, its enrolment, or the page asked for (else the role's landing page). */
    private static void afterPassword(
            HttpServletRequest request,
            HttpServletResponse response,
            Authentication authentication,
            KnownDevices devices)
            throws IOException, ServletException {
        String next = nextStep(authentication);
        if (next != null) {
            response.sendRedirect(request.getContextPath() + next);
        } else if (authentication.getPrincipal() instanceof SignedInUser user) {
            devices.signedIn(user.carnetPrincipal(), request, response);
            Landing.continueTo(user.carnetPrincipal().role(), request, response, authentication);
        }
    }

    /** A half-signed-in user sent where they stand; anyone else gets the 403 error page. */
    private static void denied(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        String next = nextStep(SecurityContextHolder.getContext().getAuthentication());
        if (next != null) {
            response.sendRedirect(request.getContextPath() + next);
        } else {
            response.sendError(HttpServletResponse.SC_FORBIDDEN);
        }
    }

    private static @Nullable String nextStep(@Nullable Authentication authentication) {
        if (authentication == null) {
            return null;
        }
        for (var authority : authentication.getAuthorities()) {
            if (Authorities.SECOND_FACTOR_PENDING.equals(authority.getAuthority())) {
                return "/login/code";
            }
            if (Authorities.SECOND_FACTOR_ENROLMENT.equals(authority.getAuthority())) {
                return "/account/security/totp";
            }
            if (Authorities.RENEWAL_PENDING.equals(authority.getAuthority())) {
                return RenewalPage.PATH;
            }
        }
        return null;
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
