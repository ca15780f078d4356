package org.carnet.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import org.carnet.directory.Directory;
import org.carnet.directory.Specialty;
import org.carnet.support.Api;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import tools.jackson.databind.JsonNode;

@CarnetIntegrationTest
class AvailabilityApiIntegrationTest {

    @Value("${local.server.port}")
    int port;

    @Autowired
    Directory directory;

    @Autowired
    Agendas agendas;

    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbcClient;

    Api api;
    Fixtures fixtures;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        fixtures = new Fixtures(directory, agendas);
    }

    @Test
    void listsTheSpecialtiesInFrenchByDefaultAndInEnglishOnRequest() {
        Api.Response specialties = api.get("/api/v1/specialties", null);
        assertThat(specialties.status()).isEqualTo(200);
        assertThat(specialties.body().size()).isGreaterThanOrEqualTo(15);
        assertThat(specialties.body().valueStream().map(s -> s.get("label").asString()))
                .contains("Médecin généraliste", "Ophtalmologue", "Masseur-kinésithérapeute");
        assertThat(api.get("/api/v1/specialties", null, java.util.Map.of("Accept-Language", "en-GB,en;q=0.8"))
                        .raw())
                .contains("General practitioner");
        assertThat(api.get("/api/v1/specialties", null, java.util.Map.of("Accept-Language", "de"))
                        .raw())
                .contains("Médecin généraliste");
    }

    @Test
    void showsAPractitionerWithEstablishmentAndMotives() {
        Fixtures.Agenda agenda = fixtures.aPractitionerWithSlots();
        Api.Response practitioner =
                api.get("/api/v1/practitioners/" + agenda.practitioner().id(), null);
        assertThat(practitioner.status()).isEqualTo(200);
        JsonNode body = practitioner.body();
        assertThat(body.get("lastName").asString())
                .isEqualTo(agenda.practitioner().lastName());
        assertThat(body.get("specialty").get("code").asString()).isEqualTo("dermatologue");
        assertThat(body.get("establishment").get("city").asString()).isEqualTo("Testville");
        JsonNode motive = body.get("motives").get(0);
        assertThat(motive.get("id").asString()).isEqualTo(agenda.motive().id().toString());
        assertThat(motive.get("durationMinutes").asInt()).isEqualTo(30);
        assertThat(motive.get("teleconsultation").asBoolean()).isTrue();

        assertThat(api.get("/api/v1/practitioners/" + UUID.randomUUID(), null).status())
                .isEqualTo(404);
        assertThat(api.get("/api/v1/practitioners/42", null).status()).isEqualTo(400);
    }

    @Test
    void findsPractitionersBySpecialtyAndCityOrPostcodeEarliestFirst() {
        String city = "Villetest-" + UUID.randomUUID().toString().substring(0, 8);
        Fixtures.Agenda first = fixtures.aPractitionerWithSlots(Specialty.PEDIATRE, city, "98200");
        Fixtures.Agenda second = fixtures.aPractitionerWithSlots(Specialty.PEDIATRE, city, "98200");
        fixtures.aPractitionerWithSlots(Specialty.CARDIOLOGUE, city, "98200");

        Api.Response byCity = api.get("/api/v1/availability?specialty=pediatre&city=" + city.toUpperCase(), null);
        assertThat(byCity.status()).isEqualTo(200);
        assertThat(ids(byCity))
                .containsExactlyInAnyOrder(
                        first.practitioner().id().toString(),
                        second.practitioner().id().toString());
        assertThat(byCity.body().get("page").asInt()).isZero();
        assertThat(byCity.body().get("totalPages").asInt()).isEqualTo(1);

        JsonNode slots = byCity.body().get("content").get(0).get("slots");
        assertThat(slots.size()).isBetween(1, Availability.SLOTS_PER_PRACTITIONER);
        List<Instant> starts = slots.valueStream()
                .map(s -> Instant.parse(s.get("start").asString()))
                .toList();
        assertThat(starts).isSorted();
        assertThat(starts.get(0)).isAfter(Instant.now().minusSeconds(60));

        Api.Response byPostcode = api.get("/api/v1/availability?specialty=pediatre&city=98200", null);
        assertThat(ids(byPostcode)).contains(first.practitioner().id().toString());
    }

    @Test
    void filtersOnTeleconsultation() {
        String city = "Televille-" + UUID.randomUUID().toString().substring(0, 8);
        Fixtures.Agenda remote = fixtures.aPractitionerWithSlots(Specialty.PSYCHIATRE, city, "95100");
        Fixtures.Agenda inPerson = fixtures.aPractitionerWithSlots(Specialty.PSYCHIATRE, city, "95100");
        // The fixture's motive is a teleconsultation; make the second practitioner's in person only.
        jdbcClient
                .sql("UPDATE visit_motives SET teleconsultation = FALSE WHERE practitioner_id = ?")
                .param(inPerson.practitioner().id())
                .update();

        assertThat(ids(api.get("/api/v1/availability?specialty=psychiatre&city=" + city, null)))
                .hasSize(2);
        assertThat(ids(api.get("/api/v1/availability?specialty=psychiatre&teleconsultation=true&city=" + city, null)))
                .containsExactly(remote.practitioner().id().toString());
    }

    @Test
    void pagesThroughResults() {
        String city = "Pageville-" + UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < Availability.PAGE_SIZE + 2; i++) {
            fixtures.aPractitionerWithSlots(Specialty.NEUROLOGUE, city, "97100");
        }
        Api.Response page0 = api.get("/api/v1/availability?specialty=neurologue&city=" + city, null);
        Api.Response page1 = api.get("/api/v1/availability?specialty=neurologue&city=" + city + "&page=1", null);
        assertThat(page0.body().get("totalPages").asInt()).isEqualTo(2);
        assertThat(ids(page0)).hasSize(Availability.PAGE_SIZE);
        assertThat(ids(page1)).hasSize(2).doesNotContainAnyElementsOf(ids(page0));
        assertThat(api.get("/api/v1/availability?specialty=neurologue&city=" + city + "&page=5", null)
                        .body()
                        .get("content"))
                .isEmpty();
    }

    @Test
    void startsFromTheRequestedDate() {
        Fixtures.Agenda agenda = fixtures.aPractitionerWithSlots(Specialty.UROLOGUE, "Datetest", "96100");
        LocalDate inTenDays = LocalDate.now(ZoneId.of("Europe/Paris")).plusDays(10);
        Api.Response response =
                api.get("/api/v1/availability?specialty=urologue&city=Datetest&from=" + inTenDays, null);
        Instant first = Instant.parse(response.body()
                .get("content")
                .get(0)
                .get("slots")
                .get(0)
                .get("start")
                .asString());
        assertThat(first)
                .isAfterOrEqualTo(
                        inTenDays.atStartOfDay(ZoneId.of("Europe/Paris")).toInstant());

        Api.Response slots = api.get(
                "/api/v1/practitioners/" + agenda.practitioner().id() + "/slots?from=" + inTenDays + "&to="
                        + inTenDays.plusDays(1),
                null);
        assertThat(slots.status()).isEqualTo(200);
        assertThat(slots.body().size()).isEqualTo(24);
    }

    @Test
    void badSearchesGive400WithTheParameter() {
        assertThat(field(api.get("/api/v1/availability?specialty=astrologue", null)))
                .isEqualTo("specialty");
        assertThat(field(api.get("/api/v1/availability", null))).isEqualTo("specialty");
        assertThat(field(api.get("/api/v1/availability?specialty=pediatre&from=demain", null)))
                .isEqualTo("from");
        assertThat(field(api.get("/api/v1/availability?specialty=pediatre&page=-1", null)))
                .isEqualTo("page");
        assertThat(api.get("/api/v1/availability?specialty=pediatre&page=abc", null)
                        .status())
                .isEqualTo(400);
        assertThat(field(api.get("/api/v1/availability?specialty=pediatre&city=" + "x".repeat(101), null)))
                .isEqualTo("city");
        UUID someone = UUID.randomUUID();
        assertThat(field(api.get("/api/v1/practitioners/" + someone + "/slots?from=2026-01-01&to=2026-03-01", null)))
                .isEqualTo("to");
        assertThat(field(api.get("/api/v1/practitioners/" + someone + "/slots?from=2026-13-45", null)))
                .isEqualTo("from");
    }

    @Test
    void publishesTheOpenApiDescription() {
        Api.Response docs = api.get("/v3/api-docs", null);
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.body().get("paths").propertyNames())
                .contains(
                        "/api/v1/patients",
                        "/api/v1/auth/token",
                        "/api/v1/availability",
                        "/api/v1/appointments",
                        "/api/v1/me/appointments");
        assertThat(api.get("/swagger-ui/index.html", null).status()).isEqualTo(200);
        assertThat(api.get("/actuator/health", null).raw()).contains("UP");
        // Any other actuator endpoint is the security officer's (and env is not exposed at all).
        assertThat(api.get("/actuator/env", null).status()).isEqualTo(302);
    }

    static List<String> ids(Api.Response response) {
        return response.body()
                .get("content")
                .valueStream()
                .map(p -> p.get("id").asString())
                .toList();
    }

    static String field(Api.Response response) {
        assertThat(response.status()).isEqualTo(400);
        return response.body().get("errors").get(0).get("field").asString();
    }
}
