package org.carnet.administration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.internet.MimeMessage;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.carnet.directory.Directory;
import org.carnet.identity.Logins;
import org.carnet.scheduling.Agendas;
import org.carnet.shared.ConflictException;
import org.carnet.shared.Role;
import org.carnet.support.Api;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.carnet.support.PageClient;
import org.carnet.support.Professionals;
import org.carnet.support.TestMailServer;
import org.carnet.support.TotpCodes;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Issue 12, item 2: an administrator must not be able to become a practitioner. A practitioner has at
 * most one login, which the database enforces; logins are made by invitation, the administrator giving
 * only an e-mail address: a password they post is ignored, and the one-time enrolment code reaches
 * only the invitee's mailbox (a real SMTP server), never the administrator's page, inbox or mailbox.
 * The invitee then sets their own password and second factor and signs in; an invitation not yet
 * used can be sent again elsewhere, but none reaches a login its owner has enrolled.
 */
@CarnetIntegrationTest
class InvitationAttackIntegrationTest {

    static final Pattern ENROLMENT_CODE = Pattern.compile("[A-Z2-7]{4}(?:-[A-Z2-7]{4}){6}");
    static final Pattern VERIFICATION_CODE = Pattern.compile("CRN-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}");
    static final Pattern TOTP_SECRET = Pattern.compile("id=\"totp-secret\">([A-Z2-7 ]+)<");
    static final String ADMINISTRATORS_CHOICE = "the administrator's own password 2026";
    static final String INVITEES_CHOICE = "the invitee's very own password 2026";

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
    void aPractitionerHasOneLoginAndASecondIsRefusedByThePageAndTheDatabase() {
        Fixtures.Agenda agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        UUID practitioner = agenda.practitioner().id();
        UUID establishment = agenda.establishment().id();
        Professionals professionals = new Professionals(logins, transactions);
        professionals.practitioner(practitioner, establishment);

        // The administrator's page: a clear refusal, nothing created, nothing sent.
        PageClient admin = signedInAdministrator(establishment);
        String attacker = "second-login-" + UUID.randomUUID() + "@example.test";
        PageClient.Page refused = admin.post(
                "/establishment/practitioner-accounts",
                Map.of("practitioner", practitioner.toString(), "email", attacker));
        assertThat(refused.status()).isEqualTo(200);
        assertThat(refused.body()).contains("id=\"practitioner-error\"").contains("un seul compte par praticien");
        assertThat(loginsOf(practitioner)).isEqualTo(1);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM outbox_messages WHERE owner_id = ?")
                        .param(practitioner)
                        .query(Integer.class)
                        .single())
                .as("the refused invitation sent nothing")
                .isZero();

        // Identity's own door.
        assertThatThrownBy(() -> transactions.execute(status -> logins.create(
                        Role.PRACTITIONER, practitioner, establishment, attacker, Professionals.PASSWORD)))
                .isInstanceOf(ConflictException.class);

        // And the database itself, for any code that would go around it.
        assertThatThrownBy(() -> jdbc.sql("INSERT INTO user_accounts (id, email_index, password_hash, role,"
                                + " subject_id, establishment_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
                        .params(
                                UUID.randomUUID(),
                                UUID.randomUUID().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                                "not a hash",
                                Role.PRACTITIONER.name(),
                                practitioner,
                                establishment,
                                OffsetDateTime.now(ZoneOffset.UTC))
                        .update())
                .isInstanceOf(DataIntegrityViolationException.class);
        assertThat(loginsOf(practitioner)).isEqualTo(1);
    }

