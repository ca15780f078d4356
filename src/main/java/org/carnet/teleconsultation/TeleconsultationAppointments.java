package org.carnet.teleconsultation;

import java.util.UUID;
import org.carnet.directory.Directory;
import org.carnet.directory.VisitMotive;
import org.carnet.scheduling.AppointmentView;
import org.carnet.scheduling.Bookings;
import org.carnet.shared.Actor;
import org.carnet.shared.NotFoundException;
import org.springframework.stereotype.Component;

/**
 * A teleconsultation appointment as the actor may see it, read through scheduling's API (its access
 * decision records the read): the patient's own, or a practitioner's in care of the patient. Staff see
 * no motive, so no teleconsultation; anyone else gets not found.
 */
@Component
class TeleconsultationAppointments {

    record Found(AppointmentView appointment, VisitMotive motive) {
        boolean booked() {
            return "BOOKED".equals(appointment.status());
        }
    }

    private final Bookings bookings;
    private final Directory directory;

    TeleconsultationAppointments(Bookings bookings, Directory directory) {
        this.bookings = bookings;
        this.directory = directory;
    }

    Found find(Actor.Person actor, UUID appointmentId) {
        AppointmentView appointment = bookings.appointment(actor, appointmentId);
        UUID motiveId = appointment.motiveId();
        if (motiveId == null) {
            throw new NotFoundException("Teleconsultation");
        }
        VisitMotive motive = directory
                .motive(motiveId)
                .filter(VisitMotive::teleconsultation)
                .orElseThrow(() -> new NotFoundException("Teleconsultation"));
        return new Found(appointment, motive);
    }
}
