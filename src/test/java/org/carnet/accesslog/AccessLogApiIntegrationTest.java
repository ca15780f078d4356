package org.carnet.accesslog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.carnet.audit.AccessEvent;
import org.carnet.audit.AuditLog;
import org.carnet.directory.Directory;
import org.carnet.identity.Logins;
import org.carnet.scheduling.Agendas;
import org.carnet.shared.Action;
import org.carnet.shared.EstablishmentId;
import org.carnet.shared.Field;
import org.carnet.shared.PatientRef;
import org.carnet.shared.Purpose;
import org.carnet.shared.Resource;
import org.carnet.shared.Role;
import org.carnet.support.Api;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.carnet.support.Professionals;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/** A patient sees who accessed their data; an administrator searches and exports their establishment's log only. */
@CarnetIntegrationTest
@DirtiesContext // its practitioner and administrator logins must not reach tests that count the demo ones
class AccessLogApiIntegrationTest {

    @Value("${local.server.port}")
    int port;

    @Autowired
    Directory directory;

    @Autowired
    Agendas agendas;

    @Autowired
    Logins logins;

    @Autowired
    AuditLog auditLog;

    @Autowired
    TransactionTemplate transactions;

    Api api;
    Professionals professionals;
    Fixtures.Agenda agenda;
    UUID patient;
    String patientToken;
    UUID practitionerLogin;

    @BeforeEach
    void aPatientBookedAndTheirPractitionerReadTheirFile() {
        api = new Api(port);
        professionals = new Professionals(logins, transactions);
        agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        Map<String, Object> registration = Fixtures.aRegistration();
        patient = Fixtures.registered(api, registration).account();
        patientToken = api.token((String) registration.get("email"), (String) registration.get("password"));
        String slot = Fixtures.freeSlotIdsFromTomorrow(api, agenda).get(0);
        assertThat(api.post(
                                "/api/v1/appointments",
                                Map.of(
                                        "slotId",
                                        slot,
                                        "motiveId",
                                        agenda.motive().id().toString()),
                                patientToken)
                        .status())
                .isEqualTo(201);
        practitionerLogin = professionals
                .practitioner(agenda.practitioner().id(), agenda.establishment().id())
                .userId();
        transactions.executeWithoutResult(status -> auditLog.record(new AccessEvent(
                logins.byId(practitionerLogin).orElseThrow(),
                null,
                PatientRef.account(patient),
                EstablishmentId.of(agenda.establishment().id()),
                Action.READ,
                Resource.PATIENT_FILE,
                List.of(Field.FIRST_NAME, Field.LAST_NAME, Field.PHONE),
                Purpose.CARE,
                AccessEvent.Outcome.ALLOWED)));
    }

    @Test
    void aPatientSeesEveryAccessToTheirDataWithThePractitionersName() {
        Api.Response response = api.get("/api/v1/me/access-log", patientToken);

        assertThat(response.status()).isEqualTo(200);
        List<JsonNode> entries = response.body().valueStream().toList();
        assertThat(entries).extracting(e -> e.get("purpose").asString()).contains("registration", "booking", "care");
        JsonNode care = entries.stream()
                .filter(e -> e.get("purpose").asString().equals("care"))
                .findFirst()
                .orElseThrow();
        assertThat(care.get("role").asString()).isEqualTo("PRACTITIONER");
        assertThat(care.get("practitioner").asString())
                .isEqualTo(agenda.practitioner().displayName());
        assertThat(care.get("establishment").asString())
                .isEqualTo(agenda.establishment().name());
        assertThat(care.get("fields").valueStream().map(JsonNode::asString))
                .containsExactly("first_name", "last_name", "phone");
        assertThat(care.get("action").asString()).isEqualTo("READ");
        assertThat(care.get("outcome").asString()).isEqualTo("ALLOWED");
        // Newest first, and only this patient's entries.
        assertThat(entries.get(0).get("purpose").asString()).isEqualTo("care");
        String other = Fixtures.aPatientToken(api);
        assertThat(api.get("/api/v1/me/access-log", other).body().valueStream())
                .noneMatch(e -> e.get("purpose").asString().equals("care"));
    }

