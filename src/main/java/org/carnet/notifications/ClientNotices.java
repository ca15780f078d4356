package org.carnet.notifications;

import java.util.List;
import java.util.Locale;
import org.carnet.clients.ClientStateChanged;
import org.carnet.clients.ClientStatus;
import org.carnet.clients.Clients;
import org.carnet.identity.Logins;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Tells the security officers in their inbox that a program waits for their decision, and the
 * administrator who requested a program each time its state changes (approved, refused, suspended,
 * reinstated, revoked). Ids, the program's name and times only.
 */
@Component
class ClientNotices {

    private final Notices notices;
    private final Logins logins;

    ClientNotices(Notices notices, Logins logins) {
        this.notices = notices;
        this.logins = logins;
    }

    @ApplicationModuleListener(id = "notifications.client-state-changed")
    void on(ClientStateChanged changed) {
        String event =
                changed.clientId() + ":" + changed.status() + ":" + changed.at().toEpochMilli();
        if (changed.status() == ClientStatus.PENDING) {
            for (var officer : logins.securityOfficers()) {
                notices.send(
                        "client-requested:" + officer + ":" + event,
                        Recipient.professional(officer),
                        "client-requested",
                        List.of(changed.program(), changed.clientId().toString()));
            }
            return;
        }
        boolean automatic =
                changed.status() == ClientStatus.SUSPENDED && Clients.BREACH_DETECTION.equals(changed.changedBy());
        notices.send(
                "client-state-changed:" + event,
                Recipient.professional(changed.administrator()),
                automatic
                        ? "client-suspended-automatically"
                        : "client-" + changed.status().name().toLowerCase(Locale.ROOT),
                List.of(changed.program(), changed.at()));
    }
}
