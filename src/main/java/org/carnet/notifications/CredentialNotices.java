package org.carnet.notifications;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.carnet.identity.LoginEmailChanged;
import org.carnet.identity.PasskeyAdded;
import org.carnet.identity.PasswordChanged;
import org.carnet.identity.SignedInFromNewDevice;
import org.carnet.shared.Role;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Tells the owner of an account that its password or its e-mail address changed, that a passkey was
 * added, or that it was signed in to from a new browser: each is how an account is taken over by
 * someone who got hold of a password or a session. The e-mail-change notice goes to
 * the <em>previous</em> address, by e-mail whatever the channel chosen: it is written in the change's
 * own transaction, before the patient's copies of the address are updated (this listener runs
 * first), so that the rightful owner hears of it where they still read.
 */
@Component
class CredentialNotices {

    private final Notices notices;
    private final Clock clock;

    CredentialNotices(Notices notices, Clock clock) {
        this.notices = notices;
        this.clock = clock;
    }

    @ApplicationModuleListener(id = "notifications.password-changed")
    void on(PasswordChanged changed) {
        notices.send(
                "password-changed:" + changed.userId() + ":" + changed.at().toEpochMilli(),
                recipient(changed.role(), changed.subjectId()),
                "password-changed",
                List.of(changed.at()));
    }

    @ApplicationModuleListener(id = "notifications.passkey-added")
    void on(PasskeyAdded added) {
        notices.send(
                "passkey-added:" + added.userId() + ":" + added.at().toEpochMilli(),
                recipient(added.role(), added.subjectId()),
                "passkey-added",
                List.of(added.at()));
    }

    @ApplicationModuleListener(id = "notifications.new-device")
    void on(SignedInFromNewDevice signedIn) {
        notices.send(
                "new-device:" + signedIn.userId() + ":" + signedIn.at().toEpochMilli(),
                recipient(signedIn.role(), signedIn.subjectId()),
                "new-device",
                List.of(signedIn.at(), signedIn.browser()));
    }

    @EventListener
    @Order(Ordered.HIGHEST_PRECEDENCE)
    void on(LoginEmailChanged changed) {
        Instant now = clock.instant();
        notices.sendByEmail(
                "email-changed:" + changed.userId() + ":" + now.toEpochMilli(),
                recipient(changed.role(), changed.subjectId()),
                "email-changed",
                List.of(now));
    }

    private static Recipient recipient(Role role, java.util.UUID subjectId) {
        return role == Role.PATIENT ? Recipient.patient(subjectId) : Recipient.professional(subjectId);
    }
}
