package org.carnet.notifications;

import java.util.List;
import org.carnet.scheduling.ActedBy;
import org.carnet.scheduling.AppointmentAffectedByAbsence;
import org.carnet.scheduling.AppointmentCancelled;
import org.carnet.scheduling.AppointmentMoved;
import org.carnet.shared.PatientAccountId;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Tells a patient in their inbox when the practice cancels or moves their appointment, or records an
 * absence of the practitioner over it. Each runs once the change has committed, in its own
 * transaction; one that fails stays in the event publication registry and is retried. A patient
 * without an account (booked over the phone) is told by the practice itself. The listener ids are
 * stored with each publication: they must not change while publications may be outstanding.
 */
@Component
class AppointmentNotices {

    private final Inbox inbox;

    AppointmentNotices(Inbox inbox) {
        this.inbox = inbox;
    }

    @ApplicationModuleListener(id = "notifications.appointment-cancelled")
    void on(AppointmentCancelled cancelled) {
        if (cancelled.by() == ActedBy.PRACTICE && cancelled.patientAccount() != null) {
            post(
                    cancelled.patientAccount(),
                    "appointment-cancelled-by-practice",
                    List.of(cancelled.start(), cancelled.practitionerName()));
        }
    }

    @ApplicationModuleListener(id = "notifications.appointment-moved")
    void on(AppointmentMoved moved) {
        if (moved.by() == ActedBy.PRACTICE && moved.patientAccount() != null) {
            post(
                    moved.patientAccount(),
                    "appointment-moved-by-practice",
                    List.of(moved.previousStart(), moved.start(), moved.practitionerName()));
        }
    }

    @ApplicationModuleListener(id = "notifications.appointment-absence")
    void on(AppointmentAffectedByAbsence affected) {
        if (affected.patientAccount() != null) {
            post(
                    affected.patientAccount(),
                    "appointment-absence",
                    List.of(affected.start(), affected.practitionerName()));
        }
    }

    private void post(PatientAccountId account, String kind, List<?> params) {
        inbox.post(Recipient.patient(account.value()), kind, params);
    }
}