    @Test
    void theAdministratorNeitherSetsAPasswordNorSeesTheCodeWhichReachesOnlyTheInvitee() throws Exception {
        Fixtures.Agenda agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        UUID establishment = agenda.establishment().id();
        PageClient admin = signedInAdministrator(establishment);
        assertThat(admin.get("/establishment").body())
                .as("no password field on the administrator's page")
                .doesNotContain("type=\"password\"");

        // A practitioner, the administrator trying to choose the password too.
        String doctor = "invited-doctor-" + UUID.randomUUID() + "@example.test";
        PageClient.Page invited = admin.post(
                "/establishment/practitioner-accounts",
                Map.of(
                        "practitioner",
                        agenda.practitioner().id().toString(),
                        "email",
                        doctor,
                        "password",
                        ADMINISTRATORS_CHOICE));
        assertThat(invited.location()).endsWith("/establishment?invited");
        String adminPage = admin.get("/establishment?invited").body();
        assertThat(adminPage).contains("id=\"admin-invited\"");

        MimeMessage mail = TestMailServer.awaitTo(doctor, 1).get(0);
        String text = TestMailServer.text(mail, "text/plain");
        String html = TestMailServer.text(mail, "text/html");
        String code = enrolmentCode(text);
        assertThat(html).contains(code);
        assertThat(mail.getSubject()).contains("Votre compte Carnet vous attend");
        assertThat(text).contains(agenda.establishment().name()).contains("Activer mon compte");
        Matcher verification = VERIFICATION_CODE.matcher(text);
        assertThat(verification.find()).as("the message's verification code").isTrue();
        PageClient anyone = new PageClient(port);
        anyone.get("/verifier");
        assertThat(anyone.post("/verifier", Map.of("code", verification.group()))
                        .body())
                .contains("Oui : Carnet a envoyé un message avec ce code le")
                .contains("(invitation à un compte Carnet)");
        for (String body : List.of(text, html.replaceAll("<!DOCTYPE html>|xmlns:th=\"[^\"]*\"", ""))) {
            assertThat(body)
                    .doesNotContainIgnoringCase("http")
                    .doesNotContain("www.")
                    .doesNotContain("href");
        }

        // Only the invitee's mailbox has the code: not the administrator's page, inbox or mail.
        assertThat(adminPage).doesNotContain(code);
        assertThat(admin.get("/inbox").body()).doesNotContain(code);
        List<MimeMessage> carryingTheCode = Arrays.stream(
                        TestMailServer.server().getReceivedMessages())
                .filter(m -> TestMailServer.text(m, "text/plain").contains(code))
                .toList();
        assertThat(carryingTheCode).hasSize(1);
        assertThat(carryingTheCode.get(0).getAllRecipients())
                .extracting(Object::toString)
                .containsExactly(doctor);

        // The administrator's password does not open the login.
        Api api = new Api(port);
        assertThat(api.post("/api/v1/auth/token", Map.of("email", doctor, "password", ADMINISTRATORS_CHOICE), null)
                        .status())
                .isEqualTo(401);

        // Staff, in English: the same.
        String secretary = "invited-staff-" + UUID.randomUUID() + "@example.test";
        PageClient.Page staff = admin.post(
                "/establishment/staff?lang=en",
                Map.of("name", "Nouvelle Secrétaire", "email", secretary, "password", ADMINISTRATORS_CHOICE));
        assertThat(staff.location()).endsWith("/establishment?invited");
        MimeMessage staffMail = TestMailServer.awaitTo(secretary, 1).get(0);
        String staffText = TestMailServer.text(staffMail, "text/plain");
        assertThat(staffMail.getSubject()).contains("Your Carnet account is waiting for you");
        assertThat(staffText).contains("Activate my account").contains("Hello");
        String staffCode = enrolmentCode(staffText);
        assertThat(admin.get("/establishment?invited").body()).doesNotContain(staffCode);
        assertThat(api.post("/api/v1/auth/token", Map.of("email", secretary, "password", ADMINISTRATORS_CHOICE), null)
                        .status())
                .isEqualTo(401);

        // Invited again before enrolling (the first code lost): a new code, the same login.
        admin.get("/establishment");
        admin.post("/establishment/staff", Map.of("name", "Nouvelle Secrétaire", "email", secretary));
        String secondCode = enrolmentCode(
                TestMailServer.text(TestMailServer.awaitTo(secretary, 2).get(1), "text/plain"));
        assertThat(secondCode).isNotEqualTo(staffCode);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM user_accounts WHERE role = 'STAFF' AND establishment_id = ?")
                        .param(establishment)
                        .query(Integer.class)
                        .single())
                .isEqualTo(1);
        PageClient invitee = new PageClient(port);
        invitee.get("/enrol");
        assertThat(invitee.post("/enrol", Map.of("code", staffCode, "password", INVITEES_CHOICE))
                        .body())
                .as("the replaced code")
                .contains("id=\"code-error\"");
        assertThat(invitee.post("/enrol", Map.of("code", secondCode, "password", INVITEES_CHOICE))
                        .location())
                .endsWith("/account/security/totp");
    }

    @Test
    void theInviteeSetsTheirOwnPasswordAndSecondFactorAndSignsInAfterWhichNoInvitationReachesTheLogin()
            throws Exception {
        Fixtures.Agenda agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        UUID practitioner = agenda.practitioner().id();
        PageClient admin = signedInAdministrator(agenda.establishment().id());
        String mistyped = "mistyped-doctor-" + UUID.randomUUID() + "@example.test";
        admin.post(
                "/establishment/practitioner-accounts",
                Map.of("practitioner", practitioner.toString(), "email", mistyped));
        String firstCode = enrolmentCode(
                TestMailServer.text(TestMailServer.awaitTo(mistyped, 1).get(0), "text/plain"));

        // Not enrolled yet: the administrator may invite again, elsewhere; the first code is void.
        String doctor = "enrolling-doctor-" + UUID.randomUUID() + "@example.test";
        assertThat(admin.post(
                                "/establishment/practitioner-accounts",
                                Map.of("practitioner", practitioner.toString(), "email", doctor))
                        .location())
                .endsWith("/establishment?invited");
        String code = enrolmentCode(
                TestMailServer.text(TestMailServer.awaitTo(doctor, 1).get(0), "text/plain"));
        assertThat(loginsOf(practitioner)).isEqualTo(1);

        PageClient invitee = new PageClient(port);
        assertThat(invitee.get("/login").body()).contains("id=\"enrol-link\"");
        invitee.get("/enrol");
        assertThat(invitee.post("/enrol", Map.of("code", firstCode, "password", INVITEES_CHOICE))
                        .body())
                .as("the replaced code")
                .contains("id=\"code-error\"");
        PageClient.Page enrolled = invitee.post("/enrol", Map.of("code", code, "password", INVITEES_CHOICE));
        assertThat(enrolled.location()).endsWith("/account/security/totp");
        Matcher secret =
                TOTP_SECRET.matcher(invitee.get("/account/security/totp").body());
        assertThat(secret.find()).as("the enrolment page shows the secret").isTrue();
        String totp = secret.group(1).replace(" ", "");
        assertThat(invitee.post("/account/security/totp", Map.of("code", TotpCodes.now(totp)))
                        .body())
                .contains("id=\"recovery-codes\"");

        PageClient later = new PageClient(port);
        PageClient.Page signedIn = later.signIn(doctor, INVITEES_CHOICE, totp);
        assertThat(signedIn.location()).endsWith("/agenda");
        assertThat(later.get("/agenda").status()).isEqualTo(200);
        assertThat(later.get("/inbox").body())
                .as("the inbox tells of the invitation, without its code")
                .contains("Invitation à votre compte Carnet")
                .doesNotContain(code)
                .doesNotContain(firstCode);

        PageClient again = new PageClient(port);
        again.get("/enrol");
        assertThat(again.post("/enrol", Map.of("code", code, "password", "someone else's password 2026"))
                        .body())
                .as("the code works once")
                .contains("id=\"code-error\"");

        // Enrolled: the administrator can no longer send this login's code anywhere.
        admin.get("/establishment");
        String attacker = "administrator-as-doctor-" + UUID.randomUUID() + "@example.test";
        PageClient.Page refused = admin.post(
                "/establishment/practitioner-accounts",
                Map.of("practitioner", practitioner.toString(), "email", attacker));
        assertThat(refused.body()).contains("id=\"practitioner-error\"").contains("un seul compte par praticien");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM outbox_messages WHERE owner_id = ?")
                        .param(practitioner)
                        .query(Integer.class)
                        .single())
                .as("the two invitations, nothing more")
                .isEqualTo(2);
        assertThat(new PageClient(port).signIn(doctor, INVITEES_CHOICE, totp).location())
                .as("the doctor's login still theirs")
                .endsWith("/agenda");
    }

    private PageClient signedInAdministrator(UUID establishment) {
        Professionals.Login login =
                new Professionals(logins, transactions).staff(Role.ESTABLISHMENT_ADMIN, establishment);
        PageClient pages = new PageClient(port);
        pages.signIn(login.email(), login.password(), login.totpSecret());
        pages.get("/establishment");
        return pages;
    }

    private int loginsOf(UUID subject) {
        return jdbc.sql("SELECT COUNT(*) FROM user_accounts WHERE subject_id = ?")
                .param(subject)
                .query(Integer.class)
                .single();
    }

    private static String enrolmentCode(String text) {
        Matcher m = ENROLMENT_CODE.matcher(text);
        assertThat(m.find()).as("the e-mail carries an enrolment code").isTrue();
        return m.group();
    }
}
