package org.carnet.fhir.web;

import ca.uhn.fhir.rest.param.StringParam;
import org.carnet.directory.Specialty;
import org.jspecify.annotations.Nullable;

/** The specialty and place of a search, read as the web search reads them. */
final class Places {

    static final String CITY = "address-city";
    static final String POSTCODE = "address-postalcode";

    private Places() {}

    /** A specialty code of {@code /api/v1/specialties}, in Carnet's specialty system (or without system). */
    static Specialty specialty(ca.uhn.fhir.rest.param.TokenParam token) {
        return SearchParams.code(token, "specialty", FhirResources.SPECIALTY)
                .flatMap(Specialty::fromCode)
                .orElseThrow(() -> Refusals.badRequest(
                        "specialty must be a code of " + FhirResources.SPECIALTY + " (as in /api/v1/specialties)."));
    }

    /** A city name (case and accents ignored) or the first 2 to 5 digits of a postal code, or anywhere. */
    static @Nullable String place(@Nullable StringParam city, @Nullable StringParam postcode) {
        if (city != null && postcode != null) {
            throw Refusals.badRequest("Give address-city or address-postalcode, not both.");
        }
        if (postcode != null) {
            String digits = SearchParams.text(postcode, POSTCODE);
            if (!digits.matches("\\d{2,5}")) {
                throw Refusals.badRequest("address-postalcode must be 2 to 5 digits (the start of a postal code).");
            }
            return digits;
        }
        if (city != null) {
            String name = SearchParams.text(city, CITY);
            if (name.matches("\\d+")) {
                throw Refusals.badRequest("address-city must be a name; use address-postalcode for digits.");
            }
            return name;
        }
        return null;
    }
}
