package org.carnet.notifications;

import java.util.List;
import org.carnet.identity.AccountLocked;
import org.carnet.identity.Logins;
import org.carnet.shared.Role;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Tells the owner of an account (in their inbox, and a patient also by e-mail or SMS) each time too
 * many failed sign-ins lock it or slow it down; once the same account has been locked again and
 * again, tells every security officer too (the login's id, role and lock number: no name, no
 * address). Once the failure that caused it has committed, in its own transaction, retried from the
 * event publication registry if it fails, once per lock.
 */
@Component
class LockoutNotices {

    private final Notices notices;
    private final Logins logins;

    LockoutNotices(Notices notices, Logins logins) {
        this.notices = notices;
        this.logins = logins;
    }

    @ApplicationModuleListener(id = "notifications.account-locked")
    void on(AccountLocked locked) {
        Recipient recipient = locked.role() == Role.PATIENT
                ? Recipient.patient(locked.subjectId())
                : Recipient.professional(locked.subjectId());
        String lock = locked.userId() + ":" + locked.until().toEpochMilli();
        notices.send(
                "account-locked:" + lock,
                recipient,
                locked.role() == Role.PATIENT ? "account-throttled" : "account-locked",
                List.of(locked.until()));
        if (locked.alertOfficers()) {
            for (var officer : logins.securityOfficers()) {
                notices.send(
                        "account-locked-repeatedly:" + officer + ":" + lock,
                        Recipient.professional(officer),
                        "account-locked-repeatedly",
                        List.of(
                                locked.userId().toString(),
                                locked.role().name(),
                                Integer.toString(locked.lockNumber()),
                                locked.until()));
            }
        }
    }
}
