package org.carnet.teleconsultation;

import java.util.List;
import java.util.UUID;
import org.carnet.shared.Actor;
import org.carnet.teleconsultation.internal.ConsultationStore;
import org.springframework.stereotype.Service;

/**
 * What the patient's and the practitioner's clients need to know of one teleconsultation: its three
 * recipients, the questionnaires to fill (those attached to its motive), and what is already uploaded.
 */
@Service
public class Teleconsultations {

    /** One teleconsultation as its patient or practitioner sees it. */
    public record Overview(
            UUID appointmentId,
            String status,
            UUID establishmentId,
            UUID practitionerId,
            List<Questionnaire> questionnaires,
            boolean keySetUp,
            boolean answersSubmitted) {}

    private final TeleconsultationAppointments appointments;
    private final Questionnaires questionnaires;
    private final ConsultationStore store;

    Teleconsultations(
            TeleconsultationAppointments appointments, Questionnaires questionnaires, ConsultationStore store) {
        this.appointments = appointments;
        this.questionnaires = questionnaires;
        this.store = store;
    }

    public Overview overview(Actor.Person actor, UUID appointmentId) {
        TeleconsultationAppointments.Found found = appointments.find(actor, appointmentId);
        var consultation = store.find(appointmentId);
        return new Overview(
                appointmentId,
                found.appointment().status(),
                found.appointment().establishmentId(),
                found.appointment().practitionerId(),
                questionnaires.forMotive(
                        found.motive().establishmentId(), found.motive().id()),
                consultation.isPresent(),
                consultation.flatMap(store::answers).isPresent());
    }
}
