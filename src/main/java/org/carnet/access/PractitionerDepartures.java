package org.carnet.access;

import java.util.UUID;
import org.carnet.shared.EstablishmentId;

/**
 * Whether a practitioner has left an establishment (its administrator recorded the departure): a departed
 * practitioner has no care relationship there any more, whatever appointments they had. Implemented by the
 * module that keeps departures, so that access needs no knowledge of their table.
 */
public interface PractitionerDepartures {

    boolean departed(UUID practitionerId, EstablishmentId establishment);
}
