package org.carnet.fhir.web;

import ca.uhn.fhir.model.api.annotation.Description;
import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Offset;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.StringParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.carnet.directory.Directory;
import org.carnet.directory.Establishment;
import org.carnet.directory.Practitioner;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * A practitioner's role in their establishment, with their specialty: found by specialty and place as
 * the web search finds practitioners, or by practitioner, or by organization.
 */
@Component
class PractitionerRoleProvider implements IResourceProvider {

    private final Directory directory;

    PractitionerRoleProvider(Directory directory) {
        this.directory = directory;
    }

    @Override
    public Class<PractitionerRole> getResourceType() {
        return PractitionerRole.class;
    }

    @Read
    public PractitionerRole read(@IdParam IdType id) {
        Practitioner practitioner =
                SearchParams.id(id).flatMap(directory::practitioner).orElseThrow(Refusals::notFound);
        return FhirResources.practitionerRole(practitioner, establishmentOf(practitioner));
    }

    @Search
    public IBundleProvider search(
            @OptionalParam(name = PractitionerRole.SP_SPECIALTY)
                    @Description(shortDefinition = "A specialty code (system " + FhirResources.SPECIALTY + ")")
                    @Nullable
                    TokenParam specialty,
            @OptionalParam(name = Places.CITY)
                    @Description(
                            shortDefinition = "With specialty: the establishment's city (case and accents ignored)")
                    @Nullable
                    StringParam city,
            @OptionalParam(name = Places.POSTCODE)
                    @Description(
                            shortDefinition =
                                    "With specialty: the start (2 to 5 digits) of the establishment's postal code")
                    @Nullable
                    StringParam postcode,
            @OptionalParam(
                            name = PractitionerRole.SP_PRACTITIONER,
                            chainWhitelist = {""})
                    @Description(shortDefinition = "The practitioner (Practitioner/id)")
                    @Nullable
                    ReferenceParam practitioner,
            @OptionalParam(
                            name = PractitionerRole.SP_ORGANIZATION,
                            chainWhitelist = {""})
                    @Description(shortDefinition = "The establishment (Organization/id)")
                    @Nullable
                    ReferenceParam organization,
            @Offset @Nullable Integer offset,
            @Count @Nullable Integer count) {
        SearchParams.Page page = SearchParams.Page.of(offset, count);
        int anchors = (specialty == null ? 0 : 1) + (practitioner == null ? 0 : 1) + (organization == null ? 0 : 1);
        if (anchors != 1) {
            throw Refusals.badRequest("Search PractitionerRole by one of specialty, practitioner or organization.");
        }
        if (specialty == null && (city != null || postcode != null)) {
            throw Refusals.badRequest("address-city and address-postalcode go with specialty.");
        }
        List<UUID> ids;
        if (specialty != null) {
            ids = directory.search(Places.specialty(specialty), Places.place(city, postcode), false);
        } else if (practitioner != null) {
            ids = SearchParams.reference(practitioner, "practitioner", "Practitioner")
                    .flatMap(directory::practitioner)
                    .map(Practitioner::id)
                    .stream()
                    .toList();
        } else {
            ids = SearchParams.reference(Objects.requireNonNull(organization), "organization", "Organization")
                    .map(directory::practitionersOf)
                    .orElse(List.of())
                    .stream()
                    .map(Practitioner::id)
                    .toList();
        }
        List<UUID> shown = page.of(ids);
        Map<UUID, Practitioner> practitioners = directory.practitioners(shown);
        Map<UUID, Establishment> establishments = directory.establishments(practitioners.values().stream()
                .map(Practitioner::establishmentId)
                .distinct()
                .toList());
        List<IBaseResource> roles = shown.stream()
                .filter(practitioners::containsKey)
                .map(id -> {
                    Practitioner p = Objects.requireNonNull(practitioners.get(id));
                    return (IBaseResource) FhirResources.practitionerRole(
                            p, Objects.requireNonNull(establishments.get(p.establishmentId())));
                })
                .toList();
        return SearchParams.bundle(roles, page, ids.size());
    }

    private Establishment establishmentOf(Practitioner practitioner) {
        // The foreign key keeps a practitioner's establishment there.
        return directory.establishment(practitioner.establishmentId()).orElseThrow(Refusals::notFound);
    }
}
