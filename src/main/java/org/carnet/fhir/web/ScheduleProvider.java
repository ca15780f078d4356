package org.carnet.fhir.web;

import ca.uhn.fhir.model.api.annotation.Description;
import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Offset;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.RequiredParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.carnet.directory.Directory;
import org.carnet.scheduling.Agendas;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Schedule;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** A practitioner's agenda, when they have one: the Schedule their free Slots belong to. */
@Component
class ScheduleProvider implements IResourceProvider {

    private final Directory directory;
    private final Agendas agendas;

    ScheduleProvider(Directory directory, Agendas agendas) {
        this.directory = directory;
        this.agendas = agendas;
    }

    @Override
    public Class<Schedule> getResourceType() {
        return Schedule.class;
    }

    @Read
    public Schedule read(@IdParam IdType id) {
        return SearchParams.id(id).flatMap(this::schedule).orElseThrow(Refusals::notFound);
    }

    @Search
    public IBundleProvider byActor(
            @RequiredParam(
                            name = Schedule.SP_ACTOR,
                            chainWhitelist = {""})
                    @Description(shortDefinition = "The practitioner (Practitioner/id or PractitionerRole/id)")
                    ReferenceParam actor,
            @Offset @Nullable Integer offset,
            @Count @Nullable Integer count) {
        SearchParams.Page page = SearchParams.Page.of(offset, count);
        List<Schedule> found =
                SearchParams.reference(actor, "actor", "Practitioner", "PractitionerRole")
                        .flatMap(this::schedule)
                        .stream()
                        .toList();
        return SearchParams.bundle(page.of(found), page, found.size());
    }

    private Optional<Schedule> schedule(UUID practitionerId) {
        if (agendas.schedule(practitionerId).isEmpty()) {
            return Optional.empty();
        }
        return directory
                .practitioner(practitionerId)
                .flatMap(practitioner -> directory
                        .establishment(practitioner.establishmentId())
                        .map(establishment -> FhirResources.schedule(practitioner, establishment)));
    }
}
