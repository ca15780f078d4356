package org.carnet.access;

import org.carnet.shared.EstablishmentId;
import org.carnet.shared.PatientRef;

/**
 * Whether an establishment holds a file for a patient. Implemented by the module that keeps patient
 * files: an establishment's staff reach only the patients it has a file for.
 */
public interface EstablishmentFiles {

    boolean hasFile(EstablishmentId establishment, PatientRef patient);
}
