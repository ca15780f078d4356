package org.carnet.notifications.internal;

import java.util.UUID;
import org.springframework.mail.javamail.JavaMailSenderImpl;

/** E-mail through the SMTP server of {@code spring.mail.*}. */
class SmtpMailTransport implements MailTransport {

    private final JavaMailSenderImpl sender;
    private final MimeMessages messages;

    SmtpMailTransport(JavaMailSenderImpl sender, MimeMessages messages) {
        this.sender = sender;
        this.messages = messages;
    }

    @Override
    public void send(UUID id, Envelope envelope) throws Exception {
        sender.send(messages.build(sender.getSession(), id, envelope));
    }
}
