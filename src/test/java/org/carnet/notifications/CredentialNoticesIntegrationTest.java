package org.carnet.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.carnet.support.TestMailServer.text;

import jakarta.mail.internet.MimeMessage;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.carnet.support.Api;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.carnet.support.PageClient;
import org.carnet.support.TestMailServer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

/**
 * A changed password or e-mail address, and a sign-in from a new browser, are told to the account's
 * owner; an address change to the old address.
 */
@CarnetIntegrationTest
class CredentialNoticesIntegrationTest {

    @Value("${local.server.port}")
    int port;

    @Autowired
    NotificationPreferences preferences;

    @Test
    void aChangedPasswordAndAChangedAddressAreToldWhereTheOwnerStillReads() throws Exception {
        Api api = new Api(port);
        Map<String, Object> registration = Fixtures.aRegistration();
        Fixtures.Patient patient = Fixtures.registered(api, registration);
        String password = (String) registration.get("password");
        PageClient pages = new PageClient(port);
        pages.signIn(patient.email(), password, null);

        pages.get("/account/security");
        String newPassword = "another long synthetic password";
        assertThat(pages.post(
                                "/account/security/password",
                                Map.of("currentPassword", password, "newPassword", newPassword))
                        .location())
                .endsWith("/account/security?changed=password");
        // After the address confirmation sent at registration.
        MimeMessage passwordChanged = TestMailServer.awaitTo(patient.email(), 2).get(1);
        assertThat(passwordChanged.getSubject()).isEqualTo("Carnet : Le mot de passe de votre compte a été changé");
        assertThat(text(passwordChanged)).contains("Si ce n’était pas vous").doesNotContain("http");

        pages.get("/account/security");
        String newEmail = "moved-" + UUID.randomUUID() + "@example.test";
        assertThat(pages.post("/account/security/email", Map.of("currentPassword", newPassword, "newEmail", newEmail))
                        .location())
                .endsWith("/account/security?changed=email");
        List<MimeMessage> old = TestMailServer.awaitTo(patient.email(), 3);
        MimeMessage emailChanged = old.get(2);
        assertThat(emailChanged.getSubject()).isEqualTo("Carnet : L’adresse e-mail de votre compte a été changée");
        assertThat(text(emailChanged))
                .contains("ce message est envoyé à l’ancienne adresse")
                .doesNotContain(newEmail)
                .doesNotContain("http");
        // The new address gets its own confirmation code, and nothing else.
        assertThat(Fixtures.confirmationCode(newEmail)).matches("[0-9]{6}");
        assertThat(TestMailServer.to(newEmail)).hasSize(1);
    }

    @Test
    void aSignInFromABrowserTheAccountNeverUsedIsToldOnceAndTheFirstOneNever() throws Exception {
        Api api = new Api(port);
        Map<String, Object> registration = Fixtures.aRegistration();
        Fixtures.Patient patient = Fixtures.registered(api, registration);
        String password = (String) registration.get("password");
        // The address confirmation sent at registration.
        TestMailServer.awaitTo(patient.email(), 1);

        PageClient usual = new PageClient(port);
        assertThat(usual.signIn(patient.email(), password, null).location()).endsWith("/me/appointments");
        // The same browser again, after signing out: still known.
        usual.post("/logout", Map.of());
        assertThat(usual.signIn(patient.email(), password, null).location()).endsWith("/me/appointments");

        PageClient stranger = new PageClient(port)
                .userAgent("Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0");
        assertThat(stranger.signIn(patient.email(), password, null).location()).endsWith("/me/appointments");
        MimeMessage newDevice = TestMailServer.awaitTo(patient.email(), 2).get(1);
        assertThat(newDevice.getSubject()).isEqualTo("Carnet : Nouvelle connexion à votre compte");
        assertThat(text(newDevice))
                .contains("(Firefox, Linux)")
                .contains("changez-le tout de suite")
                .doesNotContain("http")
                .doesNotContain("127.0.0.1");

        // The stranger's browser is now known too; a third one is told again, in the language now chosen.
        stranger.post("/logout", Map.of());
        stranger.signIn(patient.email(), password, null);
        preferences.set(
                Recipient.patient(patient.account()),
                new NotificationPreferences.Preferences(Locale.ENGLISH, Channel.EMAIL, true));
        new PageClient(port).signIn(patient.email(), password, null);
        MimeMessage third = TestMailServer.awaitTo(patient.email(), 3).get(2);
        assertThat(third.getSubject()).isEqualTo("Carnet: New sign-in to your account");
        assertThat(text(third))
                .contains("from a browser never used for this account before (—)")
                .doesNotContain("http");
        Thread.sleep(1_000);
        assertThat(TestMailServer.to(patient.email())).hasSize(3);
    }
}