    @Test
    void anAdministratorSearchesAndExportsTheirEstablishmentsLogOnly() {
        Professionals.Login admin = professionals.staff(
                Role.ESTABLISHMENT_ADMIN, agenda.establishment().id());
        String token = api.token(admin);

        Api.Response all = api.get("/api/v1/establishment/access-log?patient=" + patient, token);
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.body().valueStream().map(e -> e.get("purpose").asString()))
                .contains("booking", "care")
                .doesNotContain("registration"); // account-level, not this establishment's
        Api.Response reads = api.get(
                "/api/v1/establishment/access-log?patient=" + patient + "&action=READ&actor=" + practitionerLogin,
                token);
        assertThat(reads.body().valueStream().map(e -> e.get("purpose").asString()))
                .containsExactly("care");
        Api.Response none = api.get("/api/v1/establishment/access-log?patient=" + patient + "&to=2020-01-01", token);
        assertThat(none.body().size()).isZero();

        Api.Response csv = api.get("/api/v1/establishment/access-log.csv?patient=" + patient, token);
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.header("Content-Type")).startsWith("text/csv");
        List<String> lines = csv.raw().lines().toList();
        assertThat(lines.get(0)).startsWith("id,occurred_at,actor_type,actor_id,role,");
        assertThat(lines).anyMatch(l -> l.contains(practitionerLogin.toString()) && l.contains(",care,"));
        assertThat(lines).allMatch(l -> !l.contains("Testlast"));

        // The administrator's searches are accesses too, and the patient sees them.
        assertThat(api.get("/api/v1/me/access-log", patientToken).body().valueStream())
                .anyMatch(e -> e.get("purpose").asString().equals("access-review")
                        && e.get("role").asString().equals("ESTABLISHMENT_ADMIN"));
        // Another establishment's administrator sees none of it.
        Fixtures.Agenda elsewhere = new Fixtures(directory, agendas).aPractitionerWithSlots();
        Professionals.Login otherAdmin = professionals.staff(
                Role.ESTABLISHMENT_ADMIN, elsewhere.establishment().id());
        assertThat(api.get("/api/v1/establishment/access-log?patient=" + patient, api.token(otherAdmin))
                        .body()
                        .size())
                .isZero();
    }

    @Test
    void eachLogIsRefusedToTheOtherRoles() {
        assertThat(api.get("/api/v1/establishment/access-log", patientToken).status())
                .isEqualTo(403);
        assertThat(api.get("/api/v1/establishment/access-log.csv", patientToken).status())
                .isEqualTo(403);
        assertThat(api.post("/api/v1/security/audit/verify", "{}", patientToken).status())
                .isEqualTo(403);
        Professionals.Login admin = professionals.staff(
                Role.ESTABLISHMENT_ADMIN, agenda.establishment().id());
        assertThat(api.get("/api/v1/me/access-log", api.token(admin)).status()).isEqualTo(403);
        assertThat(api.get("/api/v1/me/access-log", null).status()).isEqualTo(401);
    }

    @Test
    void theSecurityOfficerVerifiesEveryChain() {
        String officer = api.token(professionals.staff(Role.SECURITY_OFFICER, null));

        Api.Response result = api.post("/api/v1/security/audit/verify", "{}", officer);

        assertThat(result.status()).isEqualTo(200);
        assertThat(result.body().get("intact").asBoolean()).isTrue();
        assertThat(result.body().get("witnessed").asBoolean()).isTrue();
        assertThat(result.body().get("entriesChecked").asLong()
                        + result.body().get("pending").asLong())
                .isPositive();
        assertThat(result.body().get("breaks").size()).isZero();

        Api.Response witness = api.get("/api/v1/security/audit/checkpoints", officer);
        assertThat(witness.status()).isEqualTo(200);
        assertThat(witness.raw()).startsWith("# Carnet audit checkpoints, format 1\npublic-key ");
        assertThat(api.get("/api/v1/security/audit/checkpoints", patientToken).status())
                .isEqualTo(403);
    }
}
