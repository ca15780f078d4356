package org.carnet.notifications;

import java.util.List;
import org.carnet.breach.IncidentOpened;
import org.carnet.identity.Logins;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Tells every security officer that an incident was opened, with its Article 33 deadline: in their
 * inbox and, by their preferences, a link-free e-mail. Ids, codes and times only.
 */
@Component
class IncidentNotices {

    private final Notices notices;
    private final Logins logins;

    IncidentNotices(Notices notices, Logins logins) {
        this.notices = notices;
        this.logins = logins;
    }

    @ApplicationModuleListener(id = "notifications.incident-opened")
    void on(IncidentOpened opened) {
        for (var officer : logins.securityOfficers()) {
            notices.send(
                    "security-incident:" + officer + ":" + opened.incidentId(),
                    Recipient.professional(officer),
                    "security-incident",
                    List.of(opened.severity().name(), opened.awareAt(), opened.rule(), opened.notifyBy()));
        }
    }
}
