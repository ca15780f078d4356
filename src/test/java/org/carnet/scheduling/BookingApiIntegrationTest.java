package org.carnet.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.carnet.directory.Directory;
import org.carnet.support.Api;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

@CarnetIntegrationTest
class BookingApiIntegrationTest {

    @Value("${local.server.port}")
    int port;

    @Autowired
    Directory directory;

    @Autowired
    Agendas agendas;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Bookings bookings;

    @Autowired
    org.carnet.identity.Logins logins;

    Api api;
    Fixtures fixtures;
    Fixtures.Agenda agenda;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        fixtures = new Fixtures(directory, agendas);
        agenda = fixtures.aPractitionerWithSlots();
    }

    String aPatientToken() {
        return Fixtures.aPatientToken(api);
    }

    List<String> freeSlotIds() {
        return Fixtures.freeSlotIdsFromTomorrow(api, agenda);
    }

    Map<String, Object> booking(String slotId) {
        return Map.of("slotId", slotId, "motiveId", agenda.motive().id().toString());
    }

    int count(String table) {
        return jdbc.sql("SELECT COUNT(*) FROM " + table).query(Integer.class).single();
    }

    @Test
    void aPatientBooksSeesAndCancelsAnAppointment() {
        String token = aPatientToken();
        String slotId = freeSlotIds().get(0);

        // The patient's words are no longer taken in clear: a 400 that points to the encrypted exchange.
        Api.Response withComment = api.post(
                "/api/v1/appointments",
                Map.of("slotId", slotId, "motiveId", agenda.motive().id().toString(), "comment", "Depuis trois jours"),
                token);
        assertThat(withComment.status()).isEqualTo(400);
        assertThat(fields(withComment)).containsExactly("comment");
        assertThat(withComment.body().get("detail").asString())
                .contains("/api/v1/teleconsultations/{appointmentId}/messages", "encrypted exchange");
        assertThat(freeSlotIds()).as("nothing is booked").contains(slotId);

        Api.Response booked = api.post(
                "/api/v1/appointments",
                Map.of("slotId", slotId, "motiveId", agenda.motive().id().toString()),
                token);
        assertThat(booked.status()).isEqualTo(201);
        assertThat(booked.header("Location"))
                .endsWith("/api/v1/appointments/" + booked.body().get("id").asString());
        assertThat(booked.body().get("status").asString()).isEqualTo("BOOKED");
        assertThat(booked.body().get("motive").asString()).isEqualTo("Consultation de test");
        assertThat(booked.body().get("comment").isNull()).isTrue();
        assertThat(freeSlotIds()).doesNotContain(slotId);

        Api.Response mine = api.get("/api/v1/me/appointments", token);
        assertThat(mine.status()).isEqualTo(200);
        assertThat(mine.body()).hasSize(1);
        assertThat(mine.body().get(0).get("slotId").asString()).isEqualTo(slotId);

        String id = booked.body().get("id").asString();
        assertThat(api.delete("/api/v1/appointments/" + id, token).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/me/appointments", token)
                        .body()
                        .get(0)
                        .get("status")
                        .asString())
                .isEqualTo("CANCELLED");
        assertThat(freeSlotIds()).contains(slotId);

        Api.Response twice = api.delete("/api/v1/appointments/" + id, token);
        assertThat(twice.status()).isEqualTo(409);
        assertThat(twice.body().get("detail").asString()).contains("already cancelled");
    }

    @Test
    void aTakenSlotGives409AndNoSecondAppointment() {
        String slotId = freeSlotIds().get(0);
        assertThat(api.post("/api/v1/appointments", booking(slotId), aPatientToken())
                        .status())
                .isEqualTo(201);

        Api.Response second = api.post("/api/v1/appointments", booking(slotId), aPatientToken());
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.header("Content-Type")).startsWith("application/problem+json");
        assertThat(second.body().get("detail").asString()).contains("no longer available");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM appointments WHERE slot_id = ?")
                        .param(UUID.fromString(slotId))
                        .query(Integer.class)
                        .single())
                .isEqualTo(1);
    }

    @Test
    void aRetriedRequestWithTheSameIdempotencyKeyReturnsTheSameAppointment() {
        String token = aPatientToken();
        String slotId = freeSlotIds().get(0);
        Map<String, String> key = Map.of("Idempotency-Key", "retry-" + UUID.randomUUID());

        Api.Response first = api.post("/api/v1/appointments", booking(slotId), token, key);
        Api.Response retry = api.post("/api/v1/appointments", booking(slotId), token, key);

        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.body().get("id").asString())
                .isEqualTo(first.body().get("id").asString());
        assertThat(api.get("/api/v1/me/appointments", token).body()).hasSize(1);

        Api.Response otherRequest =
                api.post("/api/v1/appointments", booking(freeSlotIds().get(0)), token, key);
        assertThat(otherRequest.status()).isEqualTo(422);
        assertThat(api.get("/api/v1/me/appointments", token).body()).hasSize(1);
    }

    @Test
    void rescheduleMovesTheAppointmentAndFreesTheOldSlot() {
        String token = aPatientToken();
        List<String> free = freeSlotIds();
        String first = free.get(0);
        String second = free.get(1);
        String id = api.post("/api/v1/appointments", booking(first), token)
                .body()
                .get("id")
                .asString();

        Api.Response moved = api.post("/api/v1/appointments/" + id + "/reschedule", Map.of("slotId", second), token);

        assertThat(moved.status()).isEqualTo(200);
        assertThat(moved.body().get("id").asString()).isEqualTo(id);
        assertThat(moved.body().get("slotId").asString()).isEqualTo(second);
        assertThat(freeSlotIds()).contains(first).doesNotContain(second);
    }

    @Test
    void rescheduleToATakenSlotChangesNothing() {
        String token = aPatientToken();
        List<String> free = freeSlotIds();
        String id = api.post("/api/v1/appointments", booking(free.get(0)), token)
                .body()
                .get("id")
                .asString();
        api.post("/api/v1/appointments", booking(free.get(1)), aPatientToken());

        Api.Response moved =
                api.post("/api/v1/appointments/" + id + "/reschedule", Map.of("slotId", free.get(1)), token);

        assertThat(moved.status()).isEqualTo(409);
        assertThat(api.get("/api/v1/appointments/" + id, token)
                        .body()
                        .get("slotId")
                        .asString())
                .isEqualTo(free.get(0));
    }

    @Test
    void cancellingAfterTheCutoffIsRefused() {
        String token = aPatientToken();
        String slotId = freeSlotIds().get(0);
        String id = api.post("/api/v1/appointments", booking(slotId), token)
                .body()
                .get("id")
                .asString();
        // The appointment now starts in one hour, inside the two-hour cut-off.
        Instant soon = Instant.now().plus(1, ChronoUnit.HOURS);
        jdbc.sql("UPDATE slots SET start_at = ?, end_at = ? WHERE id = ?")
                .params(
                        soon.atOffset(ZoneOffset.UTC),
                        soon.plus(30, ChronoUnit.MINUTES).atOffset(ZoneOffset.UTC),
                        UUID.fromString(slotId))
                .update();

        Api.Response refused = api.delete("/api/v1/appointments/" + id, token);

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.body().get("detail").asString()).contains("no longer be changed");
        assertThat(api.get("/api/v1/appointments/" + id, token)
                        .body()
                        .get("status")
                        .asString())
                .isEqualTo("BOOKED");
    }

    @Test
    void someoneElsesAppointmentIsNotFound() {
        String owner = aPatientToken();
        String intruder = aPatientToken();
        String id = api.post("/api/v1/appointments", booking(freeSlotIds().get(0)), owner)
                .body()
                .get("id")
                .asString();

        Api.Response read = api.get("/api/v1/appointments/" + id, intruder);
        Api.Response cancel = api.delete("/api/v1/appointments/" + id, intruder);
        Api.Response move = api.post(
                "/api/v1/appointments/" + id + "/reschedule",
                Map.of("slotId", freeSlotIds().get(0)),
                intruder);

        assertThat(List.of(read.status(), cancel.status(), move.status())).containsOnly(404);
        assertThat(read.raw()).doesNotContain("Consultation de test");
        assertThat(api.get("/api/v1/appointments/" + id, owner)
                        .body()
                        .get("status")
                        .asString())
                .isEqualTo("BOOKED");
    }

    @Test
    void withoutATokenBookingIs401AndNothingIsStored() {
        int before = count("appointments");
        Api.Response response =
                api.post("/api/v1/appointments", booking(freeSlotIds().get(0)), null);
        Api.Response badToken =
                api.post("/api/v1/appointments", booking(freeSlotIds().get(0)), "ct1.forged");

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(response.body().get("status").asInt()).isEqualTo(401);
        assertThat(badToken.status()).isEqualTo(401);
        assertThat(api.get("/api/v1/me/appointments", null).status()).isEqualTo(401);
        assertThat(count("appointments")).isEqualTo(before);
    }

    @Test
    void badBookingRequestsGive400WithTheFieldAndStoreNothing() {
        String token = aPatientToken();
        String slotId = freeSlotIds().get(0);
        int before = count("appointments");

        Api.Response missing = api.post("/api/v1/appointments", Map.of("slotId", slotId), token);
        assertThat(missing.status()).isEqualTo(400);
        assertThat(fields(missing)).containsExactly("motiveId");

        Api.Response notUuid = api.post("/api/v1/appointments", "{\"slotId\":\"12\",\"motiveId\":\"x\"}", token);
        assertThat(notUuid.status()).isEqualTo(400);

        Api.Response unknownField = api.post(
                "/api/v1/appointments",
                Map.of("slotId", slotId, "motiveId", agenda.motive().id().toString(), "price", 0),
                token);
        assertThat(unknownField.status()).isEqualTo(400);
        assertThat(unknownField.body().get("detail").asString()).contains("unknown fields");

        Api.Response blank = api.post(
                "/api/v1/appointments",
                Map.of("slotId", slotId, "motiveId", agenda.motive().id().toString(), "comment", ""),
                token);
        assertThat(blank.status()).as("even empty: the field is gone").isEqualTo(400);
        assertThat(fields(blank)).containsExactly("comment");

        Fixtures.Agenda other = fixtures.aPractitionerWithSlots();
        Api.Response foreignMotive = api.post(
                "/api/v1/appointments",
                Map.of("slotId", slotId, "motiveId", other.motive().id().toString()),
                token);
        assertThat(foreignMotive.status()).isEqualTo(400);
        assertThat(fields(foreignMotive)).containsExactly("motiveId");

        Api.Response unknownSlot =
                api.post("/api/v1/appointments", booking(UUID.randomUUID().toString()), token);
        assertThat(unknownSlot.status()).isEqualTo(404);

        Api.Response badKey =
                api.post("/api/v1/appointments", booking(slotId), token, Map.of("Idempotency-Key", "has spaces!"));
        assertThat(badKey.status()).isEqualTo(400);

        Api.Response notJson = api.post("/api/v1/appointments", "{not json", token);
        assertThat(notJson.status()).isEqualTo(400);

        assertThat(count("appointments")).isEqualTo(before);
        assertThat(freeSlotIds()).contains(slotId);
    }

    @Test
    void aPastSlotCannotBeBooked() {
        String token = aPatientToken();
        String slotId = freeSlotIds().get(0);
        Instant past = Instant.now().minus(1, ChronoUnit.DAYS);
        jdbc.sql("UPDATE slots SET start_at = ?, end_at = ? WHERE id = ?")
                .params(
                        past.atOffset(ZoneOffset.UTC),
                        past.plus(30, ChronoUnit.MINUTES).atOffset(ZoneOffset.UTC),
                        UUID.fromString(slotId))
                .update();

        assertThat(api.post("/api/v1/appointments", booking(slotId), token).status())
                .isEqualTo(409);
    }

    static List<String> fields(Api.Response response) {
        JsonNode errors = response.body().get("errors");
        return errors.valueStream().map(error -> error.get("field").asString()).toList();
    }

    @Test
    void aCommentStoredBeforeItMovedIntoTheEncryptedExchangeStaysReadable() {
        String token = aPatientToken();
        UUID account =
                UUID.fromString(api.get("/api/v1/me", token).body().get("id").asString());
        UUID id = new org.carnet.support.StoredComments(bookings, logins)
                .book(account, freeSlotIds().get(0), agenda.motive().id(), "Depuis trois jours", null);

        Api.Response read = api.get("/api/v1/appointments/" + id, token);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body().get("comment").asString()).isEqualTo("Depuis trois jours");
        assertThat(jdbc.sql("SELECT comment FROM appointments WHERE id = ?")
                        .param(id)
                        .query((rs, n) -> new String(rs.getBytes(1), java.nio.charset.StandardCharsets.ISO_8859_1))
                        .single())
                .as("sealed at rest")
                .doesNotContain("Depuis");
    }
}
