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
import org.hl7.fhir.r4.model.Organization;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** Establishments as Organizations, found by id or FINESS number. */
@Component
class OrganizationProvider implements IResourceProvider {

    private final Directory directory;

    OrganizationProvider(Directory directory) {
        this.directory = directory;
    }

    @Override
    public Class<Organization> getResourceType() {
        return Organization.class;
    }

    @Read
    public Organization read(@IdParam IdType id) {
        return SearchParams.id(id)
                .flatMap(directory::establishment)
                .map(FhirResources::organization)
                .orElseThrow(Refusals::notFound);
    }

    @Search
    public IBundleProvider byIdentifier(
            @RequiredParam(name = Organization.SP_IDENTIFIER)
                    @Description(shortDefinition = "The FINESS number (system http://finess.sante.gouv.fr)")
                    TokenParam identifier,
            @Offset @Nullable Integer offset,
            @Count @Nullable Integer count) {
        SearchParams.Page page = SearchParams.Page.of(offset, count);
        List<Establishment> found = Finesses.find(directory, identifier);
        return SearchParams.bundle(
                page.of(found).stream().map(FhirResources::organization).toList(), page, found.size());
    }
}
