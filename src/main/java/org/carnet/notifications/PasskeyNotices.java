package org.carnet.notifications;

import java.util.List;
import org.carnet.identity.PasskeyAdded;
import org.carnet.shared.Role;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Tells the owner of an account, in their inbox, that a passkey was added to it: a passkey signs in
 * without the password, so one added by someone else must not go unnoticed. Delivered once the
 * passkey is stored, in its own transaction, retried from the event publication registry.
 */
@Component
class PasskeyNotices {

    private final Inbox inbox;

    PasskeyNotices(Inbox inbox) {
        this.inbox = inbox;
    }

    @ApplicationModuleListener(id = "notifications.passkey-added")
    void on(PasskeyAdded added) {
        Recipient recipient = added.role() == Role.PATIENT
                ? Recipient.patient(added.subjectId())
                : Recipient.professional(added.subjectId());
        inbox.post(recipient, "passkey-added", List.of(added.at()));
    }
}
