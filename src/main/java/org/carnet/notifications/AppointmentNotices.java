package org.carnet.notifications;

import java.util.List;
import org.carnet.scheduling.ActedBy;
import org.carnet.scheduling.AppointmentAffectedByAbsence;
import org.carnet.scheduling.AppointmentBooked;
import org.carnet.scheduling.AppointmentCancelled;
import org.carnet.scheduling.AppointmentMoved;
import org.carnet.shared.PatientAccountId;
import org.springframework.context.event.EventListener;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Tells a patient about their appointments: booked (online, by a program or over the phone), cancelled
 * or moved (by them, which confirms it, or by the practice), or caught by an absence of the practitioner.
 *
 * <p>A booking's notice is written in the booking's own transaction (a plain synchronous listener): the
 * inbox message, the verification code and the sealed outgoing message commit with the appointment or
 * not at all, so nothing can be lost between them, and the busiest path of all pays no event publication
 * row (written, claimed, deleted) and no transactions of its own. The outbox delivers the e-mail or SMS
 * later, as for every notice. The others run once the change has committed, in their own transaction;
 * one that fails stays in the event publication registry and is retried, and {@link Notices} writes one
 * notice per event however often it runs. A cancellation stays so: an erasure cancels the patient's
 * appointments in the transaction that then destroys their keys, and its notice must find the account
 * erased and be dropped. A patient without an account (booked over the phone) is told by the practice
 * itself. The listener ids are stored with each publication: they must not change while publications may
 * be outstanding.
 */
@Component
class AppointmentNotices {

    private final Notices notices;
    private final AppointmentWords words;

    AppointmentNotices(Notices notices, AppointmentWords words) {
        this.notices = notices;
        this.words = words;
    }

    @EventListener
    void on(AppointmentBooked booked) {
        if (booked.patientAccount() == null) {
            return;
        }
        send(
                "appointment-booked:" + booked.appointment().value(),
                booked.patientAccount(),
                "appointment-booked",
                words.of(booked.start(), booked.practitioner(), booked.establishment()));
    }

    @ApplicationModuleListener(id = "notifications.appointment-cancelled")
    void on(AppointmentCancelled cancelled) {
        if (cancelled.patientAccount() != null) {
            send(
                    "appointment-cancelled:" + cancelled.appointment().value(),
                    cancelled.patientAccount(),
                    cancelled.by() == ActedBy.PRACTICE ? "appointment-cancelled-by-practice" : "appointment-cancelled",
                    List.of(cancelled.start(), cancelled.practitionerName()));
        }
    }

    @ApplicationModuleListener(id = "notifications.appointment-moved")
    void on(AppointmentMoved moved) {
        if (moved.patientAccount() != null) {
            send(
                    "appointment-moved:" + moved.appointment().value() + ":"
                            + moved.slot().value(),
                    moved.patientAccount(),
                    moved.by() == ActedBy.PRACTICE ? "appointment-moved-by-practice" : "appointment-moved",
                    List.of(moved.previousStart(), moved.start(), moved.practitionerName()));
        }
    }

    @ApplicationModuleListener(id = "notifications.appointment-absence")
    void on(AppointmentAffectedByAbsence affected) {
        if (affected.patientAccount() != null) {
            send(
                    "appointment-absence:" + affected.appointment().value() + ":"
                            + affected.absenceStart().toEpochMilli(),
                    affected.patientAccount(),
                    "appointment-absence",
                    List.of(affected.start(), affected.practitionerName()));
        }
    }

    private void send(String eventKey, PatientAccountId account, String kind, List<?> params) {
        notices.send(eventKey, Recipient.patient(account.value()), kind, params);
    }
}
