package org.carnet.notifications.internal;

import java.util.List;
import java.util.Locale;
import org.carnet.notifications.Channel;
import org.carnet.notifications.MessageText;
import org.springframework.stereotype.Component;
import org.thymeleaf.ITemplateEngine;
import org.thymeleaf.context.Context;

/**
 * Writes a notice as an e-mail or an SMS in the recipient's language: a greeting by first name, what
 * happened (the inbox message's words), where to look in the app, the message's verification code,
 * and the line every message ends with. Never a link, never a secret; the words come from the
 * messages {@code outgoing.*} and {@code inbox.<kind>.*}.
 */
@Component
public class OutgoingMessages {

    private final MessageText text;
    private final ITemplateEngine templates;

    OutgoingMessages(MessageText text, ITemplateEngine templates) {
        this.text = text;
        this.templates = templates;
    }

    public Envelope compose(
            Channel channel, String to, String firstName, Locale locale, String kind, List<?> params, String code) {
        MessageText.Rendered message = text.render(kind, params, locale);
        String footer = text.say("outgoing.footer", locale);
        if (channel == Channel.SMS) {
            return new Envelope(
                    Channel.SMS,
                    to,
                    message.subject(),
                    text.say("outgoing.sms", locale, message.body(), code, footer),
                    null);
        }
        String greeting = text.say("outgoing.greeting", locale, firstName);
        // A kind may say where to look itself: an invitee has no inbox to read yet.
        String where = text.sayEither("inbox." + kind + ".where", "outgoing.where", locale);
        String codeLine = text.say("outgoing.code", locale, code);
        String plain =
                greeting + "\n\n" + message.body() + "\n\n" + where + "\n" + codeLine + "\n\n-- \n" + footer + "\n";
        Context context = new Context(locale);
        context.setVariable("subject", message.subject());
        context.setVariable("greeting", greeting);
        context.setVariable("body", message.body());
        context.setVariable("where", where);
        context.setVariable("code", codeLine);
        context.setVariable("footer", footer);
        context.setVariable("lang", locale.getLanguage());
        return new Envelope(
                Channel.EMAIL,
                to,
                text.say("outgoing.subject", locale, message.subject()),
                plain,
                templates.process("mail/notice", context));
    }
}
