package org.carnet.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import oidcprovider.ProSanteConnectStandIn;
import org.carnet.directory.Directory;
import org.carnet.scheduling.Agendas;
import org.carnet.shared.Role;
import org.carnet.support.Api;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.carnet.support.PageClient;
import org.carnet.support.Professionals;
import org.carnet.support.TotpCodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.authentication.LockedException;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Issue 12, item 2, last part: professional sign-in through OpenID Connect (Pro Santé Connect), against
 * a real provider started here (Spring Authorization Server, {@link ProSanteConnectStandIn}), driven
 * through its own login form and the authorization-code flow. A practitioner binds their own login to
 * their RPPS; then the password (pages and API) and passkeys no longer open it, an identity with another
 * RPPS cannot get in, and only the right one lands on the agenda, under a new session id. Nobody but
 * the practitioner, with an identity carrying the directory's RPPS, can bind.
 */
@CarnetIntegrationTest
class OidcSignInAttackIntegrationTest {

    static final ProSanteConnectStandIn PROVIDER = ProSanteConnectStandIn.start();

    @DynamicPropertySource
    static void oidc(DynamicPropertyRegistry registry) {
        registry.add("carnet.security.oidc.issuer-uri", PROVIDER::issuer);
        registry.add("carnet.security.oidc.client-id", () -> ProSanteConnectStandIn.CLIENT_ID);
        registry.add("carnet.security.oidc.client-secret", () -> ProSanteConnectStandIn.CLIENT_SECRET);
        registry.add("carnet.security.oidc.scopes", () -> "openid");
    }

    @AfterAll
    static void stopProvider() {
        PROVIDER.stop();
    }

    @Value("${local.server.port}")
    int port;

    @Autowired
    Directory directory;

    @Autowired
    Agendas agendas;

    @Autowired
    Logins logins;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    @Qualifier("passkeyUserDetails")
    UserDetailsService passkeyUsers;

    @BeforeEach
    void carnetIsTheProvidersClient() {
        PROVIDER.redirectUri("http://127.0.0.1:" + port + "/login/oauth2/code/psc");
    }

    @Test
    void aBoundLoginRefusesItsPasswordAnotherRppsCannotGetInAndTheRightOneLandsOnTheAgenda() {
        Fixtures.Agenda agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        Fixtures.Agenda colleague = new Fixtures(directory, agendas).aPractitionerWithSlots();
        String doctor = "doctor-" + UUID.randomUUID();
        String impostor = "impostor-" + UUID.randomUUID();
        PROVIDER.person(doctor, agenda.practitioner().rpps().value());
        PROVIDER.person(impostor, colleague.practitioner().rpps().value());
        Professionals.Login login = new Professionals(logins, transactions)
                .practitioner(agenda.practitioner().id(), agenda.establishment().id());

        // Not bound yet: the right identity alone opens nothing.
        assertThat(signInAtProvider(new PageClient(port), doctor).location())
                .as("an identity whose RPPS is bound to no login")
                .endsWith("/login?error");

        // Binding with an identity whose RPPS is not the directory's: refused, nothing bound.
        PageClient practitioner = new PageClient(port);
        practitioner.signIn(login.email(), login.password(), login.totpSecret());
        assertThat(bind(practitioner, login, impostor).location()).endsWith("/account/security?rpps-refused");
        assertThat(practitioner.get("/agenda").status()).as("still signed in").isEqualTo(200);
        PageClient stillPassword = new PageClient(port);
        assertThat(stillPassword
                        .signIn(login.email(), login.password(), login.totpSecret())
                        .location())
                .endsWith("/agenda");

        // The practitioner binds with their own identity; their password session elsewhere ends.
        assertThat(bind(practitioner, login, doctor).location()).endsWith("/account/security?rpps-bound");
        assertThat(practitioner.get("/account/security").body()).contains("id=\"rpps-bound\"");
        assertThat(stillPassword.get("/agenda").status())
                .as("the other password session ended")
                .isEqualTo(302);

        // The password no longer opens the login: the same answer as a wrong one, pages and API.
        PageClient wrong = new PageClient(port);
        wrong.get("/login");
        String wrongAnswer = wrong.post("/login", Map.of("email", login.email(), "password", "not the password at all"))
                .location();
        PageClient rightPassword = new PageClient(port);
        rightPassword.get("/login");
        assertThat(rightPassword
                        .post("/login", Map.of("email", login.email(), "password", login.password()))
                        .location())
                .isEqualTo(wrongAnswer)
                .endsWith("/login?error");
        Api api = new Api(port);
        Api.Response token = api.post(
                "/api/v1/auth/token",
                Map.of("email", login.email(), "password", login.password(), "otp", TotpCodes.now(login.totpSecret())),
                null);
        assertThat(token.status()).isEqualTo(401);
        assertThat(token.body().get("type").asString()).endsWith("/invalid-credentials");
        // Nor a passkey: the login is refused as a blocked one is.
        assertThatThrownBy(() -> passkeyUsers.loadUserByUsername(login.userId().toString()))
                .isInstanceOf(LockedException.class);

        // Another practitioner's identity (a real RPPS, bound to no login) cannot get in.
        PageClient other = new PageClient(port);
        assertThat(signInAtProvider(other, impostor).location()).endsWith("/login?error");
        assertThat(other.get("/agenda").status()).isEqualTo(302);

        // The right identity lands on the agenda, under a new session id.
        PageClient card = new PageClient(port);
        card.get("/login");
        String before = card.sessionCookie();
        PageClient.Page landed = signInAtProvider(card, doctor);
        assertThat(landed.location()).endsWith("/agenda");
        assertThat(card.sessionCookie()).isNotNull().isNotEqualTo(before);
        PageClient.Page agendaPage = card.get("/agenda");
        assertThat(agendaPage.status()).isEqualTo(200);
        assertThat(agendaPage.body()).contains("id=\"logout\"");
    }

