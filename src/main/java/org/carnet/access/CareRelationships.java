package org.carnet.access;

import java.util.UUID;

/**
 * Whether a practitioner has or had an appointment with a patient in an establishment. Implemented by
 * the module that keeps appointments, so that access needs no knowledge of their tables.
 */
public interface CareRelationships {

    boolean exists(UUID practitionerId, UUID establishmentId, UUID patientId);
}
