package org.carnet.notifications;

import java.util.List;
import org.carnet.identity.PasskeyAdded;
import org.carnet.shared.Role;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Tells the owner of an account, in their inbox (and a patient also by e-mail or SMS), that a passkey
 * was added to it: a passkey signs in
 * without the password, so one added by someone else must not go unnoticed. Delivered once the
 * passkey is stored, in its own transaction, retried from the event publication registry.
 */
@Component
class PasskeyNotices {

    private final Notices notices;

    PasskeyNotices(Notices notices) {
        this.notices = notices;
    }

    @ApplicationModuleListener(id = "notifications.passkey-added")
    void on(PasskeyAdded added) {
        Recipient recipient = added.role() == Role.PATIENT
                ? Recipient.patient(added.subjectId())
                : Recipient.professional(added.subjectId());
        notices.send(
                "passkey-added:" + added.userId() + ":" + added.at().toEpochMilli(),
                recipient,
                "passkey-added",
                List.of(added.at()));
    }
}
