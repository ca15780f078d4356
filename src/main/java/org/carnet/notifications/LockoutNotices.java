package org.carnet.notifications;

import java.util.List;
import org.carnet.identity.AccountLocked;
import org.carnet.shared.Role;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Tells the owner of an account, in their inbox, that too many failed sign-ins locked or slowed it
 * down; in the same transaction as the failure that caused it.
 */
@Component
class LockoutNotices {

    private final Inbox inbox;

    LockoutNotices(Inbox inbox) {
        this.inbox = inbox;
    }

    @EventListener
    void on(AccountLocked locked) {
        Recipient recipient = locked.role() == Role.PATIENT
                ? Recipient.patient(locked.subjectId())
                : Recipient.professional(locked.subjectId());
        inbox.post(
                recipient,
                locked.role() == Role.PATIENT ? "account-throttled" : "account-locked",
                List.of(locked.until()));
    }
}
