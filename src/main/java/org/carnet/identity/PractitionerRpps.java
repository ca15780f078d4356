package org.carnet.identity;

import java.util.Optional;
import java.util.UUID;

/**
 * The RPPS number the directory holds for a practitioner: what an OpenID Connect identity must
 * present before a practitioner's login is bound to it. Implemented outside identity (which does not
 * know the directory).
 */
public interface PractitionerRpps {

    /** The practitioner's RPPS number (11 digits), if the directory knows the practitioner. */
    Optional<String> of(UUID practitionerId);
}
