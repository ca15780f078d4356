package org.carnet.notifications;

import java.util.List;
import org.carnet.identity.AccountLocked;
import org.carnet.shared.Role;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Tells the owner of an account, in their inbox, that too many failed sign-ins locked or slowed it
 * down; once the failure that caused it has committed, in its own transaction, retried from the
 * event publication registry if it fails.
 */
@Component
class LockoutNotices {

    private final Inbox inbox;

    LockoutNotices(Inbox inbox) {
        this.inbox = inbox;
    }

    @ApplicationModuleListener(id = "notifications.account-locked")
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
