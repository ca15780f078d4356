package org.carnet.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
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
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Search pages are remembered by each node and cached by HTTP clients, yet a page is never stale after
 * a booking, a cancellation or a slot change on this node, nor more than a second after one another node
 * tells through the database, and never lists a slot that has started.
 */
@CarnetIntegrationTest
class SearchPageFreshnessIntegrationTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    @Value("${local.server.port}")
    int port;

    @Autowired
    Directory directory;

    @Autowired
    Agendas agendas;

    @Autowired
    JdbcClient jdbc;

    Api api;
    Fixtures fixtures;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        fixtures = new Fixtures(directory, agendas);
    }

    @Test
    void aBookedSlotLeavesThePageAtOnceAndComesBackWhenCancelled() {
        String city = uniqueCity("Resaville");
        Fixtures.Agenda agenda = fixtures.aPractitionerWithSlots(Specialty.PEDIATRE, city, "98300");
        String search = "/api/v1/availability?specialty=pediatre&city=" + city + "&from=" + tomorrow();
        String first = slotIds(api.get(search, null)).get(0);
        // Asked again: the remembered page, the same slot.
        assertThat(slotIds(api.get(search, null)).get(0)).isEqualTo(first);

        Fixtures.Patient patient = Fixtures.aPatient(api);
        UUID appointment = Fixtures.book(api, patient, agenda, first);
        assertThat(slotIds(api.get(search, null))).doesNotContain(first);

        assertThat(api.delete("/api/v1/appointments/" + appointment, patient.token())
                        .status())
                .isEqualTo(204);
        assertThat(slotIds(api.get(search, null)).get(0)).isEqualTo(first);
    }

    @Test
    void aBlockedSlotAndAnAbsenceLeaveThePageAtOnce() {
        String city = uniqueCity("Blocville");
        Fixtures.Agenda agenda = fixtures.aPractitionerWithSlots(Specialty.UROLOGUE, city, "98400");
        String search = "/api/v1/availability?specialty=urologue&city=98400&from=" + tomorrow();
        List<String> before = slotIds(api.get(search, null));

        assertThat(agendas.blockSlot(agenda.practitioner().id(), UUID.fromString(before.get(0))))
                .isTrue();
        List<String> blocked = slotIds(api.get(search, null));
        assertThat(blocked).doesNotContain(before.get(0)).contains(before.get(1));

        Instant from = tomorrow().atStartOfDay(PARIS).toInstant();
        agendas.addAbsence(agenda.practitioner().id(), from, from.plus(Duration.ofDays(2)));
        assertThat(slotIds(api.get(search, null))).doesNotContainAnyElementsOf(blocked);
    }

    @Test
    void anotherNodesChangeIsSeenWithinASecondOfItsNote() {
        String city = uniqueCity("Pairville");
        Fixtures.Agenda agenda = fixtures.aPractitionerWithSlots(Specialty.NEUROLOGUE, city, "98500");
        String search = "/api/v1/availability?specialty=neurologue&city=" + city + "&from=" + tomorrow();
        String first = slotIds(api.get(search, null)).get(0);

        // Another node books the slot: its commit, as this node's database sees it...
        jdbc.sql("UPDATE slots SET status = 'BLOCKED' WHERE id = ?")
                .param(UUID.fromString(first))
                .update();
        // ...which this node, not told yet, does not know: it still serves the page it read.
        assertThat(slotIds(api.get(search, null)).get(0)).isEqualTo(first);

        // Then the other node's note of the change.
        jdbc.sql("INSERT INTO search_invalidations (node_id, practitioner_id) VALUES (?, ?)")
                .params(UUID.randomUUID(), agenda.practitioner().id())
                .update();
        long noted = System.nanoTime();
        await().atMost(Duration.ofSeconds(2))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> !slotIds(api.get(search, null)).contains(first));
        assertThat(Duration.ofNanos(System.nanoTime() - noted)).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void thisNodesChangesAreNotedForTheOthers() {
        String city = uniqueCity("Notville");
        Fixtures.Agenda agenda = fixtures.aPractitionerWithSlots(Specialty.CARDIOLOGUE, city, "98600");
        String first = Fixtures.freeSlotIdsFromTomorrow(api, agenda).get(0);
        Fixtures.Patient patient = Fixtures.aPatient(api);
        // The agenda's opening is noted too: once another agenda opened after it is noted, so is it.
        Fixtures.Agenda later = fixtures.aPractitionerWithSlots(Specialty.CARDIOLOGUE, city, "98600");
        await().atMost(Duration.ofSeconds(2)).until(() -> notes(later) > 0);
        int before = notes(agenda);
        assertThat(before).isPositive();

        long booked = System.nanoTime();
        Fixtures.book(api, patient, agenda, first);
        await().atMost(Duration.ofSeconds(2))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> notes(agenda) > before);
        assertThat(Duration.ofNanos(System.nanoTime() - booked)).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void aSlotThatHasStartedIsNeverListed() {
        String city = uniqueCity("Tempville");
        Fixtures.Agenda agenda = fixtures.aPractitionerWithSlots(Specialty.PSYCHIATRE, city, "98700");
        Instant soon = Instant.now().plusMillis(1500).truncatedTo(ChronoUnit.MILLIS);
        UUID imminent = UUID.randomUUID();
        // A slot about to start, made behind Carnet's back (nothing tells the node about it: only its time).
        jdbc.sql("INSERT INTO slots (establishment_id, id, practitioner_id, start_at, end_at, status)"
                        + " VALUES (?, ?, ?, ?, ?, 'FREE')")
                .params(
                        agenda.establishment().id(),
                        imminent,
                        agenda.practitioner().id(),
                        soon.atOffset(ZoneOffset.UTC),
                        soon.plusSeconds(60).atOffset(ZoneOffset.UTC))
                .update();
        String search = "/api/v1/availability?specialty=psychiatre&city=" + city;
        Api.Response before = api.get(search, null);
        assertThat(slotIds(before).get(0)).isEqualTo(imminent.toString());
        // An HTTP cache may not keep it past its start either.
        assertThat(before.header("Cache-Control")).isEqualTo("max-age=1, public");

        await().atMost(Duration.ofSeconds(5)).until(() -> Instant.now().isAfter(soon));
        Api.Response after = api.get(search, null);
        assertThat(slotIds(after)).doesNotContain(imminent.toString());
        assertThat(starts(after)).allSatisfy(start -> assertThat(start).isAfter(soon));
    }

    @Test
    void anonymousPagesCarryAnETagAndAnswer304UntilTheyChange() {
        String city = uniqueCity("Etagville");
        Fixtures.Agenda agenda = fixtures.aPractitionerWithSlots(Specialty.DERMATOLOGUE, city, "98800");
        String search = "/api/v1/availability?specialty=dermatologue&city=" + city + "&from=" + tomorrow();
        Api.Response page = api.get(search, null);
        String etag = page.header("ETag");
        assertThat(etag).matches("\"[0-9a-f]{32}\"");
        assertThat(page.header("Cache-Control")).isEqualTo("max-age=1, public");
        assertThat(String.join(",", page.headers().allValues("Vary"))).contains("Accept-Language");
        assertThat(page.header("Pragma")).isNull();

        Api.Response unchanged = api.get(search, null, Map.of("If-None-Match", etag));
        assertThat(unchanged.status()).isEqualTo(304);
        assertThat(unchanged.raw()).isEmpty();
        assertThat(unchanged.header("ETag")).isEqualTo(etag);

        // Another language is another representation: the same If-None-Match does not match it.
        Api.Response english = api.get(search, null, Map.of("If-None-Match", etag, "Accept-Language", "en"));
        assertThat(english.status()).isEqualTo(200);
        assertThat(english.header("ETag")).isNotEqualTo(etag);

        Fixtures.book(api, Fixtures.aPatient(api), agenda, slotIds(page).get(0));
        Api.Response changed = api.get(search, null, Map.of("If-None-Match", etag));
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.header("ETag")).isNotEqualTo(etag);
        assertThat(slotIds(changed)).doesNotContain(slotIds(page).get(0));
    }

    @Test
    void signedInAnswersAreNeverCached() {
        String city = uniqueCity("Privville");
        fixtures.aPractitionerWithSlots(Specialty.DERMATOLOGUE, city, "98900");
        String token = Fixtures.aPatientToken(api);
        String search = "/api/v1/availability?specialty=dermatologue&city=" + city;
        String etag = api.get(search, null).header("ETag");

        Api.Response signedIn = api.get(search, token, Map.of("If-None-Match", etag));
        assertThat(signedIn.status()).isEqualTo(200);
        assertThat(signedIn.header("ETag")).isNull();
        assertThat(signedIn.header("Cache-Control")).contains("no-store").doesNotContain("public");

        Api.Response mine = api.get("/api/v1/me/appointments", token);
        assertThat(mine.header("ETag")).isNull();
        assertThat(mine.header("Cache-Control")).contains("no-store").doesNotContain("public");
    }

    private int notes(Fixtures.Agenda agenda) {
        return jdbc.sql("SELECT COUNT(*) FROM search_invalidations WHERE practitioner_id = ?")
                .param(agenda.practitioner().id())
                .query(Integer.class)
                .single();
    }

    private static LocalDate tomorrow() {
        return LocalDate.now(PARIS).plusDays(1);
    }

    private static String uniqueCity(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static List<String> slotIds(Api.Response page) {
        assertThat(page.status()).isEqualTo(200);
        return slots(page).stream().map(s -> s.get("id").asString()).toList();
    }

    private static List<Instant> starts(Api.Response page) {
        return slots(page).stream()
                .map(s -> OffsetDateTime.parse(s.get("start").asString()).toInstant())
                .toList();
    }

    private static List<JsonNode> slots(Api.Response page) {
        return page.body()
                .get("content")
                .valueStream()
                .flatMap(p -> p.get("slots").valueStream())
                .toList();
    }
}
