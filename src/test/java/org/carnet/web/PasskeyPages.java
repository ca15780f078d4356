package org.carnet.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import org.carnet.support.Browser;
import org.carnet.support.RequiresChromium;
import org.carnet.support.TestDatabase;
import org.openqa.selenium.virtualauthenticator.HasVirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticatorOptions;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * What the passkey browser tests share: Carnet on one fixed free port (a passkey is bound to the
 * page's origin, which the server must know in advance), so that they share one application context,
 * and Chromium's virtual authenticator standing in for a phone.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@ActiveProfiles("test")
@ContextConfiguration(initializers = TestDatabase.class)
@RequiresChromium
abstract class PasskeyPages {

    static final int PORT = freePort();

    @DynamicPropertySource
    static void origin(DynamicPropertyRegistry registry) {
        registry.add("server.port", () -> PORT);
        registry.add("carnet.security.passkey-origins", () -> "http://localhost:" + PORT);
    }

    /** A platform authenticator (a phone, a laptop's fingerprint reader); with or without user verification. */
    static VirtualAuthenticator authenticator(Browser browser, boolean verifiesUser) {
        return ((HasVirtualAuthenticator) browser.driver())
                .addVirtualAuthenticator(new VirtualAuthenticatorOptions()
                        .setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
                        .setTransport(VirtualAuthenticatorOptions.Transport.INTERNAL)
                        .setHasResidentKey(true)
                        .setHasUserVerification(verifiesUser)
                        .setIsUserVerified(verifiesUser)
                        .setIsUserConsenting(true));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
