package org.carnet.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.carnet.audit.AuditVerifier;
import org.carnet.crypto.FieldSealer;
import org.carnet.crypto.KeyOwner;
import org.carnet.crypto.SealedTable;
import org.carnet.directory.Directory;
import org.carnet.identity.CarnetPrincipal;
import org.carnet.identity.Logins;
import org.carnet.patients.Relative;
import org.carnet.patients.Relatives;
import org.carnet.scheduling.Agendas;
import org.carnet.shared.Actor;
import org.carnet.shared.GoneException;
import org.carnet.shared.Role;
import org.carnet.support.Api;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.carnet.support.Professionals;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The right to erasure: only the signed-in patient, with their password given again and an explicit
 * confirmation, erases their own account; then their identity and relatives cannot be opened by anyone,
 * their future appointments are cancelled, the establishments' copies are deleted except where a
 * consultation took place (the retention rule), sign-in is refused, another patient is untouched, and the
 * access log still verifies.
 */
@CarnetIntegrationTest
@DirtiesContext // destroyed keys and a closed login must not reach other tests
class AccountErasureIntegrationTest {

    @org.springframework.beans.factory.annotation.Autowired
    org.carnet.patients.FileAccounts fileAccounts;

    static final String PASSWORD = "correct horse battery staple";

    @Value("${local.server.port}")
    int port;

    @Autowired
    Directory directory;

    @Autowired
    Agendas agendas;

    @Autowired
    Logins logins;

    @Autowired
    org.carnet.scheduling.Bookings bookings;

    @Autowired
    Relatives relatives;

    @Autowired
    FieldSealer sealer;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    AuditVerifier verifier;

