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
import org.carnet.directory.Directory;
import org.carnet.directory.Establishment;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Location;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** Establishments as the places where patients are seen, found by id or FINESS number. */
@Component
class LocationProvider implements IResourceProvider {

    private final Directory directory;

    LocationProvider(Directory directory) {
        this.directory = directory;
    }

    @Override
    public Class<Location> getResourceType() {
        return Location.class;
    }

    @Read
    public Location read(@IdParam IdType id) {
        return SearchParams.id(id)
                .flatMap(directory::establishment)
                .map(FhirResources::location)
                .orElseThrow(Refusals::notFound);
    }

    @Search
    public IBundleProvider byIdentifier(
            @RequiredParam(name = Location.SP_IDENTIFIER)
                    @Description(
                            shortDefinition = "The establishment's FINESS number (system http://finess.sante.gouv.fr)")
                    TokenParam identifier,
            @Offset @Nullable Integer offset,
            @Count @Nullable Integer count) {
        SearchParams.Page page = SearchParams.Page.of(offset, count);
        List<Establishment> found = Finesses.find(directory, identifier);
        return SearchParams.bundle(
                page.of(found).stream().map(FhirResources::location).toList(), page, found.size());
    }
}
