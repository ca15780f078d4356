package org.carnet.notifications;

import java.util.List;
import org.carnet.identity.AccountLocked;
import org.carnet.shared.Role;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Tells the owner of an account (in their inbox, and a patient also by e-mail or SMS) that too many
 * failed sign-ins locked or slowed it down; once the failure that caused it has committed, in its own
 * transaction, retried from the event publication registry if it fails, once per lock.
 */
@Component
class LockoutNotices {

    private final Notices notices;

    LockoutNotices(Notices notices) {
        this.notices = notices;
    }

    @ApplicationModuleListener(id = "notifications.account-locked")
    void on(AccountLocked locked) {
        Recipient recipient = locked.role() == Role.PATIENT
                ? Recipient.patient(locked.subjectId())
                : Recipient.professional(locked.subjectId());
        notices.send(
                "account-locked:" + locked.userId() + ":" + locked.until().toEpochMilli(),
                recipient,
                locked.role() == Role.PATIENT ? "account-throttled" : "account-locked",
                List.of(locked.until()));
    }
}
