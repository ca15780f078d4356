package org.carnet.notifications;

import java.time.ZoneOffset;
import java.util.List;
import org.carnet.identity.EmailConfirmations;
import org.carnet.patients.AddressConfirmationRequested;
import org.carnet.patients.RegistrationAttempted;
import org.carnet.shared.Role;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * What registration sends: a new account's address gets the 6-digit code that confirms it; the owner
 * of an address someone tried to register again is told so (at most once a day, so that the form
 * cannot be used to flood their mailbox). Each in its own transaction once the registration has
 * committed, retried from the event publication registry; the code is made here, in that
 * transaction, and never travels in an event.
 */
@Component
class RegistrationNotices {

    private final Notices notices;
    private final EmailConfirmations confirmations;

    RegistrationNotices(Notices notices, EmailConfirmations confirmations) {
        this.notices = notices;
        this.confirmations = confirmations;
    }

    @ApplicationModuleListener(id = "notifications.address-confirmation")
    void on(AddressConfirmationRequested requested) {
        confirmations
                .issue(requested.userId())
                .ifPresent(code -> notices.sendAddressConfirmation(
                        "address-confirmation:" + requested.requestId(), requested.patientAccountId(), code));
    }

    @ApplicationModuleListener(id = "notifications.registration-attempted")
    void on(RegistrationAttempted attempted) {
        Recipient recipient = attempted.role() == Role.PATIENT
                ? Recipient.patient(attempted.subjectId())
                : Recipient.professional(attempted.subjectId());
        notices.sendByEmail(
                "registration-attempted:" + attempted.userId() + ":"
                        + attempted.at().atOffset(ZoneOffset.UTC).toLocalDate(),
                recipient,
                "registration-attempted",
                List.of(attempted.at()));
    }
}
