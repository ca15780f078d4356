package org.carnet.access;

import org.carnet.shared.EstablishmentId;
import org.carnet.shared.PatientRef;

/**
 * Whether a practitioner has or had an appointment with a patient in an establishment. Implemented by
 * the module that keeps appointments, so that access needs no knowledge of their tables.
 */
public interface CareRelationships {

    boolean exists(java.util.UUID practitionerId, EstablishmentId establishment, PatientRef patient);
}
