package org.carnet.fhir.web;

import ca.uhn.fhir.model.api.annotation.Description;
import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Offset;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.RequiredParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import java.util.List;
import java.util.Optional;
import org.carnet.directory.Directory;
import org.carnet.directory.Practitioner;
import org.carnet.directory.Rpps;
import org.hl7.fhir.r4.model.IdType;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** Practitioners listed in the directory, found by id or RPPS number. */
@Component
class PractitionerProvider implements IResourceProvider {

    private final Directory directory;

    PractitionerProvider(Directory directory) {
        this.directory = directory;
    }

    @Override
    public Class<org.hl7.fhir.r4.model.Practitioner> getResourceType() {
        return org.hl7.fhir.r4.model.Practitioner.class;
    }

    @Read
    public org.hl7.fhir.r4.model.Practitioner read(@IdParam IdType id) {
        return SearchParams.id(id)
                .flatMap(directory::practitioner)
                .map(FhirResources::practitioner)
                .orElseThrow(Refusals::notFound);
    }

    @Search
    public IBundleProvider byIdentifier(
            @RequiredParam(name = org.hl7.fhir.r4.model.Practitioner.SP_IDENTIFIER)
                    @Description(
                            shortDefinition = "The RPPS number (system http://rpps.fr), or the national id 8 + RPPS"
                                    + " (system urn:oid:1.2.250.1.71.4.2.1)")
                    TokenParam identifier,
            @Offset @Nullable Integer offset,
            @Count @Nullable Integer count) {
        SearchParams.Page page = SearchParams.Page.of(offset, count);
        Optional<String> rpps = SearchParams.code(identifier, "identifier", FhirResources.RPPS)
                .or(() -> SearchParams.code(identifier, "identifier", FhirResources.IDNPS)
                        .filter(idnps -> idnps.startsWith("8"))
                        .map(idnps -> idnps.substring(1)));
        List<Practitioner> found = rpps.map(PractitionerProvider::rpps).flatMap(directory::practitioner).stream()
                .toList();
        return SearchParams.bundle(
                page.of(found).stream().map(FhirResources::practitioner).toList(), page, found.size());
    }

    private static Rpps rpps(String value) {
        try {
            return new Rpps(value);
        } catch (org.carnet.shared.InvalidRequestException e) {
            throw Refusals.badRequest("identifier must be an RPPS number: 11 digits with a valid check digit.");
        }
    }
}
