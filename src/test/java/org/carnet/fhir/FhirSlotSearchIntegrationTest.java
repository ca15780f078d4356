package org.carnet.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.carnet.fhir.FhirPublicDirectoryIntegrationTest.SPECIALTY;
import static org.carnet.fhir.FhirPublicDirectoryIntegrationTest.valid;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.gclient.IQuery;
import ca.uhn.fhir.rest.gclient.ReferenceClientParam;
import ca.uhn.fhir.rest.gclient.StringClientParam;
import ca.uhn.fhir.rest.gclient.TokenClientParam;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.carnet.directory.Directory;
import org.carnet.directory.Specialty;
import org.carnet.scheduling.Agendas;
import org.carnet.support.Api;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Slot;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import tools.jackson.databind.JsonNode;

/** The free-slot search through FHIR finds what the web search finds, page by page, and nothing booked. */
@CarnetIntegrationTest
class FhirSlotSearchIntegrationTest {

    static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    @Value("${local.server.port}")
    int port;

    @Autowired
    Directory directory;

    @Autowired
    Agendas agendas;

    Api api;
    Fixtures fixtures;
    IGenericClient fhir;
    LocalDate tomorrow;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        fixtures = new Fixtures(directory, agendas);
        fhir = FhirValidation.R4.newRestfulGenericClient("http://127.0.0.1:" + port + "/fhir");
        tomorrow = LocalDate.now(PARIS).plusDays(1);
    }

    @Test
    void findsTheSameFreeSlotsAsTheWebSearchByCityAndByPostcode() {
        String city = "Slotville-" + UUID.randomUUID().toString().substring(0, 8);
        String postcode = String.valueOf(96_000 + (int) (Math.random() * 999));
        for (int i = 0; i < 3; i++) {
            fixtures.aPractitionerWithSlots(Specialty.ORTHOPHONISTE, city, postcode);
        }
        fixtures.aPractitionerWithSlots(Specialty.RADIOLOGUE, city, postcode);

        Map<String, List<String>> web = webSearch("orthophoniste", city);
        assertThat(web).hasSize(3);
        List<Slot> byCity = allPages(fhir.search()
                .forResource(Slot.class)
                .where(new TokenClientParam("specialty").exactly().systemAndCode(SPECIALTY, "orthophoniste"))
                .and(new StringClientParam("address-city").matches().value(city))
                .and(Slot.START.afterOrEquals().day(tomorrow.toString()))
                .and(Slot.START.before().day(tomorrow.plusDays(1).toString())));
        sameAsTheWebSearch(byCity, web);
        // 08:00 to 20:00 in 30-minute slots: 24 a day each, on 10-slot pages.
        assertThat(byCity).hasSize(3 * 24);

        List<Slot> byPostcode = allPages(fhir.search()
                .forResource(Slot.class)
                .where(new TokenClientParam("specialty").exactly().code("orthophoniste"))
                .and(new StringClientParam("address-postalcode").matches().value(postcode))
                .and(Slot.START.afterOrEquals().day(tomorrow.toString()))
                .and(Slot.START.before().day(tomorrow.plusDays(1).toString())));
        sameAsTheWebSearch(byPostcode, webSearch("orthophoniste", postcode));
    }

    @Test
    void aBookedSlotLeavesTheSearchAndCannotBeReadAnyMore() {
        String city = "Bookville-" + UUID.randomUUID().toString().substring(0, 8);
        Fixtures.Agenda agenda = fixtures.aPractitionerWithSlots(Specialty.SAGE_FEMME, city, "96900");
        List<Slot> before = allPages(tomorrowsSlots(city));
        String booked = before.get(2).getIdElement().getIdPart();
        valid(fhir.read().resource(Slot.class).withId(booked).execute());

        Fixtures.book(api, Fixtures.aPatient(api), agenda, booked);

        List<Slot> after = allPages(tomorrowsSlots(city));
        assertThat(ids(after)).hasSize(before.size() - 1).doesNotContain(booked);
        assertThatThrownBy(() -> fhir.read().resource(Slot.class).withId(booked).execute())
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void listsOnePractitionersFreeSlotsByScheduleAsTheApiDoes() {
        Fixtures.Agenda agenda = fixtures.aPractitionerWithSlots();
        List<Slot> slots = allPages(fhir.search()
                .forResource(Slot.class)
                .where(new ReferenceClientParam("schedule")
                        .hasId("Schedule/" + agenda.practitioner().id()))
                .and(new TokenClientParam("status").exactly().code("free"))
                .and(Slot.START.afterOrEquals().day(tomorrow.toString()))
                .and(Slot.START.before().day(tomorrow.plusDays(1).toString())));
        Api.Response listed = api.get(
                "/api/v1/practitioners/" + agenda.practitioner().id() + "/slots?from=" + tomorrow + "&to="
                        + tomorrow.plusDays(1),
                null);
        assertThat(ids(slots))
                .hasSize(24)
                .containsExactlyElementsOf(listed.body()
                        .valueStream()
                        .map(slot -> slot.get("id").asString())
                        .toList());
    }

    @Test
    void capsThePageSizeAndPagesByOffset() {
        String city = "Pageville-" + UUID.randomUUID().toString().substring(0, 8);
        fixtures.aPractitionerWithSlots(Specialty.SAGE_FEMME, city, "96800");
        Bundle first = fhir.search()
                .forResource(Slot.class)
                .where(new TokenClientParam("specialty").exactly().code("sage-femme"))
                .and(new StringClientParam("address-city").matches().value(city))
                .count(1000)
                .returnBundle(Bundle.class)
                .execute();
        assertThat(first.getEntry()).hasSize(100);
        assertThat(first.getTotal()).isGreaterThan(100);
        assertThat(first.getLink("next").getUrl()).contains("_offset=100");
        Bundle second = fhir.loadPage().next(first).execute();
        assertThat(second.getEntry()).isNotEmpty();
        assertThat(new HashSet<>(ids(slotsOf(second)))).doesNotContainAnyElementsOf(ids(slotsOf(first)));
        assertThat(second.getLink("previous")).isNotNull();
    }

    private IQuery<Bundle> tomorrowsSlots(String city) {
        return fhir.search()
                .forResource(Slot.class)
                .where(new TokenClientParam("specialty").exactly().code("sage-femme"))
                .and(new StringClientParam("address-city").matches().value(city))
                .and(Slot.START.afterOrEquals().day(tomorrow.toString()))
                .and(Slot.START.before().day(tomorrow.plusDays(1).toString()))
                .returnBundle(Bundle.class);
    }

    /** Every page, 10 slots at most each, following the next links; each page validated. */
    private List<Slot> allPages(IQuery<?> query) {
        Bundle page = query.count(10).returnBundle(Bundle.class).execute();
        int total = page.getTotal();
        List<Slot> slots = new ArrayList<>();
        while (true) {
            valid(page);
            assertThat(page.getEntry()).hasSizeLessThanOrEqualTo(10);
            assertThat(page.getTotal()).isEqualTo(total);
            slots.addAll(slotsOf(page));
            if (page.getLink("next") == null) {
                break;
            }
            page = fhir.loadPage().next(page).execute();
        }
        assertThat(slots).hasSize(total);
        assertThat(new HashSet<>(ids(slots))).hasSize(total);
        assertThat(slots).extracting(Slot::getStart).isSorted();
        assertThat(slots).allSatisfy(slot -> assertThat(slot.getStatus()).isEqualTo(Slot.SlotStatus.FREE));
        return slots;
    }

    /** The practitioners the web search shows and, for each, its slots (the first five from tomorrow). */
    private Map<String, List<String>> webSearch(String specialty, String place) {
        Map<String, List<String>> found = new LinkedHashMap<>();
        for (int page = 0; ; page++) {
            Api.Response response = api.get(
                    "/api/v1/availability?specialty=" + specialty + "&city=" + place + "&from=" + tomorrow + "&page="
                            + page,
                    null);
            assertThat(response.status()).isEqualTo(200);
            for (JsonNode practitioner : response.body().get("content")) {
                found.put(
                        practitioner.get("id").asString(),
                        practitioner
                                .get("slots")
                                .valueStream()
                                .map(slot -> slot.get("id").asString())
                                .toList());
            }
            if (page + 1 >= response.body().get("totalPages").asInt()) {
                return found;
            }
        }
    }

    /** The same practitioners, and each one's first slots are exactly those the web search shows. */
    private static void sameAsTheWebSearch(List<Slot> slots, Map<String, List<String>> web) {
        Map<String, List<String>> bySchedule = new LinkedHashMap<>();
        for (Slot slot : slots) {
            assertThat(slot.getStart().toInstant()).isAfter(Instant.now());
            bySchedule
                    .computeIfAbsent(slot.getSchedule().getReferenceElement().getIdPart(), id -> new ArrayList<>())
                    .add(slot.getIdElement().getIdPart());
        }
        assertThat(bySchedule.keySet()).containsExactlyInAnyOrderElementsOf(web.keySet());
        web.forEach(
                (practitioner, shown) -> assertThat(bySchedule.get(practitioner).subList(0, shown.size()))
                        .as("the first slots of one practitioner")
                        .containsExactlyElementsOf(shown));
    }

    private static List<Slot> slotsOf(Bundle bundle) {
        return bundle.getEntry().stream()
                .map(entry -> (Slot) entry.getResource())
                .toList();
    }

    private static List<String> ids(List<Slot> slots) {
        return slots.stream().map(slot -> slot.getIdElement().getIdPart()).toList();
    }
}
