package org.carnet.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;
import org.carnet.directory.Directory;
import org.carnet.patients.FileAccounts;
import org.carnet.patients.FileUnlinking;
import org.carnet.scheduling.internal.AppointmentUnlinking;
import org.carnet.support.Api;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Rows written before V42 named the patient account in clear beside its establishment: the unlinking jobs move
 * them to keyed hashes and sealed values, and the patient, the practice and a retried booking find them as
 * before.
 */
@CarnetIntegrationTest
class AccountUnlinkingIntegrationTest {

    @Value("${local.server.port}")
    int port;

    @Autowired
    Directory directory;

    @Autowired
    Agendas agendas;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    FileAccounts fileAccounts;

    @Autowired
    FileUnlinking fileUnlinking;

    @Autowired
    AppointmentUnlinking appointmentUnlinking;

    @Test
    void rowsThatNamedTheAccountInClearAreMovedAndStillFound() {
        Api api = new Api(port);
        Fixtures fixtures = new Fixtures(directory, agendas);
        Fixtures.Patient patient = Fixtures.registered(api, Fixtures.aRegistration());
        UUID account = patient.account();
        Fixtures.Agenda[] agendas = {fixtures.aPractitionerWithSlots(), fixtures.aPractitionerWithSlots()};
        String[] keys = new String[2];
        Map<String, String>[] bookings = new Map[2];
        String[] ids = new String[2];
        for (int i = 0; i < 2; i++) {
            keys[i] = "legacy-" + UUID.randomUUID();
            bookings[i] = Map.of(
                    "slotId",
                    Fixtures.freeSlotIdsFromTomorrow(api, agendas[i]).get(0),
                    "motiveId",
                    agendas[i].motive().id().toString());
            Api.Response booked =
                    api.post("/api/v1/appointments", bookings[i], patient.token(), Map.of("Idempotency-Key", keys[i]));
            assertThat(booked.status()).isEqualTo(201);
            ids[i] = booked.body().get("id").asString();
        }

        // As a node of the older version wrote them: the account id in clear, no hash, no seal, no link.
        for (int i = 0; i < 2; i++) {
            UUID establishment = agendas[i].establishment().id();
            UUID file = fileAccounts.fileOf(establishment, account).orElseThrow();
            jdbc.sql("UPDATE patient_files SET patient_account_id = ?, account_index = NULL, patient_account = NULL"
                            + " WHERE establishment_id = ? AND id = ?")
                    .params(account, establishment, file)
                    .update();
            jdbc.sql("UPDATE appointments SET patient_account_id = ?, patient_account = NULL WHERE id = ?")
                    .params(account, UUID.fromString(ids[i]))
                    .update();
            jdbc.sql("INSERT INTO booking_requests (patient_account_id, idempotency_key, request_hash, appointment_id,"
                            + " created_at) SELECT ?, ?, request_hash, appointment_id, created_at FROM"
                            + " booking_request_keys WHERE appointment_id = ?")
                    .params(account, keys[i], UUID.fromString(ids[i]))
                    .update();
            jdbc.sql("DELETE FROM booking_request_keys WHERE appointment_id = ?")
                    .param(UUID.fromString(ids[i]))
                    .update();
        }
        jdbc.sql("DELETE FROM patient_file_links WHERE patient_account_id = ?")
                .param(account)
                .update();
        // Meanwhile the file is still found by its clear id: a booking there makes no second file.
        assertThat(fileAccounts.fileOf(agendas[0].establishment().id(), account))
                .isPresent();

        assertThat(fileUnlinking.unlink(1)).isEqualTo(2);
        assertThat(appointmentUnlinking.unlink(1)).isEqualTo(new AppointmentUnlinking.Result(2, 2));
        assertThat(fileUnlinking.unlink(1)).isZero();
        assertThat(appointmentUnlinking.unlink(1)).isEqualTo(new AppointmentUnlinking.Result(0, 0));

        for (String table : new String[] {"patient_files", "appointments", "booking_requests"}) {
            assertThat(jdbc.sql("SELECT COUNT(*) FROM " + table + " WHERE patient_account_id = ?")
                            .param(account)
                            .query(Integer.class)
                            .single())
                    .as("rows of %s naming the account in clear", table)
                    .isZero();
        }
        // The patient's list, the practice's view of whose appointment it is, and a retried booking still work.
        assertThat(fileAccounts.filesOf(account)).hasSize(2);
        assertThat(api.get("/api/v1/me/appointments", patient.token()).raw())
                .contains(ids[0])
                .contains(ids[1]);
        for (int i = 0; i < 2; i++) {
            Api.Response retried =
                    api.post("/api/v1/appointments", bookings[i], patient.token(), Map.of("Idempotency-Key", keys[i]));
            assertThat(retried.status()).isEqualTo(201);
            assertThat(retried.body().get("id").asString()).isEqualTo(ids[i]);
            assertThat(api.get("/api/v1/appointments/" + ids[i], patient.token())
                            .status())
                    .isEqualTo(200);
        }
    }
}
