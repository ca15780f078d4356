package org.carnet.administration;

import java.util.Optional;
import java.util.UUID;
import org.carnet.directory.Directory;
import org.carnet.identity.PractitionerRpps;
import org.springframework.stereotype.Component;

/**
 * The directory's RPPS numbers, for identity to check an OpenID Connect identity against before it
 * binds a practitioner's login (identity does not know the directory; administration knows both).
 */
@Component
class DirectoryRpps implements PractitionerRpps {

    private final Directory directory;

    DirectoryRpps(Directory directory) {
        this.directory = directory;
    }

    @Override
    public Optional<String> of(UUID practitionerId) {
        return directory
                .practitioner(practitionerId)
                .map(practitioner -> practitioner.rpps().value());
    }
}
