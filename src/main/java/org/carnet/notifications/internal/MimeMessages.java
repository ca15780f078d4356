package org.carnet.notifications.internal;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.util.StreamProvider;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.UUID;
import org.springframework.mail.javamail.ConfigurableMimeFileTypeMap;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;

/**
 * Builds an outgoing e-mail: plain text and HTML alternatives, UTF-8, from Carnet's sender, with a
 * Message-ID made of the outbox id, and a DKIM signature when a key is configured.
 */
@Component
class MimeMessages {

    static {
        // Jakarta Mail finds its stream provider anew for every multipart, body part and encoded word: with no
        // name given, each time through a ServiceLoader scan of the class path, which was half of the outbox's
        // CPU in the booking benchmark's profile. Named (FactoryFinder's first rule), it is a class look-up.
        if (System.getProperty(StreamProvider.class.getName()) == null) {
            System.setProperty(StreamProvider.class.getName(), "org.eclipse.angus.mail.util.MailStreamProvider");
        }
    }

    /** The file type map every message shares (MimeMessageHelper otherwise reads the mime.types files anew for each). */
    private static final ConfigurableMimeFileTypeMap FILE_TYPES = new ConfigurableMimeFileTypeMap();

    static {
        FILE_TYPES.afterPropertiesSet();
    }

    private final MailProperties properties;
    private final DkimSigning dkim;

    MimeMessages(MailProperties properties, DkimSigning dkim) {
        this.properties = properties;
        this.dkim = dkim;
    }

    MimeMessage build(Session session, UUID id, Envelope envelope)
            throws MessagingException, UnsupportedEncodingException {
        String messageId = "<" + id + "@" + properties.fromDomain() + ">";
        MimeMessage message = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", messageId);
            }
        };
        MimeMessageHelper helper =
                new MimeMessageHelper(message, envelope.html() != null, StandardCharsets.UTF_8.name()) {
                    @Override
                    protected jakarta.activation.FileTypeMap getDefaultFileTypeMap(MimeMessage mimeMessage) {
                        return FILE_TYPES;
                    }
                };
        helper.setFrom(new InternetAddress(properties.from(), true));
        helper.setTo(new InternetAddress(envelope.to(), true));
        helper.setSubject(envelope.subject());
        // Lines end in CRLF on the wire: a bare LF is refused by some servers and breaks DKIM's body hash.
        if (envelope.html() != null) {
            helper.setText(crlf(envelope.text()), crlf(envelope.html()));
        } else {
            helper.setText(crlf(envelope.text()));
        }
        message.saveChanges();
        return dkim.sign(message);
    }

    private static String crlf(String text) {
        return text.replace("\r\n", "\n").replace("\n", "\r\n");
    }

    /**
     * Made once: a new session reads the mail provider files from the class path, which was 44 % of the
     * outbox delivery's CPU when made per message (docs/performance.md). Sessions are thread-safe.
     */
    private static final Session LOCAL = Session.getInstance(new Properties());

    /** A session for building messages that are written rather than sent. */
    static Session localSession() {
        return LOCAL;
    }
}
