package org.carnet.patients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.carnet.directory.Directory;
import org.carnet.identity.Logins;
import org.carnet.notifications.Inbox;
import org.carnet.notifications.InboxMessage;
import org.carnet.notifications.Recipient;
import org.carnet.scheduling.Agendas;
import org.carnet.shared.Actor;
import org.carnet.shared.Role;
import org.carnet.support.Api;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.carnet.support.PageClient;
import org.carnet.support.Professionals;
import org.carnet.support.TestMailServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Registration tells nobody who has an account (issue 11 item 6, issue 12 item 5): an address or a NIR
 * that is already taken gets the same answer as a new one; the owner of the address is told; a NIR
 * claimed twice is flagged for the establishment, not refused; and a new account books only once its
 * owner has typed the code sent to the address, which the account itself can never read.
 */
@CarnetIntegrationTest
class RegistrationAttackIntegrationTest {

    @org.springframework.beans.factory.annotation.Autowired
    org.carnet.patients.FileAccounts fileAccounts;

    @Value("${local.server.port}")
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Directory directory;

    @Autowired
    Agendas agendas;

    @Autowired
    Logins logins;

    @Autowired
    Inbox inbox;

    @Autowired
    TransactionTemplate transactions;

    Api api;

    @BeforeEach
    void setUp() {
        api = new Api(port);
    }

