package org.carnet.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.ZoneId;
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

    Api api;
    Fixtures fixtures;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        fixtures = new Fixtures(directory, agendas);
    }

    String aPatientToken() {
        Map<String, Object> registration = Fixtures.aRegistration();
        assertThat(api.post("/api/v1/patients", registration, null).status()).isEqualTo(201);
        return api.token((String) registration.get("email"), (String) registration.get("password"));
    }

    JsonNode aFreeSlot(Fixtures.Agenda agenda) {
        String tomorrow = LocalDate.now(ZoneId.of("Europe/Paris")).plusDays(1).toString();
        Api.Response slots =
                api.get("/api/v1/practitioners/" + agenda.practitioner().id() + "/slots?from=" + tomorrow, null);
        assertThat(slots.status()).isEqualTo(200);
        return slots.body().get(0);
    }

    @Test
    void aPatientBooksSeesAndCancelsAnAppointment() {
        Fixtures.Agenda agenda = fixtures.aPractitionerWithSlots();
        String token = aPatientToken();
        JsonNode slot = aFreeSlot(agenda);

        Api.Response booked = api.post(
                "/api/v1/appointments",
                Map.of(
                        "slotId",
                        slot.get("id").asString(),
                        "motiveId",
                        agenda.motive().id().toString(),
                        "comment",
                        "Rougeur"),
                token);
        assertThat(booked.status()).isEqualTo(201);
        assertThat(booked.body().get("status").asString()).isEqualTo("BOOKED");
        assertThat(booked.body().get("motive").asString()).isEqualTo("Consultation de test");

        Api.Response mine = api.get("/api/v1/me/appointments", token);
        assertThat(mine.body()).hasSize(1);

        Api.Response again = api.post(
                "/api/v1/appointments",
                Map.of(
                        "slotId",
                        slot.get("id").asString(),
                        "motiveId",
                        agenda.motive().id().toString()),
                aPatientToken());
        assertThat(again.status()).isEqualTo(409);

        String id = booked.body().get("id").asString();
        assertThat(api.delete("/api/v1/appointments/" + id, token).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/me/appointments", token)
                        .body()
                        .get(0)
                        .get("status")
                        .asString())
                .isEqualTo("CANCELLED");
        assertThat(api.delete("/api/v1/appointments/" + UUID.randomUUID(), token)
                        .status())
                .isEqualTo(404);
    }
}
