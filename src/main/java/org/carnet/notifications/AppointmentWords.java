package org.carnet.notifications;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.carnet.directory.Directory;
import org.carnet.directory.Establishment;
import org.carnet.directory.Practitioner;
import org.carnet.shared.EstablishmentId;
import org.carnet.shared.PractitionerId;
import org.springframework.stereotype.Component;

/**
 * The parameters of a notice that names an appointment in full (a confirmation, a reminder): its
 * start, the practitioner's public name, the establishment's name and address, from the directory.
 */
@Component
class AppointmentWords {

    private final Directory directory;

    AppointmentWords(Directory directory) {
        this.directory = directory;
    }

    List<Object> of(Instant start, PractitionerId practitioner, EstablishmentId establishment) {
        Optional<Establishment> place = directory.establishment(establishment.value());
        return List.of(
                start,
                directory
                        .practitioner(practitioner.value())
                        .map(Practitioner::displayName)
                        .orElse(""),
                place.map(Establishment::name).orElse(""),
                place.map(Establishment::fullAddress).orElse(""));
    }
}