    @Test
    void onlyAPractitionerBindsTheirOwnLogin() {
        Fixtures.Agenda agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        Professionals professionals = new Professionals(logins, transactions);
        Professionals.Login admin = professionals.staff(
                Role.ESTABLISHMENT_ADMIN, agenda.establishment().id());
        String adminsCard = "admin-" + UUID.randomUUID();
        PROVIDER.person(adminsCard, agenda.practitioner().rpps().value());

        // An administrator's session cannot start a binding (not even with an identity carrying a
        // practitioner's RPPS), nor does a provider sign-in bind anything without one.
        PageClient administrator = new PageClient(port);
        administrator.signIn(admin.email(), admin.password(), admin.totpSecret());
        administrator.get("/account/security");
        assertThat(administrator
                        .post("/account/security/rpps", Map.of("currentPassword", admin.password()))
                        .location())
                .endsWith("/account/security");
        assertThat(signInAtProvider(administrator, adminsCard).location()).endsWith("/login?error");
        assertThat(logins.stored(admin.userId()).orElseThrow().rppsBound()).isFalse();

        // A practitioner must give their current password again to start one.
        Professionals.Login login = professionals.practitioner(
                agenda.practitioner().id(), agenda.establishment().id());
        PageClient practitioner = new PageClient(port);
        practitioner.signIn(login.email(), login.password(), login.totpSecret());
        practitioner.get("/account/security");
        PageClient.Page wrongPassword =
                practitioner.post("/account/security/rpps", Map.of("currentPassword", "not my password at all"));
        assertThat(wrongPassword.status()).isEqualTo(200);
        assertThat(wrongPassword.body()).contains("id=\"rpps-password-error\"");
        assertThat(logins.stored(login.userId()).orElseThrow().rppsBound()).isFalse();
    }

    /** Starts a binding on the security page (current password again), then signs in at the provider. */
    private static PageClient.Page bind(PageClient carnet, Professionals.Login login, String userName) {
        carnet.get("/account/security");
        PageClient.Page start = carnet.post("/account/security/rpps", Map.of("currentPassword", login.password()));
        assertThat(start.location()).endsWith("/oauth2/authorization/psc");
        return signInAtProvider(carnet, userName);
    }

    /**
     * The authorization-code flow as a browser runs it: Carnet sends the browser to the provider, the
     * person signs in on the provider's form, the provider sends the browser back with a code, which
     * Carnet exchanges for the ID token. Returns Carnet's answer to the provider's redirect.
     */
    private static PageClient.Page signInAtProvider(PageClient carnet, String userName) {
        PageClient.Page toProvider = carnet.get("/oauth2/authorization/psc");
        assertThat(toProvider.status()).isEqualTo(302);
        assertThat(toProvider.location()).startsWith(PROVIDER.issuer() + "/oauth2/authorize");
        assertThat(toProvider.location()).contains("acr_values=eidas1").contains("code_challenge_method=S256");
        ProviderBrowser browser = new ProviderBrowser();
        HttpResponse<String> answer = browser.get(toProvider.location());
        answer = browser.get(location(answer)); // the provider's login form
        Matcher csrf = Pattern.compile("name=\"_csrf\" type=\"hidden\" value=\"([^\"]+)\"")
                .matcher(answer.body());
        assertThat(csrf.find()).as("the provider's login form").isTrue();
        answer = browser.post(
                PROVIDER.issuer() + "/login",
                Map.of("username", userName, "password", ProSanteConnectStandIn.PASSWORD, "_csrf", csrf.group(1)));
        String next = location(answer);
        while (next.startsWith(PROVIDER.issuer())) {
            answer = browser.get(next);
            next = location(answer);
        }
        URI back = URI.create(next);
        assertThat(back.getPath()).isEqualTo("/login/oauth2/code/psc");
        return carnet.get(back.getRawPath() + "?" + back.getRawQuery());
    }

    private static String location(HttpResponse<String> response) {
        assertThat(response.statusCode()).as("a redirect").isIn(302, 303);
        String location = response.headers().firstValue("Location").orElseThrow();
        return location.startsWith("/") ? PROVIDER.issuer() + location : location;
    }

    /** The browser's side at the provider: its own cookies, redirects followed by hand. */
    private static final class ProviderBrowser {

        private final HttpClient client = HttpClient.newBuilder()
                .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(10))
                .build();

        HttpResponse<String> get(String uri) {
            return send(HttpRequest.newBuilder(URI.create(uri)).GET());
        }

        HttpResponse<String> post(String uri, Map<String, String> fields) {
            StringBuilder form = new StringBuilder();
            fields.forEach((name, value) -> form.append(form.isEmpty() ? "" : "&")
                    .append(URLEncoder.encode(name, StandardCharsets.UTF_8))
                    .append('=')
                    .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
            return send(HttpRequest.newBuilder(URI.create(uri))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form.toString())));
        }

        private HttpResponse<String> send(HttpRequest.Builder request) {
            try {
                return client.send(
                        request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
