package org.carnet.exports;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.carnet.audit.AuditVerifier;
import org.carnet.directory.Directory;
import org.carnet.directory.Specialty;
import org.carnet.identity.Logins;
import org.carnet.scheduling.Agendas;
import org.carnet.shared.Role;
import org.carnet.support.Api;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.carnet.support.Professionals;
import org.carnet.support.TestMailServer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * After the contract: an establishment's keys are destroyed only once an export of its patient files
 * was received long enough ago; then its patient data cannot be read or written by anyone, it leaves
 * the search, another establishment is untouched, and the access log still verifies.
 */
@CarnetIntegrationTest
@DirtiesContext // a closed establishment and its destroyed keys must not reach other tests
class EstablishmentShreddingIntegrationTest {

    @Value("${local.server.port}")
    int port;

    @Autowired
    Directory directory;

    @Autowired
    Agendas agendas;

    @Autowired
    Logins logins;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    AuditVerifier verifier;

    @Test
    void theKeysGoOnlyAfterAReceivedExportThenNothingOfTheEstablishmentOpensAndTheLogVerifies() throws Exception {
        Api api = new Api(port);
        Professionals professionals = new Professionals(logins, transactions);
        Fixtures fixtures = new Fixtures(directory, agendas);
        Fixtures.Agenda leaving = fixtures.aPractitionerWithSlots(Specialty.PEDIATRE, "Partance", "99300");
        Fixtures.Agenda staying = fixtures.aPractitionerWithSlots(Specialty.PEDIATRE, "Partance", "99300");
        Fixtures.Patient patient = Fixtures.aPatient(api);
        UUID leavingAppointment = Fixtures.book(
                api,
                patient,
                leaving,
                Fixtures.freeSlotIdsFromTomorrow(api, leaving).get(0));
        UUID stayingAppointment = Fixtures.book(
                api,
                patient,
                staying,
                Fixtures.freeSlotIdsFromTomorrow(api, staying).get(0));
        String admin = api.token(professionals.staff(
                Role.ESTABLISHMENT_ADMIN, leaving.establishment().id()));
        String officer = api.token(professionals.staff(Role.SECURITY_OFFICER, null));
        String shred =
                "/api/v1/security/establishments/" + leaving.establishment().id() + "/shred";

        // No export yet: refused, and an administrator may not even ask.
        assertThat(api.post(shred, Map.of(), officer).status()).isEqualTo(409);
        assertThat(api.post(shred, Map.of(), admin).status()).isEqualTo(403);

        // Exported and downloaded just now: still refused until carnet.exports.shred-after (30 days) passed.
        TestRecipient vendor = new TestRecipient("Vendor <vendor@example.test>");
        UUID export = UUID.fromString(api.post(
                        "/api/v1/establishment/exports",
                        Map.of(
                                "recipient", "Vendor",
                                "recipientKey", vendor.publicKey(),
                                "scope", List.of("PATIENTS", "APPOINTMENTS"),
                                "from", LocalDate.now().minusDays(1).toString(),
                                "to", LocalDate.now().plusMonths(3).toString()),
                        admin)
                .body()
                .get("id")
                .asString());
        String link = api.post("/api/v1/security/exports/" + export + "/approve", Map.of(), officer)
                .body()
                .get("downloadUrl")
                .asString();
        HttpResponse<byte[]> download = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + link))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(api.post(shred, Map.of(), officer).status()).isEqualTo(409);
        assertThat(dataKeys(leaving)).isEqualTo(1);

        // A month later (the download moved back in time), the security officer destroys the keys.
        jdbc.sql("UPDATE exports SET downloaded_at = ? WHERE id = ?")
                .params(OffsetDateTime.now(ZoneOffset.UTC).minusDays(31), export)
                .update();
        assertThat(api.post(shred, Map.of(), officer).status()).isEqualTo(204);
        assertThat(api.post(shred, Map.of(), officer).status()).isEqualTo(409);

        assertThat(dataKeys(leaving)).isZero();
        assertThat(dataKeys(staying)).isEqualTo(1);
        // The establishment's appointment no longer opens, for the patient as for anyone; the other one does.
        Api.Response gone = api.get("/api/v1/appointments/" + leavingAppointment, patient.token());
        assertThat(gone.status()).isEqualTo(410);
        assertThat(gone.body().get("type").asString()).endsWith("/data-destroyed");
        assertThat(api.get("/api/v1/appointments/" + stayingAppointment, patient.token())
                        .status())
                .isEqualTo(200);
        // Its agendas stopped: it is no longer found, its free slots are gone, and the patient's list leaves
        // out what can no longer be read.
        assertThat(api.get("/api/v1/availability?specialty=pediatre&city=Partance", null)
                        .raw())
                .doesNotContain(leaving.practitioner().id().toString())
                .contains(staying.practitioner().id().toString());
        assertThat(Fixtures.freeSlotIdsFromTomorrow(api, leaving)).isEmpty();
        assertThat(api.get("/api/v1/me/appointments", patient.token()).raw())
                .doesNotContain(leavingAppointment.toString())
                .contains(stayingAppointment.toString());
        assertThat(dataKeys(leaving)).isZero();
        // Its patient was told the future appointment is cancelled (address confirmation, two bookings, then this).
        assertThat(TestMailServer.awaitTo(patient.email(), 4).get(3).getSubject())
                .startsWith("Carnet : Votre rendez-vous du")
                .endsWith("est annulé");

        assertThat(verifier.verify().intact()).isTrue();
    }

    private int dataKeys(Fixtures.Agenda agenda) {
        return jdbc.sql("SELECT COUNT(*) FROM data_keys WHERE owner_type = 'ESTABLISHMENT' AND owner_id = ?")
                .param(agenda.establishment().id())
                .query(Integer.class)
                .single();
    }
}
