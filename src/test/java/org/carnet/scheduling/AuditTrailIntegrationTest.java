package org.carnet.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

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

/** Every access to a patient's data leaves an entry: who, for whom, what, why, from where. */
@CarnetIntegrationTest
class AuditTrailIntegrationTest {

    @Value("${local.server.port}")
    int port;

    @Autowired
    Directory directory;

    @Autowired
    Agendas agendas;

    @Autowired
    JdbcClient jdbc;

    record Entry(String action, String resource, String purpose, String outcome, UUID establishment, String source) {}

    @Test
    void registeringBookingReadingAndCancellingAreEachRecorded() {
        Api api = new Api(port);
        Fixtures.Agenda agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        Map<String, Object> registration = Fixtures.aRegistration();
        UUID patient = Fixtures.registered(api, registration).account();
        String token = api.token((String) registration.get("email"), (String) registration.get("password"));
        String slotId = Fixtures.freeSlotIdsFromTomorrow(api, agenda).get(0);
        String id = api.post(
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
        api.get("/api/v1/me/appointments", token);
        api.delete("/api/v1/appointments/" + id, token);

        // The patient's own accesses; the platform's notices of the booking and the cancellation follow
        // asynchronously and are checked below.
        List<Entry> entries = jdbc.sql("SELECT action, resource, purpose, outcome, establishment_id, source_address"
                        + " FROM audit_log WHERE patient_id = ? AND purpose <> 'notification' ORDER BY id")
                .param(patient)
                .query((rs, n) -> new Entry(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getObject(5, UUID.class),
                        rs.getString(6)))
                .list();

        UUID establishment = agenda.establishment().id();
        assertThat(entries)
                .containsExactly(
                        new Entry("CREATE", "patient-account", "registration", "ALLOWED", null, "127.0.0.0/24"),
                        // Fixtures.registered reads the profile for the account's id.
                        new Entry("READ", "patient-account", "self-service", "ALLOWED", null, "127.0.0.0/24"),
                        new Entry("CREATE", "patient-file", "booking", "ALLOWED", establishment, "127.0.0.0/24"),
                        new Entry("CREATE", "appointment", "booking", "ALLOWED", establishment, "127.0.0.0/24"),
                        new Entry("READ", "appointment", "self-service", "ALLOWED", establishment, "127.0.0.0/24"),
                        new Entry("UPDATE", "appointment", "cancellation", "ALLOWED", establishment, "127.0.0.0/24"));
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE patient_id = ? AND actor_id IS NOT NULL"
                                + " AND actor_role = 'PATIENT' AND on_behalf_of = ?")
                        .params(patient, patient)
                        .query(Integer.class)
                        .single())
                .isEqualTo(entries.size());
        // Each notice (address confirmation, booked, cancelled) reads the patient's contact and posts to their
        // inbox, as the platform.
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(30))
                .until(() -> notificationEntries(patient).size() == 6);
        assertThat(notificationEntries(patient))
                .containsExactlyInAnyOrder(
                        "READ patient-account SYSTEM:notification",
                        "READ patient-account SYSTEM:notification",
                        "READ patient-account SYSTEM:notification",
                        "CREATE inbox-message SYSTEM:notification",
                        "CREATE inbox-message SYSTEM:notification",
                        "CREATE inbox-message SYSTEM:notification");
    }

    private List<String> notificationEntries(UUID patient) {
        return jdbc.sql("SELECT action, resource, actor_type, actor_role FROM audit_log"
                        + " WHERE patient_id = ? AND purpose = 'notification'")
                .param(patient)
                .query((rs, n) ->
                        rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + ":" + rs.getString(4))
                .list();
    }
}