    @Test
    void erasureNeedsThePasswordAndTheConfirmationAndNoOneElseCanEraseAnAccount() {
        Api api = new Api(port);
        Fixtures fixtures = new Fixtures(directory, agendas);
        Fixtures.Agenda agenda = fixtures.aPractitionerWithSlots();
        Fixtures.Patient patient = Fixtures.aPatient(api);
        Map<String, Object> otherRegistration = new HashMap<>(Fixtures.aRegistration());
        otherRegistration.put("password", "another synthetic patient password");
        Fixtures.Patient other = Fixtures.registered(api, otherRegistration);
        Professionals professionals = new Professionals(logins, transactions);
        String staff = api.token(professionals.staff(
                Role.ESTABLISHMENT_ADMIN, agenda.establishment().id()));

        // No re-authentication: refused, whatever else the request says.
        assertThat(api.post("/api/v1/me/erasure", Map.of("confirm", true), patient.token())
                        .status())
                .isEqualTo(400);
        Api.Response wrong = api.post(
                "/api/v1/me/erasure", Map.of("password", "not the password at all", "confirm", true), patient.token());
        assertThat(wrong.status()).isEqualTo(403);
        assertThat(wrong.body().get("type").asString()).endsWith("/reauthentication-failed");
        // The right password without the confirmation: refused.
        assertThat(api.post("/api/v1/me/erasure", Map.of("password", PASSWORD, "confirm", false), patient.token())
                        .status())
                .isEqualTo(400);
        // A professional has no account to erase; signed out, nothing at all.
        assertThat(api.post("/api/v1/me/erasure", Map.of("password", Professionals.PASSWORD, "confirm", true), staff)
                        .status())
                .isEqualTo(404);
        assertThat(api.post("/api/v1/me/erasure", Map.of("password", PASSWORD, "confirm", true), null)
                        .status())
                .isEqualTo(401);

        // The patient's own password in another patient's request is not theirs: refused.
        assertThat(api.post("/api/v1/me/erasure", Map.of("password", PASSWORD, "confirm", true), other.token())
                        .status())
                .isEqualTo(403);
        // Nothing was erased.
        assertThat(api.get("/api/v1/me", patient.token()).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/me", other.token()).status()).isEqualTo(200);
        assertThat(dataKeys(patient.account())).isEqualTo(1);

        // Another patient naming the victim's account: in the body it is refused (no such field); in the
        // address it is ignored, and with their own password they erase only themselves.
        String otherPassword = "another synthetic patient password";
        assertThat(api.post(
                                "/api/v1/me/erasure",
                                Map.of(
                                        "password",
                                        otherPassword,
                                        "confirm",
                                        true,
                                        "accountId",
                                        patient.account().toString()),
                                other.token())
                        .status())
                .isEqualTo(400);
        assertThat(dataKeys(other.account())).isEqualTo(1);
        assertThat(api.post(
                                "/api/v1/me/erasure?patient=" + patient.account(),
                                Map.of("password", otherPassword, "confirm", true),
                                other.token())
                        .status())
                .isEqualTo(204);
        assertThat(api.get("/api/v1/me", other.token()).status()).isEqualTo(401);
        assertThat(dataKeys(other.account())).isZero();
        assertThat(api.get("/api/v1/me", patient.token()).status()).isEqualTo(200);
        assertThat(dataKeys(patient.account())).isEqualTo(1);
    }

    @Test
    void afterErasureNothingOfTheAccountOpensTheRetainedFileStaysAndTheLogVerifies() {
        Api api = new Api(port);
        Fixtures fixtures = new Fixtures(directory, agendas);
        Fixtures.Agenda consulted = fixtures.aPractitionerWithSlots();
        Fixtures.Agenda upcoming = fixtures.aPractitionerWithSlots();
        Map<String, Object> registration = new HashMap<>(Fixtures.aRegistration());
        registration.put("nir", "2 95 10 99 126 111 93");
        Fixtures.Patient patient = Fixtures.registered(api, registration);
        Fixtures.Patient other = Fixtures.aPatient(api);
        UUID relative = addRelative(patient);
        // A consultation that took place (booked, then its slot moved into the past) and one to come.
        UUID past = Fixtures.book(
                api,
                patient,
                consulted,
                Fixtures.freeSlotIdsFromTomorrow(api, consulted).get(0));
        movedIntoThePast(past);
        String futureSlot = Fixtures.freeSlotIdsFromTomorrow(api, upcoming).get(0);
        UUID future = bookWithComment(api, patient, upcoming, futureSlot, "synthetic words to forget");
        UUID othersAppointment = Fixtures.book(
                api,
                other,
                upcoming,
                Fixtures.freeSlotIdsFromTomorrow(api, upcoming).get(0));
        UUID loginId = logins.withEmail(patient.email()).orElseThrow().userId();

        Api.Response erased =
                api.post("/api/v1/me/erasure", Map.of("password", PASSWORD, "confirm", true), patient.token());

        assertThat(erased.status()).isEqualTo(204);
        // The account's key is gone: its identity, NIR and relatives are ciphertext no one can open.
        assertThat(dataKeys(patient.account())).isZero();
        assertThat(dataKeys(other.account())).isEqualTo(1);
        SealedTable accounts =
                SealedTable.of("patient_accounts", "id", KeyOwner.Type.PATIENT_ACCOUNT, "first_name", "nir");
        byte[] firstName = sealed("SELECT first_name FROM patient_accounts WHERE id = ?", patient.account());
        byte[] nir = sealed("SELECT nir FROM patient_accounts WHERE id = ?", patient.account());
        assertThatThrownBy(() -> sealer.open(
                        KeyOwner.patientAccount(patient.account()),
                        accounts.column("first_name", patient.account()),
                        firstName))
                .isInstanceOf(GoneException.class);
        assertThatThrownBy(() -> sealer.open(
                        KeyOwner.patientAccount(patient.account()), accounts.column("nir", patient.account()), nir))
                .isInstanceOf(GoneException.class);
        SealedTable relatives =
                SealedTable.of("relatives", "patient_account_id", KeyOwner.Type.PATIENT_ACCOUNT, "first_name");
        byte[] relativeName = sealed("SELECT first_name FROM relatives WHERE id = ?", relative);
        assertThatThrownBy(() -> sealer.open(
                        KeyOwner.patientAccount(patient.account()),
                        relatives.column("first_name", relative),
                        relativeName))
                .isInstanceOf(GoneException.class);
        // Nor can anything new be sealed for it, and the NIR's blind index is gone.
        assertThatThrownBy(() -> sealer.seal(
                        KeyOwner.patientAccount(patient.account()),
                        accounts.column("first_name", patient.account()),
                        "anything"))
                .isInstanceOf(GoneException.class);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM patient_accounts WHERE id = ? AND nir_index IS NOT NULL")
                        .param(patient.account())
                        .query(Integer.class)
                        .single())
                .isZero();

        // The login is closed: the token no longer works, sign-in is refused, the address is free.
        assertThat(api.get("/api/v1/me", patient.token()).status()).isEqualTo(401);
        assertThat(api.post("/api/v1/auth/token", Map.of("email", patient.email(), "password", PASSWORD), null)
                        .status())
                .isNotEqualTo(200);
        assertThat(logins.withEmail(patient.email())).isEmpty();
        assertThat(dataKeys(KeyOwner.login(loginId))).isZero();

        // The future appointment is cancelled and its slot free again; the other patient's is untouched.
        assertThat(status(future)).isEqualTo("CANCELLED");
        assertThat(Fixtures.freeSlotIdsFromTomorrow(api, upcoming)).contains(futureSlot);
        assertThat(status(othersAppointment)).isEqualTo("BOOKED");
        assertThat(api.get("/api/v1/me/appointments", other.token()).raw()).contains(othersAppointment.toString());
        // Where nothing took place, the establishment's copy is deleted and the patient's words forgotten;
        // where a consultation took place, the file is the establishment's medical record and stays.
        assertThat(files(upcoming, patient.account())).isZero();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM appointments WHERE id = ? AND comment IS NULL")
                        .param(future)
                        .query(Integer.class)
                        .single())
                .isEqualTo(1);
        assertThat(files(consulted, patient.account())).isEqualTo(1);
        Professionals professionals = new Professionals(logins, transactions);
        String practitioner = api.token(professionals.practitioner(
                consulted.practitioner().id(), consulted.establishment().id()));
        assertThat(api.get("/api/v1/appointments/" + past, practitioner).status())
                .isEqualTo(200);
        assertThat(status(past)).isEqualTo("BOOKED");

