package org.carnet.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.carnet.directory.Directory;
import org.carnet.support.Api;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Agendas over time: the nightly horizon job and absences. */
@CarnetIntegrationTest
class AgendaIntegrationTest {

    @Value("${local.server.port}")
    int port;

    @Autowired
    Directory directory;

    @Autowired
    Agendas agendas;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    SlotHorizonJob horizonJob;

    @Test
    void theNightlyJobTopsUpTheSlotHorizon() {
        Fixtures.Agenda agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        UUID practitioner = agenda.practitioner().id();
        LocalDate inAWeek = LocalDate.now(ZoneId.of("Europe/Paris")).plusWeeks(1);
        jdbc.sql("DELETE FROM slots WHERE practitioner_id = ? AND start_at >= ?")
                .params(
                        practitioner,
                        inAWeek.atStartOfDay(ZoneId.of("Europe/Paris")).toOffsetDateTime())
                .update();
        jdbc.sql("UPDATE agendas SET generated_until = ? WHERE practitioner_id = ?")
                .params(inAWeek, practitioner)
                .update();

        horizonJob.fillHorizons();

        LocalDate lastDay = jdbc.sql("SELECT generated_until FROM agendas WHERE practitioner_id = ?")
                .param(practitioner)
                .query(LocalDate.class)
                .single();
        assertThat(lastDay).isEqualTo(LocalDate.now(ZoneId.of("Europe/Paris")).plusWeeks(4));
        // Open every day 08:00-20:00 with 30-minute slots: 24 a day, three more weeks generated.
        assertThat(jdbc.sql("SELECT COUNT(*) FROM slots WHERE practitioner_id = ? AND start_at >= ?")
                        .params(
                                practitioner,
                                inAWeek.atStartOfDay(ZoneId.of("Europe/Paris")).toOffsetDateTime())
                        .query(Integer.class)
                        .single())
                .isEqualTo(21 * 24);
    }

    @Test
    void anAbsenceRemovesFreeSlotsButKeepsBookedOnesAndNamesThem() {
        Api api = new Api(port);
        Fixtures.Agenda agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        UUID practitioner = agenda.practitioner().id();
        ZoneId paris = ZoneId.of("Europe/Paris");
        LocalDate day = LocalDate.now(paris).plusDays(3);
        Map<String, Object> registration = Fixtures.aRegistration();
        Fixtures.registered(api, registration);
        String token = api.token((String) registration.get("email"), (String) registration.get("password"));
        String slotId = api.get("/api/v1/practitioners/" + practitioner + "/slots?from=" + day, null)
                .body()
                .get(0)
                .get("id")
                .asString();
        String appointment = api.post(
                        "/api/v1/appointments",
                        Map.of(
                                "slotId",
                                slotId,
                                "motiveId",
                                agenda.motive().id().toString()),
                        token)
                .body()
                .get("id")
                .asString();

        List<UUID> affected = agendas.addAbsence(
                practitioner,
                day.atStartOfDay(paris).toInstant(),
                day.plusDays(1).atStartOfDay(paris).toInstant());

        assertThat(affected).containsExactly(UUID.fromString(appointment));
        assertThat(api.get(
                                "/api/v1/practitioners/" + practitioner + "/slots?from=" + day + "&to="
                                        + day.plusDays(1),
                                null)
                        .body())
                .isEmpty();
        assertThat(api.get("/api/v1/appointments/" + appointment, token)
                        .body()
                        .get("status")
                        .asString())
                .isEqualTo("BOOKED");
    }
}