    @Test
    void anAddressThatHasAnAccountGetsTheAnswerOfANewOneAndItsOwnerIsToldOnceADay() throws Exception {
        Fixtures.Patient owner = Fixtures.aPatient(api);
        Map<String, Object> squatter = Fixtures.aRegistration();
        squatter.putAll(Map.of(
                "email", owner.email(), "password", "another long password of theirs", "lastName", "Squatterprobe"));
        Map<String, Object> newcomer = Fixtures.aRegistration();
        int accountsBefore = count("patient_accounts");

        Api.Response taken = api.post("/api/v1/patients", squatter, null);
        Api.Response fresh = api.post("/api/v1/patients", newcomer, null);

        assertThat(taken.status()).isEqualTo(fresh.status()).isEqualTo(202);
        assertThat(taken.raw()).isEqualTo(fresh.raw());
        assertThat(headerNames(taken)).isEqualTo(headerNames(fresh));
        assertThat(count("patient_accounts")).as("only the newcomer's account").isEqualTo(accountsBefore + 1);
        assertThat(api.post(
                                "/api/v1/auth/token",
                                Map.of("email", owner.email(), "password", squatter.get("password")),
                                null)
                        .status())
                .as("the squatter's password opens nothing")
                .isEqualTo(401);

        // The owner is told by e-mail (the first was their own address confirmation), without a link and
        // without anything the squatter typed.
        MimeMessage told = TestMailServer.awaitTo(owner.email(), 2).get(1);
        assertThat(told.getSubject()).contains("Quelqu’un a essayé de créer un compte avec votre adresse");
        assertThat(TestMailServer.text(told)).doesNotContain("http").doesNotContain("Squatterprobe");

        // Trying again the same day does not flood the owner's mailbox.
        api.post("/api/v1/patients", squatter, null);
        awaitNoOutstandingEvents();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM outbox_messages WHERE owner_id = ?")
                        .param(owner.account())
                        .query(Integer.class)
                        .single())
                .isEqualTo(2);
    }

    @Test
    void aNirClaimedTwiceIsAcceptedAndFlaggedOnTheEstablishmentsFilesNeverRefused() {
        Fixtures.Agenda agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        List<String> slots = Fixtures.freeSlotIdsFromTomorrow(api, agenda);
        Map<String, Object> first = Fixtures.aRegistration();
        first.put("nir", "253072B07300470");
        Fixtures.Patient holder = Fixtures.registered(api, first);
        Fixtures.book(api, holder, agenda, slots.get(0));
        assertThat(nirToCheck(agenda, holder.account())).isFalse();

        Map<String, Object> second = Fixtures.aRegistration();
        second.put("nir", "253072B07300470");
        Map<String, Object> withoutNir = Fixtures.aRegistration();
        Api.Response claimed = api.post("/api/v1/patients", second, null);
        assertThat(claimed.status()).isEqualTo(202);
        assertThat(claimed.raw())
                .as("the same answer as a registration without a NIR")
                .isEqualTo(api.post("/api/v1/patients", withoutNir, null).raw());

        String token = api.token((String) second.get("email"), (String) second.get("password"));
        Fixtures.confirmAddress(api, (String) second.get("email"), token);
        UUID claimant =
                UUID.fromString(api.get("/api/v1/me", token).body().get("id").asString());
        Fixtures.book(api, new Fixtures.Patient(claimant, (String) second.get("email"), token), agenda, slots.get(1));

        assertThat(nirToCheck(agenda, holder.account()))
                .as("the earlier file is flagged now")
                .isTrue();
        assertThat(nirToCheck(agenda, claimant)).as("and so is the new one").isTrue();
        // The practitioner sees it on the file.
        Professionals.Login doctor = new Professionals(logins, transactions)
                .practitioner(agenda.practitioner().id(), agenda.establishment().id());
        PageClient pages = new PageClient(port);
        pages.signIn(doctor.email(), doctor.password(), doctor.totpSecret());
        assertThat(pages.get("/agenda/patients/" + holder.account()).body()).contains("id=\"nir-to-check\"");
        Fixtures.Patient unrelated = Fixtures.aPatient(api);
        Fixtures.book(api, unrelated, agenda, slots.get(2));
        assertThat(pages.get("/agenda/patients/" + unrelated.account()).body()).doesNotContain("nir-to-check");
    }

    @Test
    void aNewAccountBooksOnlyOnceItsAddressIsConfirmedAndItsOwnInboxNeverHoldsTheCode() {
        Fixtures.Agenda agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        Map<String, Object> registration = Fixtures.aRegistration();
        String email = (String) registration.get("email");
        api.post("/api/v1/patients", registration, null);
        String token = api.token(email, (String) registration.get("password"));
        Map<String, String> booking = Map.of(
                "slotId", Fixtures.freeSlotIdsFromTomorrow(api, agenda).get(0),
                "motiveId", agenda.motive().id().toString());

        Api.Response refused = api.post("/api/v1/appointments", booking, token);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body().get("type").asString()).endsWith("/email-not-confirmed");

        String code = Fixtures.confirmationCode(email);
        UUID account =
                UUID.fromString(api.get("/api/v1/me", token).body().get("id").asString());
        Actor.Person owner = new Actor.Person(UUID.randomUUID(), Role.PATIENT, account, null);
        List<InboxMessage> messages = inbox.list(Recipient.patient(account), owner);
        assertThat(messages).extracting(InboxMessage::kind).containsExactly("address-confirmation-sent");
        assertThat(messages.get(0).params()).isEmpty();
        assertThat(jdbc.sql("SELECT COUNT(*) FROM event_publication WHERE serialized_event LIKE ?")
                        .param("%" + code + "%")
                        .query(Integer.class)
                        .single())
                .as("the code never travels in a stored event")
                .isZero();

        assertThat(api.post("/api/v1/me/email-confirmation", Map.of("code", wrong(code)), token)
                        .status())
                .isEqualTo(400);
        assertThat(api.post("/api/v1/appointments", booking, token).status()).isEqualTo(403);
        assertThat(api.post("/api/v1/me/email-confirmation", Map.of("code", code), token)
                        .status())
                .isEqualTo(204);
        assertThat(api.post("/api/v1/appointments", booking, token).status()).isEqualTo(201);
    }

    @Test
    void parallelGuessesShareTheFiveTriesOfACodeAndOnlyANewCodeConfirms() throws Exception {
        Map<String, Object> registration = Fixtures.aRegistration();
        String email = (String) registration.get("email");
        api.post("/api/v1/patients", registration, null);
        String token = api.token(email, (String) registration.get("password"));
        String code = Fixtures.confirmationCode(email);

        ExecutorService threads = Executors.newFixedThreadPool(10);
        List<Future<String>> guesses = new ArrayList<>();
        try {
            for (int i = 0; i < 30; i++) {
                guesses.add(threads.submit(
                        () -> api.post("/api/v1/me/email-confirmation", Map.of("code", wrong(code)), token)
                                .body()
                                .get("errors")
                                .get(0)
                                .get("message")
                                .asString()));
            }
            List<String> answers = new ArrayList<>();
            for (Future<String> guess : guesses) {
                answers.add(guess.get());
            }
            assertThat(answers)
                    .as("exactly five guesses were compared; the others found the code spent")
                    .filteredOn(answer -> answer.startsWith("is not the code"))
                    .hasSize(5);
        } finally {
            threads.shutdownNow();
        }
        assertThat(api.post("/api/v1/me/email-confirmation", Map.of("code", code), token)
                        .status())
                .as("the right code comes too late")
                .isEqualTo(400);

        assertThat(api.post("/api/v1/me/email-confirmation/code", Map.of(), token)
                        .status())
                .isEqualTo(202);
        TestMailServer.awaitTo(email, 2);
        String second = Fixtures.confirmationCode(email);
        assertThat(api.post("/api/v1/me/email-confirmation", Map.of("code", second), token)
                        .status())
                .isEqualTo(204);
    }

    @Test
    void noMoreThanFiveCodesADayReachTheAddress() {
        Map<String, Object> registration = Fixtures.aRegistration();
        String email = (String) registration.get("email");
        api.post("/api/v1/patients", registration, null);
        String token = api.token(email, (String) registration.get("password"));
        for (int i = 0; i < 6; i++) {
            assertThat(api.post("/api/v1/me/email-confirmation/code", Map.of(), token)
                            .status())
                    .isEqualTo(202);
        }
        UUID account =
                UUID.fromString(api.get("/api/v1/me", token).body().get("id").asString());
        awaitNoOutstandingEvents();
        await().atMost(Duration.ofSeconds(30)).until(() -> unsent(account) == 0);
        assertThat(TestMailServer.to(email))
                .as("one at registration and four more")
                .hasSize(5);
    }

    private static String wrong(String code) {
        return code.equals("000000") ? "999999" : "000000";
    }

    private boolean nirToCheck(Fixtures.Agenda agenda, UUID account) {
        return jdbc.sql("SELECT nir_to_check FROM patient_files WHERE establishment_id = ? AND id = ?")
                .params(
                        agenda.establishment().id(),
                        fileAccounts
                                .fileOf(agenda.establishment().id(), account)
                                .orElseThrow())
                .query(Boolean.class)
                .single();
    }

    private int count(String table) {
        return jdbc.sql("SELECT COUNT(*) FROM " + table).query(Integer.class).single();
    }

    private static List<String> headerNames(Api.Response response) {
        return response.headers().map().keySet().stream()
                .map(String::toLowerCase)
                .filter(name -> !name.equals("date"))
                .sorted()
                .toList();
    }

    private void awaitNoOutstandingEvents() {
        await().atMost(Duration.ofSeconds(30)).until(() -> count("event_publication") == 0);
    }

    private int unsent(UUID account) {
        return jdbc.sql("SELECT COUNT(*) FROM outbox_messages WHERE owner_id = ? AND state <> 'SENT'")
                .param(account)
                .query(Integer.class)
                .single();
    }
}