        // The cancellation's notice to the erased patient is dropped, not retried for ever.
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> jdbc.sql("SELECT COUNT(*) FROM event_publication WHERE completion_date IS NULL"
                                        + " AND listener_id = 'notifications.appointment-cancelled'")
                                .query(Integer.class)
                                .single()
                        == 0);

        // The erasure is on the access log, and the log verifies.
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE patient_id = ? AND purpose = 'erasure'"
                                + " AND action = 'DELETE'")
                        .param(patient.account())
                        .query(Integer.class)
                        .single())
                .isPositive();
        assertThat(verifier.verify().intact()).isTrue();
    }

    private void movedIntoThePast(UUID appointment) {
        OffsetDateTime start = OffsetDateTime.now(ZoneOffset.UTC)
                .minusDays(10)
                .truncatedTo(ChronoUnit.MINUTES)
                .plusMinutes(Math.floorMod(appointment.hashCode(), 600));
        jdbc.sql("UPDATE slots SET start_at = ?, end_at = ? WHERE id = (SELECT slot_id FROM appointments WHERE id = ?)")
                .params(start, start.plusMinutes(20), appointment)
                .update();
    }

    private UUID addRelative(Fixtures.Patient patient) {
        CarnetPrincipal login = logins.withEmail(patient.email()).orElseThrow();
        return relatives.add(
                patient.account(),
                "Relfirst",
                "Rellast",
                LocalDate.of(2015, 5, 6),
                Relative.Relationship.CHILD,
                new Actor.Person(login.userId(), Role.PATIENT, patient.account(), null));
    }

    /** A comment stored as before it moved into the encrypted exchange (the API refuses one now). */
    private UUID bookWithComment(
            Api api, Fixtures.Patient patient, Fixtures.Agenda agenda, String slotId, String comment) {
        return new org.carnet.support.StoredComments(bookings, logins).book(patient, agenda, slotId, comment);
    }

    private byte[] sealed(String sql, UUID id) {
        return jdbc.sql(sql).param(id).query(byte[].class).single();
    }

    private String status(UUID appointment) {
        return jdbc.sql("SELECT status FROM appointments WHERE id = ?")
                .param(appointment)
                .query(String.class)
                .single();
    }

    private int files(Fixtures.Agenda agenda, UUID account) {
        return fileAccounts.fileOf(agenda.establishment().id(), account).isPresent() ? 1 : 0;
    }

    private int dataKeys(UUID account) {
        return dataKeys(KeyOwner.patientAccount(account));
    }

    private int dataKeys(KeyOwner owner) {
        return jdbc.sql("SELECT COUNT(*) FROM data_keys WHERE owner_type = ? AND owner_id = ?")
                .params(owner.type().name(), owner.id())
                .query(Integer.class)
                .single();
    }
}
