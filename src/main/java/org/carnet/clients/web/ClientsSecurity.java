package org.carnet.clients.web;

import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.carnet.clients.ClientAuthentication;
import org.carnet.clients.ClientQuotas;
import org.carnet.clients.internal.AssertionDecoders;
import org.carnet.clients.internal.ClientStore;
import org.carnet.clients.internal.HashedAuthorizations;
import org.carnet.clients.internal.IssuedTokens;
import org.carnet.clients.internal.PairwiseSubjects;
import org.carnet.clients.internal.Registrations;
import org.carnet.clients.internal.ScopeRequests;
import org.carnet.clients.internal.SigningKeys;
import org.carnet.identity.Logins;
import org.carnet.identity.SignedIn;
import org.carnet.shared.Actor;
import org.carnet.shared.UrlRules;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.JwtClientAssertionAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenIntrospectionAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.DelegatingOAuth2TokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.JwtGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.authentication.OpaqueTokenAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.HttpStatusEntryPoint;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;

/**
 * Three filter chains ahead of identity's API and page chains: Carnet's OAuth2 authorization server
 * (Spring Authorization Server) in two parts, its authorization endpoint (the professional's page
 * session, signed in through identity's pages with both factors) and its stateless endpoints (token,
 * introspection, revocation and its public keys); and the one chain of {@code /fhir/**}: stateless,
 * every module's {@link UrlRules#fhir} rules (the public directory resources, open to anyone), and for
 * anything else a program's bearer token, checked against the database on every request; a refusal is a
 * 401 OperationOutcome.
 */
@Configuration(proxyBeanMethods = false)
class ClientsSecurity {

    private static final byte[] UNAUTHORIZED = ("{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":"
                    + "\"error\",\"code\":\"login\",\"diagnostics\":\"A valid bearer token is required.\"}]}")
            .getBytes(java.nio.charset.StandardCharsets.UTF_8);

    /** identity's API tokens ({@code AccessTokens}): a signed-in person, never a program. */
    static final String PERSON_TOKEN_PREFIX = "ct1.";

    static final OAuth2TokenType ID_TOKEN = new OAuth2TokenType(OidcParameterNames.ID_TOKEN);

    /** Only the endpoints Carnet supports: no authorization, device or registration endpoint. */
    private static final String[] SERVER = {
        ClientsDiscovery.TOKEN, ClientsDiscovery.INTROSPECT, ClientsDiscovery.REVOKE, ClientsDiscovery.JWKS
    };

    @Bean
    AuthorizationServerSettings authorizationServerSettings() {
        return AuthorizationServerSettings.builder()
                .authorizationEndpoint(ClientsDiscovery.AUTHORIZE)
                .tokenEndpoint(ClientsDiscovery.TOKEN)
                .tokenIntrospectionEndpoint(ClientsDiscovery.INTROSPECT)
                .tokenRevocationEndpoint(ClientsDiscovery.REVOKE)
                .jwkSetEndpoint(ClientsDiscovery.JWKS)
                .build();
    }

