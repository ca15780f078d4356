package org.carnet.fhir.web;

import ca.uhn.fhir.model.api.annotation.Description;
import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Offset;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.StringParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.carnet.directory.Directory;
import org.carnet.directory.Practitioner;
import org.carnet.directory.Specialty;
import org.carnet.scheduling.Availability;
import org.carnet.scheduling.BookingProperties;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Slot;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Free slots, public as in the web search: by specialty and place (the slots of the practitioners the
 * web search finds, earliest first), or by Schedule. A booked or blocked slot is not public: reading
 * it answers 404, as for an id that does not exist.
 */
@Component
class SlotProvider implements IResourceProvider {

    /** How far a search by schedule looks, as the API's listing of a practitioner's slots. */
    static final Duration SCHEDULE_WINDOW = Duration.ofDays(31);

    private final Availability availability;
    private final Directory directory;
    private final BookingProperties properties;
    private final Clock clock;

    SlotProvider(Availability availability, Directory directory, BookingProperties properties, Clock clock) {
        this.availability = availability;
        this.directory = directory;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public Class<Slot> getResourceType() {
        return Slot.class;
    }

    @Read
    public Slot read(@IdParam IdType id) {
        org.carnet.scheduling.Slot slot = SearchParams.id(id)
                .flatMap(availability::slot)
                .filter(s -> s.isBookableAt(clock.instant()))
                .orElseThrow(Refusals::notFound);
        Practitioner practitioner =
                directory.practitioner(slot.practitionerId()).orElseThrow(Refusals::notFound);
        return FhirResources.freeSlot(slot, practitioner.specialty());
    }

    @Search
    public IBundleProvider search(
            @OptionalParam(name = Slot.SP_SPECIALTY)
                    @Description(
                            shortDefinition = "A specialty code (system " + FhirResources.SPECIALTY
                                    + "), with address-city or address-postalcode")
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
                            name = Slot.SP_SCHEDULE,
                            chainWhitelist = {""})
                    @Description(shortDefinition = "The practitioner's agenda (Schedule/id)")
                    @Nullable
                    ReferenceParam schedule,
            @OptionalParam(name = Slot.SP_START)
                    @Description(
                            shortDefinition =
                                    "ge, gt, lt, le or eq a date (a day in Europe/Paris) or a date-time with offset")
                    @Nullable
                    DateRangeParam start,
            @OptionalParam(name = Slot.SP_STATUS)
                    @Description(shortDefinition = "free (the only status shown)")
                    @Nullable
                    TokenParam status,
            @Offset @Nullable Integer offset,
            @Count @Nullable Integer count) {
        SearchParams.Page page = SearchParams.Page.of(offset, count);
        if ((specialty == null) == (schedule == null)) {
            throw Refusals.badRequest("Search Slot by specialty (and a place) or by schedule, one of them.");
        }
        if (specialty == null && (city != null || postcode != null)) {
            throw Refusals.badRequest("address-city and address-postalcode go with specialty.");
        }
        if (specialty != null && city == null && postcode == null) {
            // A public search that would count every free slot of a specialty in France: a place bounds it.
            throw Refusals.badRequest("Search Slot by specialty with address-city or address-postalcode.");
        }
        if (status != null
                && !SearchParams.code(status, "status", "http://hl7.org/fhir/slotstatus")
                        .map("free"::equals)
                        .orElse(false)) {
            throw Refusals.badRequest("status can only be free: no other slot is public.");
        }
        SearchParams.Window window = SearchParams.Window.of(start, "start", properties.zone());
        Instant now = clock.instant();
        Instant from = window.from() == null || window.from().isBefore(now) ? now : window.from();
        if (specialty != null) {
            Specialty wanted = Places.specialty(specialty);
            Availability.SlotPage found = availability.freeSlots(
                    wanted, Places.place(city, postcode), from, window.to(), page.offset(), page.count());
            return SearchParams.bundle(
                    found.slots().stream()
                            .map(slot -> FhirResources.freeSlot(slot, wanted))
                            .toList(),
                    page,
                    found.total());
        }
        Practitioner practitioner = SearchParams.reference(Objects.requireNonNull(schedule), "schedule", "Schedule")
                .flatMap(directory::practitioner)
                .orElse(null);
        if (practitioner == null) {
            return SearchParams.bundle(List.of(), page, 0);
        }
        Instant windowEnd = from.plus(SCHEDULE_WINDOW);
        Instant to = window.to() == null || window.to().isAfter(windowEnd) ? windowEnd : window.to();
        List<org.carnet.scheduling.Slot> found =
                to.isAfter(from) ? availability.freeSlots(practitioner.id(), from, to) : List.of();
        return SearchParams.bundle(
                page.of(found).stream()
                        .map(slot -> FhirResources.freeSlot(slot, practitioner.specialty()))
                        .toList(),
                page,
                found.size());
    }
}
