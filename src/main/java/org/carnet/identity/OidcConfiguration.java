package org.carnet.identity;

import java.time.Clock;
import java.util.HashSet;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestCustomizers;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;

/**
 * Professional sign-in through OpenID Connect, when {@code carnet.security.oidc.issuer-uri} is set
 * (otherwise none of this exists and sign-in is as before). The provider is discovered at the first
 * sign-in, so Carnet starts while the provider is unreachable.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(OidcProperties.class)
class OidcConfiguration {

    static final String ENABLED = "'${carnet.security.oidc.issuer-uri:}' != ''";

    @Bean
    @ConditionalOnExpression(ENABLED)
    ClientRegistrationRepository oidcClientRegistrations(OidcProperties properties) {
        return new DiscoveredRegistration(properties);
    }

    @Bean
    @ConditionalOnExpression(ENABLED)
    OidcSignIn oidcSignIn(
            Logins logins,
            PractitionerRpps directory,
            Sessions sessions,
            AccessTokens tokens,
            SessionUpgrade upgrade,
            OidcProperties properties,
            Clock clock) {
        return new OidcSignIn(logins, directory, sessions, tokens, upgrade, properties.rppsClaim(), clock);
    }

    /** The RPPS claim may come from the user info (Pro Santé Connect's does): always asked for. */
    static OidcUserService userService() {
        OidcUserService service = new OidcUserService();
        service.setRetrieveUserInfo(request -> request.getClientRegistration()
                        .getProviderDetails()
                        .getUserInfoEndpoint()
                        .getUri()
                != null);
        return service;
    }

    /**
     * The authorization request: with PKCE (S256) although Carnet is a confidential client, and with
     * {@code acr_values} when configured (Pro Santé Connect: eidas1).
     */
    static OAuth2AuthorizationRequestResolver authorizationRequests(
            ClientRegistrationRepository registrations, OidcProperties properties) {
        DefaultOAuth2AuthorizationRequestResolver resolver =
                new DefaultOAuth2AuthorizationRequestResolver(registrations, "/oauth2/authorization");
        Consumer<OAuth2AuthorizationRequest.Builder> pkce = OAuth2AuthorizationRequestCustomizers.withPkce();
        String acr = properties.acrValues();
        resolver.setAuthorizationRequestCustomizer(
                acr.isBlank()
                        ? pkce
                        : pkce.andThen(request -> request.additionalParameters(extra -> extra.put("acr_values", acr))));
        return resolver;
    }

    /** The one provider, read from its discovery document on first use and kept. */
    static final class DiscoveredRegistration implements ClientRegistrationRepository {

        private final OidcProperties properties;
        private final AtomicReference<@Nullable ClientRegistration> discovered = new AtomicReference<>();

        DiscoveredRegistration(OidcProperties properties) {
            this.properties = properties;
        }

        @Override
        public @Nullable ClientRegistration findByRegistrationId(String registrationId) {
            if (!OidcProperties.REGISTRATION.equals(registrationId)) {
                return null;
            }
            ClientRegistration registration = discovered.get();
            if (registration == null) {
                registration = ClientRegistrations.fromIssuerLocation(
                                Objects.requireNonNull(properties.issuerUri(), "carnet.security.oidc.issuer-uri"))
                        .registrationId(OidcProperties.REGISTRATION)
                        .clientName(properties.displayName())
                        .clientId(Objects.requireNonNull(properties.clientId(), "carnet.security.oidc.client-id"))
                        .clientSecret(properties.clientSecret() == null ? "" : properties.clientSecret())
                        .scope(new HashSet<>(properties.scopes()))
                        .redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
                        .build();
                discovered.compareAndSet(null, registration);
            }
            return registration;
        }
    }
}
