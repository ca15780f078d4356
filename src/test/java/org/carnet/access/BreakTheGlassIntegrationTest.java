package org.carnet.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;
import org.carnet.directory.Directory;
import org.carnet.directory.Practitioner;
import org.carnet.directory.Rpps;
import org.carnet.directory.Specialty;
import org.carnet.identity.Logins;
import org.carnet.scheduling.Agendas;
import org.carnet.shared.Role;
import org.carnet.support.Api;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.carnet.support.PageClient;
import org.carnet.support.Professionals;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** Break-the-glass end to end, and the establishment administrator's page that reviews it and creates accounts. */
@CarnetIntegrationTest
class BreakTheGlassIntegrationTest {

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

    @Test
    void aPractitionerOutsideTheCareRuleOpensAFileWithAReasonAndTheAdministratorReviewsIt() {
        Api api = new Api(port);
        Fixtures fixtures = new Fixtures(directory, agendas);
        Fixtures.Agenda agenda = fixtures.aPractitionerWithSlots();
        Fixtures.Agenda elsewhere = fixtures.aPractitionerWithSlots();
        UUID establishment = agenda.establishment().id();
        Map<String, Object> registration = Fixtures.aRegistration();
        String lastName = "Glassprobe" + UUID.randomUUID().toString().substring(0, 6);
        registration.put("lastName", lastName);
        Fixtures.registered(api, registration);
        String token = api.token((String) registration.get("email"), (String) registration.get("password"));
        String patientId = api.get("/api/v1/me", token).body().get("id").asString();
        api.post(
                "/api/v1/appointments",
                Map.of(
                        "slotId", Fixtures.freeSlotIdsFromTomorrow(api, agenda).get(0),
                        "motiveId", agenda.motive().id().toString()),
                token);

        Professionals professionals = new Professionals(logins, transactions);
        Practitioner colleague = directory.addPractitioner(
                establishment,
                Rpps.of(9_000_000_000L + System.nanoTime() % 1_000_000),
                "Urgentiste",
                "Degarde",
                Specialty.MEDECIN_GENERALISTE);
        Professionals.Login doctor = professionals.practitioner(colleague.id(), establishment);
        PageClient pages = new PageClient(port);
        pages.signIn(doctor.email(), doctor.password(), doctor.totpSecret());

        PageClient.Page locked = pages.get("/agenda/patients/" + patientId);
        assertThat(locked.body()).contains("break-the-glass-form").doesNotContain(lastName);

        PageClient.Page tooShort =
                pages.post("/agenda/patients/" + patientId + "/break-the-glass", Map.of("reason", "urgent"));
        assertThat(tooShort.body())
                .contains("id=\"reason-error\"")
                .contains(">urgent<")
                .doesNotContain(lastName);
        assertThat(openings(establishment)).isZero();

        PageClient.Page opened = pages.post(
                "/agenda/patients/" + patientId + "/break-the-glass",
                Map.of("reason", "Patient inconscient aux urgences, allergies à vérifier"));
        assertThat(opened.body()).contains(lastName).contains("id=\"broke-the-glass\"");
        assertThat(openings(establishment)).isEqualTo(1);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE actor_id = ? AND patient_id = ?"
                                + " AND purpose = 'break-the-glass' AND outcome = 'ALLOWED'")
                        .params(doctor.userId(), UUID.fromString(patientId))
                        .query(Integer.class)
                        .single())
                .isEqualTo(1);

        // Another establishment's practitioner cannot break the glass on a file that is not theirs.
        Professionals.Login outsider = professionals.practitioner(
                elsewhere.practitioner().id(), elsewhere.establishment().id());
        PageClient outsiderPages = new PageClient(port);
        outsiderPages.signIn(outsider.email(), outsider.password(), outsider.totpSecret());
        outsiderPages.get("/agenda");
        PageClient.Page refused = outsiderPages.post(
                "/agenda/patients/" + patientId + "/break-the-glass",
                Map.of("reason", "Je voudrais simplement regarder ce dossier"));
        assertThat(refused.status()).isEqualTo(404);
        assertThat(refused.body()).doesNotContain(lastName);

        Professionals.Login admin = professionals.staff(Role.ESTABLISHMENT_ADMIN, establishment);
        PageClient adminPages = new PageClient(port);
        adminPages.signIn(admin.email(), admin.password(), admin.totpSecret());
        PageClient.Page review = adminPages.get("/establishment");
        assertThat(review.body())
                .contains("allergies à vérifier")
                .contains("Urgentiste Degarde")
                .contains(lastName);
        String openingId = jdbc.sql("SELECT id FROM break_glass_openings WHERE establishment_id = ?")
                .param(establishment)
                .query(UUID.class)
                .single()
                .toString();
        adminPages.post("/establishment/reviews/" + openingId, Map.of());
        assertThat(adminPages.get("/establishment").body()).contains("id=\"no-reviews\"");

        Professionals.Login otherAdmin = professionals.staff(
                Role.ESTABLISHMENT_ADMIN, elsewhere.establishment().id());
        PageClient otherAdminPages = new PageClient(port);
        otherAdminPages.signIn(otherAdmin.email(), otherAdmin.password(), otherAdmin.totpSecret());
        assertThat(otherAdminPages.get("/establishment").body()).doesNotContain("allergies");
    }

    /** Invitations themselves: {@code InvitationAttackIntegrationTest}. */
    @Test
    void theAdministratorsInvitationWithAWrongAddressIsShownAgainAndCreatesNothing() {
        Fixtures.Agenda agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        Professionals.Login admin = new Professionals(logins, transactions)
                .staff(Role.ESTABLISHMENT_ADMIN, agenda.establishment().id());
        PageClient pages = new PageClient(port);
        pages.signIn(admin.email(), admin.password(), admin.totpSecret());
        pages.get("/establishment");

        PageClient.Page invalid =
                pages.post("/establishment/staff", Map.of("name", "Nouvelle Secrétaire", "email", "not-an-address"));
        assertThat(invalid.status()).isEqualTo(200);
        assertThat(invalid.body()).contains("id=\"staff-error\"").contains("Nouvelle Secrétaire");
        PageClient.Page nameless = pages.post(
                "/establishment/staff",
                Map.of("name", " ", "email", "nameless-" + UUID.randomUUID() + "@example.test"));
        assertThat(nameless.body()).contains("id=\"staff-error\"");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM user_accounts WHERE role = 'STAFF' AND establishment_id = ?")
                        .param(agenda.establishment().id())
                        .query(Integer.class)
                        .single())
                .isZero();
    }

    private int openings(UUID establishment) {
        return jdbc.sql("SELECT COUNT(*) FROM break_glass_openings WHERE establishment_id = ?")
                .param(establishment)
                .query(Integer.class)
                .single();
    }
}
