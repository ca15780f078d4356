package oidcprovider;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.servlet.ServletWebServerFactory;
import org.springframework.boot.web.server.servlet.context.AnnotationConfigServletWebServerApplicationContext;
import org.springframework.boot.web.servlet.DelegatingFilterProxyRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configuration.OAuth2AuthorizationServerConfiguration;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;

/**
 * A real OpenID Connect provider for the tests, standing in for Pro Santé Connect: Spring Authorization
 * Server on a random port, signing ID tokens (RS256, its own key) that carry the RPPS number as Pro Santé
 * Connect does ({@code SubjectNameID}: {@code 8} then the RPPS). People sign in on its own login form
 * with a user name and {@link #PASSWORD}; each user name has the RPPS the test gave it.
 *
 * <p>Outside {@code org.carnet} on purpose: Carnet's component scan must not pick it up. Started with no
 * Spring Boot auto-configuration, only what is declared here.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
public class ProSanteConnectStandIn {

    public static final String CLIENT_ID = "carnet-test-client";
    public static final String CLIENT_SECRET = "carnet-test-secret-" + UUID.randomUUID();
    public static final String PASSWORD = "card-pin-1234";
    public static final String RPPS_CLAIM = "SubjectNameID";

    private static final String CLIENT_KEY = UUID.randomUUID().toString();

    /** The RPPS number of each user name of the provider. */
    private final Map<String, String> rppsByUser = new ConcurrentHashMap<>();

    private volatile String redirectUri = "http://127.0.0.1/unset";

    private AnnotationConfigServletWebServerApplicationContext context;

    /** Starts the provider on a random port of localhost. */
    public static ProSanteConnectStandIn start() {
        AnnotationConfigServletWebServerApplicationContext context =
                new AnnotationConfigServletWebServerApplicationContext(ProSanteConnectStandIn.class);
        ProSanteConnectStandIn provider = context.getBean(ProSanteConnectStandIn.class);
        provider.context = context;
        return provider;
    }

    /** The issuer: the provider's address, as its discovery document gives it. */
    public String issuer() {
        return "http://localhost:" + context.getWebServer().getPort();
    }

    /** Carnet's address for the provider's answers (known once Carnet listens). */
    public void redirectUri(String uri) {
        this.redirectUri = uri;
    }

    /** A person the provider knows, with their RPPS number. */
    public void person(String userName, String rpps) {
        rppsByUser.put(userName, rpps);
    }

    public void stop() {
        context.close();
    }

    @Bean
    ServletWebServerFactory webServer() {
        TomcatServletWebServerFactory tomcat = new TomcatServletWebServerFactory(0);
        // Tomcat runs filters only in front of a servlet; every answer here comes from the filters.
        tomcat.setRegisterDefaultServlet(true);
        return tomcat;
    }

    /** No auto-configuration here: the security filters are put in front of every request by hand. */
    @Bean
    DelegatingFilterProxyRegistrationBean securityFilters() {
        return new DelegatingFilterProxyRegistrationBean("springSecurityFilterChain");
    }

    @Bean
    @Order(1)
    SecurityFilterChain authorizationServer(HttpSecurity http) throws Exception {
        http.oauth2AuthorizationServer(server -> {
                    http.securityMatcher(server.getEndpointsMatcher());
                    server.oidc(Customizer.withDefaults());
                })
                .authorizeHttpRequests(auth -> auth.anyRequest().authenticated())
                .exceptionHandling(e -> e.authenticationEntryPoint(new LoginUrlAuthenticationEntryPoint("/login")))
                .oauth2ResourceServer(resource -> resource.jwt(Customizer.withDefaults()));
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain loginForm(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(auth -> auth.anyRequest().authenticated()).formLogin(Customizer.withDefaults());
        return http.build();
    }

    @Bean
    UserDetailsService people() {
        return userName -> {
            if (!rppsByUser.containsKey(userName)) {
                throw new UsernameNotFoundException("unknown");
            }
            return User.withUsername(userName)
                    .password("{noop}" + PASSWORD)
                    .roles("PS")
                    .build();
        };
    }

    @Bean
    RegisteredClientRepository clients() {
        return new RegisteredClientRepository() {
            @Override
            public void save(RegisteredClient client) {
                // The server saves the client back to upgrade its secret's hash; the one client stays as it is.
            }

            @Override
            public RegisteredClient findById(String id) {
                return CLIENT_KEY.equals(id) ? carnet() : null;
            }

            @Override
            public RegisteredClient findByClientId(String clientId) {
                return CLIENT_ID.equals(clientId) ? carnet() : null;
            }
        };
    }

    private RegisteredClient carnet() {
        return RegisteredClient.withId(CLIENT_KEY)
                .clientId(CLIENT_ID)
                .clientSecret("{noop}" + CLIENT_SECRET)
                .clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                .redirectUri(redirectUri)
                .scope(OidcScopes.OPENID)
                .clientSettings(ClientSettings.builder()
                        .requireAuthorizationConsent(false)
                        .build())
                .build();
    }

    /** The RPPS in the ID token, as Pro Santé Connect's national id: 8 then the RPPS. */
    @Bean
    OAuth2TokenCustomizer<JwtEncodingContext> rppsClaim() {
        return token -> {
            if (OidcParameterNames.ID_TOKEN.equals(token.getTokenType().getValue())) {
                String rpps = rppsByUser.get(token.getPrincipal().getName());
                if (rpps != null) {
                    token.getClaims().claim(RPPS_CLAIM, "8" + rpps);
                }
            }
        };
    }

    @Bean
    JWKSource<SecurityContext> keys() throws NoSuchAlgorithmException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        RSAKey key = new RSAKey.Builder((RSAPublicKey) pair.getPublic())
                .privateKey((RSAPrivateKey) pair.getPrivate())
                .keyID(UUID.randomUUID().toString())
                .build();
        return new ImmutableJWKSet<>(new JWKSet(key));
    }

    @Bean
    JwtDecoder accessTokens(JWKSource<SecurityContext> keys) {
        return OAuth2AuthorizationServerConfiguration.jwtDecoder(keys);
    }

    @Bean
    AuthorizationServerSettings settings() {
        return AuthorizationServerSettings.builder().build();
    }
}
