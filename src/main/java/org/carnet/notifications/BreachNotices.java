package org.carnet.notifications;

import java.util.List;
import org.carnet.breach.PatientsToBeTold;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

/**
 * Tells each patient whose identifying data left in clear during an incident what left, from which
 * establishment and when, and what to watch for (GDPR Article 34): in their inbox and, by their preferences,
 * a link-free e-mail or SMS, each with its verification code so that the patient can check on Carnet that the
 * notice is real. Once per patient and incident, however often the officer decides.
 */
@Component
class BreachNotices {

    private final Notices notices;

    BreachNotices(Notices notices) {
        this.notices = notices;
    }

    @ApplicationModuleListener(id = "notifications.patients-to-be-told")
    void on(PatientsToBeTold told) {
        for (PatientsToBeTold.Exposed patient : told.patients()) {
            notices.sendToPatientAccount(
                    "breach-exposure:" + told.incidentId() + ":" + patient.patientId(),
                    patient.patientId(),
                    "breach-exposure",
                    List.of(told.establishmentName(), told.from(), told.to(), patient.fieldsFr(), patient.fieldsEn()));
        }
    }
}
