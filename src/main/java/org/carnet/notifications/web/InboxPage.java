package org.carnet.notifications.web;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import org.carnet.identity.SignedIn;
import org.carnet.notifications.Inbox;
import org.carnet.notifications.InboxMessage;
import org.carnet.notifications.Recipient;
import org.carnet.shared.Actor;
import org.carnet.shared.Role;
import org.carnet.shared.WebPage;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;

/**
 * The signed-in user's inbox, each message rendered in the reader's language. Patients reach it at
 * {@code /me/inbox}; professionals, whom {@code /me/**} does not admit, at {@code /inbox}.
 */
@WebPage
class InboxPage {

    record Shown(String id, String subject, String body, String postedAt, boolean read) {}

    private final Inbox inbox;
    private final MessageSource messages;
    private final ZoneId zone;

    InboxPage(Inbox inbox, MessageSource messages, @Value("${carnet.booking.zone:Europe/Paris}") ZoneId zone) {
        this.inbox = inbox;
        this.messages = messages;
        this.zone = zone;
    }

    @GetMapping({"/me/inbox", "/inbox"})
    String list(Model model) {
        Actor.Person principal = SignedIn.required();
        Locale locale = LocaleContextHolder.getLocale();
        List<Shown> shown = inbox.list(Recipient.of(principal), principal).stream()
                .map(m -> render(m, locale))
                .toList();
        model.addAttribute("messages", shown);
        model.addAttribute("base", base(principal));
        model.addAttribute("patient", principal.role() == Role.PATIENT);
        return "inbox";
    }

    @PostMapping({"/me/inbox/{id}/read", "/inbox/{id}/read"})
    String markRead(@PathVariable UUID id) {
        Actor.Person principal = SignedIn.required();
        inbox.markRead(Recipient.of(principal), id);
        return "redirect:" + base(principal) + "#message-" + id;
    }

    private Shown render(InboxMessage message, Locale locale) {
        Object[] args = message.params().stream()
                .map(p -> p instanceof Instant instant ? dateTime(instant, locale) : p)
                .toArray();
        String prefix = "inbox." + message.kind();
        return new Shown(
                message.id().toString(),
                // Never null: each lookup has a default message.
                Objects.requireNonNull(messages.getMessage(prefix + ".subject", args, prefix, locale), "subject"),
                Objects.requireNonNull(messages.getMessage(prefix + ".body", args, "", locale), "body"),
                dateTime(message.postedAt(), locale),
                message.read());
    }

    private String dateTime(Instant instant, Locale locale) {
        String pattern = messages.getMessage("format.datetime", null, locale);
        return DateTimeFormatter.ofPattern(pattern, locale).format(instant.atZone(zone));
    }

    private static String base(Actor.Person principal) {
        return principal.role() == Role.PATIENT ? "/me/inbox" : "/inbox";
    }
}
