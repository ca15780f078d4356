package org.carnet.support;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * A real SMTP server (GreenMail) in the tests' JVM, on a free port, that every integration test's
 * Carnet sends its e-mail to. Tests find their messages by recipient: each test's patients have
 * addresses of their own.
 */
public final class TestMailServer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    private static GreenMail server;

    /** The running server, started on first use. */
    public static synchronized GreenMail server() {
        if (server == null) {
            server = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
            server.start();
        }
        return server;
    }

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        if (context.getEnvironment().containsProperty("spring.mail.host")) {
            return; // a test that brings its own server
        }
        context.getEnvironment()
                .getPropertySources()
                .addFirst(new MapPropertySource(
                        "carnet-test-mail",
                        Map.of(
                                "spring.mail.host",
                                "127.0.0.1",
                                "spring.mail.port",
                                server().getSmtp().getPort())));
    }

    /** The messages received for an address so far, oldest first. */
    public static List<MimeMessage> to(String address) {
        return Arrays.stream(server().getReceivedMessages())
                .filter(m -> sentTo(m, address))
                .toList();
    }

    /** Waits (at most 30 s) until the address has received {@code count} messages, then returns them. */
    public static List<MimeMessage> awaitTo(String address, int count) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> to(address).size() >= count);
        return to(address);
    }

    /** The message's plain-text and HTML parts, as sent. */
    public static String body(MimeMessage message) {
        // Without the MIME boundaries' random numbers, which may hold any digits (a "1990" by chance).
        return GreenMailUtil.getBody(message).replaceAll("_part_[0-9_.]+", "_part_");
    }

    /** The message's plain-text part, decoded. */
    public static String text(MimeMessage message) {
        return text(message, "text/plain");
    }

    /** The decoded text of the message's first part of this type. */
    public static String text(jakarta.mail.Part part, String type) {
        try {
            if (part.isMimeType(type)) {
                return (String) part.getContent();
            }
            if (part.isMimeType("multipart/*")) {
                jakarta.mail.Multipart multipart = (jakarta.mail.Multipart) part.getContent();
                for (int i = 0; i < multipart.getCount(); i++) {
                    jakarta.mail.BodyPart child = multipart.getBodyPart(i);
                    String found = text(child, type);
                    if (!found.isEmpty()) {
                        return found;
                    }
                }
            }
            return "";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean sentTo(MimeMessage message, String address) {
        try {
            Address[] recipients = message.getAllRecipients();
            return recipients != null
                    && Arrays.stream(recipients).anyMatch(r -> r.toString().equalsIgnoreCase(address));
        } catch (MessagingException e) {
            return false;
        }
    }
}
