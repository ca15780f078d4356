package org.carnet.notifications.web;

import org.carnet.identity.SignedIn;
import org.carnet.notifications.Inbox;
import org.carnet.notifications.Recipient;
import org.carnet.shared.WebPage;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * Every page's header shows how many inbox messages the signed-in user has not read: once every factor is
 * given, not to a session that has passed the password alone.
 */
@ControllerAdvice(annotations = WebPage.class)
class InboxAdvice {

    private final Inbox inbox;

    InboxAdvice(Inbox inbox) {
        this.inbox = inbox;
    }

    @ModelAttribute("unreadMessages")
    Integer unreadMessages() {
        if (!SignedIn.everyFactor(SecurityContextHolder.getContext().getAuthentication())) {
            return 0; // half-way through a sign-in (a password alone): nothing of the account is shown yet
        }
        return SignedIn.current().map(p -> inbox.unread(Recipient.of(p))).orElse(0);
    }
}
