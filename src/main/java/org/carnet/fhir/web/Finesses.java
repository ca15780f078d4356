package org.carnet.fhir.web;

import ca.uhn.fhir.rest.param.TokenParam;
import java.util.List;
import org.carnet.directory.Directory;
import org.carnet.directory.Establishment;
import org.carnet.directory.Finess;

/** The establishment an {@code identifier} search names by its FINESS number. */
final class Finesses {

    private Finesses() {}

    static List<Establishment> find(Directory directory, TokenParam identifier) {
        return SearchParams.code(identifier, "identifier", FhirResources.FINESS)
                .map(Finesses::finess)
                .flatMap(directory::establishment)
                .stream()
                .toList();
    }

    private static Finess finess(String value) {
        try {
            return new Finess(value);
        } catch (org.carnet.shared.InvalidRequestException e) {
            throw Refusals.badRequest("identifier must be a FINESS number: 9 characters with a valid check digit.");
        }
    }
}