    /**
     * Carnet's access tokens: ES384 under its own key, with the usual time checks; each token's signature
     * verified once per node ({@link VerifiedAccessTokens}).
     */
    @Bean
    JwtDecoder carnetAccessTokens(SigningKeys keys) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(SigningKeys.ALGORITHM, keys));
        processor.setJWTClaimsSetVerifier(null);
        NimbusJwtDecoder decoder = new NimbusJwtDecoder(processor);
        OAuth2TokenValidator<Jwt> timeChecks = JwtValidators.createDefault();
        decoder.setJwtValidator(timeChecks);
        return new VerifiedAccessTokens(decoder, timeChecks);
    }

    /**
     * {@code /oauth2/authorize}: a professional's page session (the page chain's sign-in, password then
     * second factor, comes back here through the saved request), then the consent page, then the code
     * sent to the program's registered redirect URI. CSRF does not apply to Spring Authorization
     * Server's endpoint; the consent it posts carries the state bound to this person.
     */
    @Bean
    @Order(-2)
    SecurityFilterChain authorizationEndpoint(
            HttpSecurity http,
            Registrations registrations,
            HashedAuthorizations authorizations,
            SigningKeys keys,
            ClientStore clients,
            PairwiseSubjects subjects,
            AuthorizationServerSettings settings)
            throws Exception {
        http.securityMatcher(ClientsDiscovery.AUTHORIZE)
                .oauth2AuthorizationServer(server -> server.registeredClientRepository(registrations)
                        .authorizationService(authorizations)
                        .authorizationConsentService(new NoRememberedConsent())
                        .authorizationServerSettings(settings)
                        .tokenGenerator(tokenGenerator(keys, clients, subjects))
                        .authorizationEndpoint(endpoint -> endpoint.consentPage(ConsentPage.PATH)
                                .authorizationRequestConverter(new CodeGrantProgramsOnly(registrations))
                                .errorResponseHandler(new AuthorizationErrors())
                                .authenticationProviders(providers -> providers.forEach(provider -> {
                                    if (provider
                                            instanceof OAuth2AuthorizationCodeRequestAuthenticationProvider request) {
                                        request.setAuthenticationValidator(new AuthorizationRequestRules());
                                        request.setAuthorizationConsentRequired(
                                                new ProfessionalsOfTheEstablishment(clients));
                                    }
                                }))))
                .authorizeHttpRequests(auth -> auth.anyRequest()
                        .access((authentication, request) ->
                                new AuthorizationDecision(SignedIn.everyFactor(authentication.get()))))
                .exceptionHandling(e -> e.authenticationEntryPoint(new LoginUrlAuthenticationEntryPoint("/login")))
                .headers(headers -> headers.contentSecurityPolicy(
                                csp -> csp.policyDirectives("default-src 'none'; frame-ancestors 'none'"))
                        .frameOptions(frame -> frame.deny()));
        return http.build();
    }

    private static OAuth2TokenGenerator<?> tokenGenerator(
            SigningKeys keys, ClientStore clients, PairwiseSubjects subjects) {
        JwtGenerator tokens = new JwtGenerator(new NimbusJwtEncoder(keys));
        tokens.setJwtCustomizer(claims(clients, subjects));
        // Access tokens, and ID tokens for the authorization code with openid: no refresh token is ever made.
        return new DelegatingOAuth2TokenGenerator(tokens);
    }

    @Bean
    @Order(-1)
    SecurityFilterChain authorizationServer(
            HttpSecurity http,
            Registrations registrations,
            HashedAuthorizations authorizations,
            AssertionDecoders assertions,
            SigningKeys keys,
            ClientStore clients,
            PairwiseSubjects subjects,
            AuthorizationServerSettings settings)
            throws Exception {
        http.securityMatcher(SERVER)
                .oauth2AuthorizationServer(server -> server.registeredClientRepository(registrations)
                        .authorizationService(authorizations)
                        .authorizationServerSettings(settings)
                        .tokenGenerator(tokenGenerator(keys, clients, subjects))
                        .clientAuthentication(client -> client.authenticationConverters(
                                        converters -> converters.add(0, new SmartAssertions()))
                                .authenticationProviders(providers -> providers.forEach(provider -> {
                                    if (provider instanceof JwtClientAssertionAuthenticationProvider jwt) {
                                        jwt.setJwtDecoderFactory(assertions);
                                    }
                                })))
                        .tokenEndpoint(endpoint ->
                                endpoint.authenticationProviders(providers -> providers.forEach(provider -> {
                                    if (provider instanceof OAuth2ClientCredentialsAuthenticationProvider credentials) {
                                        credentials.setAuthenticationValidator(new ScopeRequests());
                                    }
                                })))
                        .tokenIntrospectionEndpoint(introspection ->
                                introspection.authenticationProviders(providers -> providers.replaceAll(
                                        provider -> provider instanceof OAuth2TokenIntrospectionAuthenticationProvider
                                                ? new OwnTokensOnly(provider)
                                                : provider))))
                .authorizeHttpRequests(auth -> auth.requestMatchers(ClientsDiscovery.JWKS)
                        .permitAll()
                        .anyRequest()
                        .authenticated())
                .exceptionHandling(e -> e.authenticationEntryPoint(new HttpStatusEntryPoint(HttpStatus.UNAUTHORIZED)))
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .headers(headers -> headers.contentSecurityPolicy(
                        csp -> csp.policyDirectives("default-src 'none'; frame-ancestors 'none'")));
        return http.build();
    }

    @Bean
    @Order(0)
    SecurityFilterChain fhir(
            HttpSecurity http,
            JwtDecoder carnetAccessTokens,
            IssuedTokens issued,
            Logins logins,
            ClientQuotas quotas,
            Clock clock,
            OpaqueTokenIntrospector personTokens,
            List<UrlRules> modules)
            throws Exception {
        BearerTokenAuthenticationEntryPoint bearer = new BearerTokenAuthenticationEntryPoint();
        // A refusal says why in WWW-Authenticate (RFC 6750) and, as FHIR wants, in an OperationOutcome.
        AuthenticationEntryPoint refused = (request, response, e) -> {
            bearer.commence(request, response, e);
            response.setContentType("application/fhir+json;charset=UTF-8");
            response.getOutputStream().write(UNAUTHORIZED);
        };
        http.securityMatcher("/fhir", "/fhir/**")
                .authorizeHttpRequests(auth -> {
                    // Public resources (the fhir module's rules) for anyone; the rest for a program's token.
                    modules.forEach(rules -> rules.fhir(auth));
                    auth.anyRequest().authenticated();
                })
                .oauth2ResourceServer(resource -> resource.authenticationManagerResolver(
                                bearerTokens(carnetAccessTokens, issued, logins, clock, personTokens))
                        .authenticationEntryPoint(refused))
                .exceptionHandling(e -> e.authenticationEntryPoint(refused))
                // A program's request counts against its quota once its token is checked, before anything else.
                .addFilterAfter(new RequestQuota(quotas), BearerTokenAuthenticationFilter.class)
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

    /**
     * Which tokens {@code /fhir} accepts: a program's access token (a JWT of Carnet's authorization
     * server, checked against the issued tokens on every request), or a signed-in person's API token
     * (identity's opaque {@code ct1.} tokens, as for {@code /api/v1}). A person's token opens nothing a
     * program's scopes guard; only the security officer's opens {@code AuditEvent} (the fhir module
     * decides, per resource).
     */
    private static AuthenticationManagerResolver<HttpServletRequest> bearerTokens(
            JwtDecoder carnetAccessTokens,
            IssuedTokens issued,
            Logins logins,
            Clock clock,
            OpaqueTokenIntrospector personTokens) {
        JwtAuthenticationProvider programs = new JwtAuthenticationProvider(carnetAccessTokens);
        programs.setJwtAuthenticationConverter(token -> issued.find(token.getTokenValue())
                .filter(found -> found.usable(clock.instant()))
                .flatMap(found -> program(found, logins))
                .map(ClientAuthentication::new)
                .orElseThrow(() -> new InvalidBearerTokenException(
                        "The token is revoked, expired, its program is not active or its person may not sign in")));
        AuthenticationManager programTokens = new ProviderManager(programs);
        AuthenticationManager signedInPersons =
                new ProviderManager(new OpaqueTokenAuthenticationProvider(personTokens));
        DefaultBearerTokenResolver bearer = new DefaultBearerTokenResolver();
        return request -> {
            String token = bearer.resolve(request);
            // identity's tokens carry their version prefix; a JWT (base64url JSON) never starts with it.
            return token != null && token.startsWith(PERSON_TOKEN_PREFIX) ? signedInPersons : programTokens;
        };
    }

    /**
     * The program a usable token stands for: acting for itself, or for the professional who authorized
     * it, looked up on this very request (a locked or blocked login, or one no longer a professional of
     * the establishment, stops the token at once).
     */
    private static Optional<Actor.Client> program(IssuedTokens.Issued found, Logins logins) {
        UUID userId = found.userId();
        // openid asked for an ID token; it opens nothing under /fhir.
        Set<String> scopes = found.scopes().stream()
                .filter(scope -> !scope.equals(OidcScopes.OPENID))
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
        if (userId == null) {
            return Optional.of(new Actor.Client(found.clientId(), found.establishment(), scopes));
        }
        return logins.signInAllowed(userId)
                .filter(person -> ProfessionalsOfTheEstablishment.PROFESSIONALS.contains(person.role()))
                .filter(person -> found.establishment().equals(person.establishment()))
                .map(person -> new Actor.Client(found.clientId(), found.establishment(), scopes, person));
    }

    /**
     * Access tokens: ES384, and the program's establishment beside its client id and scopes; one acting
     * for a person names them by the same pairwise pseudonym as the ID token. ID tokens
     * (authorization code with {@code openid}): ES384, naming the person by a pairwise pseudonym
     * instead of their login id, valid as long as an access token, and nothing else about them.
     */
    private static OAuth2TokenCustomizer<JwtEncodingContext> claims(ClientStore clients, PairwiseSubjects subjects) {
        return context -> {
            if (ID_TOKEN.equals(context.getTokenType())) {
                context.getJwsHeader().algorithm(SignatureAlgorithm.ES384);
                UUID clientId = UUID.fromString(context.getRegisteredClient().getId());
                org.springframework.security.core.Authentication person = context.getPrincipal();
                UUID loginId = UUID.fromString(
                        java.util.Objects.requireNonNull(person, "principal").getName());
                context.getClaims().claims(claims -> {
                    claims.remove("sid");
                    claims.remove("auth_time");
                    if (claims.get("iat") instanceof java.time.Instant issued) {
                        claims.put("exp", issued.plus(Registrations.TOKEN_LIFETIME));
                    }
                });
                context.getClaims().subject(subjects.of(clientId, loginId));
                return;
            }
            if (!OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
                return;
            }
            context.getJwsHeader().algorithm(SignatureAlgorithm.ES384);
            UUID clientId = UUID.fromString(context.getRegisteredClient().getId());
            if (AuthorizationGrantType.AUTHORIZATION_CODE.equals(context.getAuthorizationGrantType())) {
                // The program can read its access token: the person in it is the same pairwise pseudonym
                // as in its ID token, never the login id, which every program would see alike. Carnet
                // itself finds the person from the issued token's record, not from this claim.
                org.springframework.security.core.Authentication person = context.getPrincipal();
                UUID loginId = UUID.fromString(
                        java.util.Objects.requireNonNull(person, "principal").getName());
                context.getClaims().subject(subjects.of(clientId, loginId));
            }
            clients.find(clientId)
                    .ifPresent(client -> context.getClaims()
                            .claim("client_id", clientId.toString())
                            .claim(
                                    "establishment_id",
                                    client.establishment().value().toString()));
        };
    }
}
