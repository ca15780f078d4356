package org.carnet.notifications.web;

import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.carnet.identity.SignedIn;
import org.carnet.notifications.Inbox;
import org.carnet.notifications.InboxMessage;
import org.carnet.notifications.MessageText;
import org.carnet.notifications.Recipient;
import org.carnet.shared.Actor;
import org.carnet.shared.Role;
import org.carnet.shared.WebPage;
import org.jspecify.annotations.Nullable;
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

    record Shown(
            String id,
            String subject,
            String body,
            String postedAt,
            boolean read,
            @Nullable String verificationCode) {}

    private final Inbox inbox;
    private final MessageText text;

    InboxPage(Inbox inbox, MessageText text) {
        this.inbox = inbox;
        this.text = text;
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
        MessageText.Rendered text = this.text.render(message.kind(), message.params(), locale);
        return new Shown(
                message.id().toString(),
                text.subject(),
                text.body(),
                this.text.dateTime(message.postedAt(), locale),
                message.read(),
                message.verificationCode());
    }

    private static String base(Actor.Person principal) {
        return principal.role() == Role.PATIENT ? "/me/inbox" : "/inbox";
    }
}
