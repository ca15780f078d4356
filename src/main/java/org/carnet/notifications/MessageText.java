package org.carnet.notifications;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;

/**
 * What a message says in a reader's language: its subject and body from the messages
 * {@code inbox.<kind>.subject} and {@code inbox.<kind>.body}, times in the platform's zone. The inbox
 * page, e-mails and SMS all say it with these words.
 */
@Component
public class MessageText {

    /** A message as a reader sees it. */
    public record Rendered(String subject, String body) {}

    private final MessageSource messages;
    private final ZoneId zone;

    MessageText(MessageSource messages, @Value("${carnet.booking.zone:Europe/Paris}") ZoneId zone) {
        this.messages = messages;
        this.zone = zone;
    }

    public Rendered render(String kind, List<?> params, Locale locale) {
        Object[] args = params.stream()
                .map(p -> p instanceof Instant instant ? dateTime(instant, locale) : p)
                .toArray();
        String prefix = "inbox." + kind;
        return new Rendered(
                // Never null: each lookup has a default message.
                Objects.requireNonNull(messages.getMessage(prefix + ".subject", args, prefix, locale), "subject"),
                Objects.requireNonNull(messages.getMessage(prefix + ".body", args, "", locale), "body"));
    }

    /** A message of the platform's own (a footer, a label), in the reader's language. */
    public String say(String code, Locale locale, Object... args) {
        return messages.getMessage(code, args, locale);
    }

    /** The message {@code code} if there is one, else the message {@code fallback}. */
    public String sayEither(String code, String fallback, Locale locale) {
        String own = messages.getMessage(code, null, "", locale);
        return own == null || own.isEmpty() ? say(fallback, locale) : own;
    }

    public String dateTime(Instant instant, Locale locale) {
        String pattern = messages.getMessage("format.datetime", null, locale);
        return DateTimeFormatter.ofPattern(pattern, locale).format(instant.atZone(zone));
    }
}
