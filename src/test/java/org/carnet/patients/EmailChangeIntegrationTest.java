package org.carnet.patients;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.carnet.crypto.FieldSealer;
import org.carnet.crypto.KeyOwner;
import org.carnet.crypto.SealedColumn;
import org.carnet.directory.Directory;
import org.carnet.directory.VisitMotive;
import org.carnet.scheduling.Agendas;
import org.carnet.support.Api;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.carnet.support.PageClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Identity owns a patient's e-mail address: a change reaches the account and every file made from it. */
@CarnetIntegrationTest
class EmailChangeIntegrationTest {

    @org.springframework.beans.factory.annotation.Autowired
    org.carnet.patients.FileAccounts fileAccounts;

    @Value("${local.server.port}")
    int port;

    @Autowired
    Directory directory;

    @Autowired
    Agendas agendas;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    FieldSealer sealer;

    @Test
    void aChangedAddressReachesTheAccountAndEveryEstablishmentsFile() {
        Api api = new Api(port);
        Fixtures fixtures = new Fixtures(directory, agendas);
        Map<String, Object> registration = Fixtures.aRegistration();
        Fixtures.registered(api, registration);
        String password = (String) registration.get("password");
        String token = api.token((String) registration.get("email"), password);
        for (int i = 0; i < 2; i++) {
            Fixtures.Agenda agenda = fixtures.aPractitionerWithSlots();
            VisitMotive motive = directory.addMotive(agenda.practitioner().id(), "Consultation", 20, false);
            String slot = Fixtures.freeSlotIdsFromTomorrow(api, agenda).get(0);
            assertThat(api.post(
                                    "/api/v1/appointments",
                                    Map.of(
                                            "slotId",
                                            slot,
                                            "motiveId",
                                            motive.id().toString()),
                                    token)
                            .status())
                    .isEqualTo(201);
        }
        UUID account =
                UUID.fromString(api.get("/api/v1/me", token).body().get("id").asString());

        PageClient pages = new PageClient(port);
        pages.signIn((String) registration.get("email"), password, null);
        pages.get("/account/security");
        String newEmail = "Moved-" + UUID.randomUUID() + "@Example.test";
        PageClient.Page changed =
                pages.post("/account/security/email", Map.of("currentPassword", password, "newEmail", " " + newEmail));
        assertThat(changed.location()).endsWith("/account/security?changed=email");

        // Signing in compares the normalised form; the copies keep the address as typed, trimmed.
        String newToken = api.token(newEmail.toLowerCase(java.util.Locale.ROOT), password);
        assertThat(api.get("/api/v1/me", newToken).body().get("email").asString())
                .isEqualTo(newEmail);
        List<String> fileEmails = fileAccounts.filesOf(account).stream()
                .map(file -> jdbc.sql("SELECT email FROM patient_files WHERE establishment_id = ? AND id = ?")
                        .params(file.establishmentId(), file.fileId())
                        .query((rs, n) -> sealer.open(
                                KeyOwner.establishment(file.establishmentId()),
                                new SealedColumn("patient_files", "email", file.fileId()),
                                rs.getBytes(1)))
                        .single())
                .toList();
        assertThat(fileEmails).hasSize(2).containsOnly(newEmail);

        // Each copy changed is the patient's own update, on the log of the establishment that holds it.
        long updates = jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE patient_id = ? AND action = 'UPDATE'"
                        + " AND fields = 'email' AND outcome = 'ALLOWED'")
                .param(account)
                .query(Long.class)
                .single();
        assertThat(updates).isEqualTo(3);

        // The new address is confirmed anew, with the code sent to it, before the patient books again.
        Fixtures.Agenda another = fixtures.aPractitionerWithSlots();
        Map<String, String> booking = Map.of(
                "slotId", Fixtures.freeSlotIdsFromTomorrow(api, another).get(0),
                "motiveId", another.motive().id().toString());
        assertThat(api.post("/api/v1/appointments", booking, newToken).status()).isEqualTo(403);
        Fixtures.confirmAddress(api, newEmail, newToken);
        assertThat(api.post("/api/v1/appointments", booking, newToken).status()).isEqualTo(201);
    }
}
