package org.carnet.breach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.mail.internet.MimeMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.carnet.audit.AccessEvent;
import org.carnet.audit.AuditChains;
import org.carnet.audit.AuditLog;
import org.carnet.breach.internal.IncidentRecorder;
import org.carnet.breach.internal.RuleHit;
import org.carnet.directory.Directory;
import org.carnet.identity.Logins;
import org.carnet.notifications.Inbox;
import org.carnet.notifications.InboxMessage;
import org.carnet.notifications.Recipient;
import org.carnet.scheduling.Agendas;
import org.carnet.shared.Action;
import org.carnet.shared.Actor;
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
import org.carnet.support.TestDatabase;
import org.carnet.support.TestMailServer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The 2025 replay in small: a stolen practitioner session reads identities, questionnaire answers (end-to-end
 * ciphertext) and agendas. The incident's scope names exactly the patients and fields the access log holds
 * for it, decides Article 34 per patient, rests on the verified chain and says when it cannot; the Article
 * 33 draft carries the same numbers, as JSON and as PDF; and nobody but the security officer gets them.
 */
@CarnetIntegrationTest
class IncidentScopeIntegrationTest {

    @Value("${local.server.port}")
    int port;

    @Autowired
    Logins logins;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    AuditLog auditLog;

    @Autowired
    AuditChains chains;

    @Autowired
    IncidentRecorder recorder;

    @Autowired
    Directory directory;

    @Autowired
    Agendas agendas;

    @Autowired
    Environment environment;

    @Autowired
    Inbox inbox;

    Api api() {
        return new Api(port);
    }

    /** The thief's reads, and what must stay out of the scope, in the access log. */
    record Stolen(UUID establishment, UUID thief, UUID named, UUID ciphertextOnly, UUID agendaOnly) {}

    Stolen aStolenSessionAtWork() {
        return aStolenSessionAtWork(UUID.randomUUID(), UUID.randomUUID());
    }

    Stolen aStolenSessionAtWork(UUID named, UUID ciphertextOnly) {
        Fixtures.Agenda agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        UUID establishment = agenda.establishment().id();
        Professionals.Login login = new Professionals(logins, transactions)
                .practitioner(agenda.practitioner().id(), establishment);
        Actor.Person thief = new Actor.Person(
                login.userId(), Role.PRACTITIONER, agenda.practitioner().id(), EstablishmentId.of(establishment));
        Actor.Person colleague = new Actor.Person(
                UUID.randomUUID(), Role.PRACTITIONER, UUID.randomUUID(), EstablishmentId.of(establishment));
        UUID agendaOnly = UUID.randomUUID();
        UUID refused = UUID.randomUUID();
        UUID elsewhere = UUID.randomUUID();
        transactions.executeWithoutResult(status -> {
            read(thief, named, establishment, List.of(Field.FIRST_NAME, Field.LAST_NAME), AccessEvent.Outcome.ALLOWED);
            read(thief, named, establishment, List.of(Field.QUESTIONNAIRE_ANSWERS), AccessEvent.Outcome.ALLOWED);
            read(
                    thief,
                    ciphertextOnly,
                    establishment,
                    List.of(Field.QUESTIONNAIRE_ANSWERS),
                    AccessEvent.Outcome.ALLOWED);
            read(thief, ciphertextOnly, establishment, List.of(Field.CONSULTATION_KEY), AccessEvent.Outcome.ALLOWED);
            read(thief, agendaOnly, establishment, List.of(Field.SLOT, Field.STATUS), AccessEvent.Outcome.ALLOWED);
            // Not in the scope: a refusal, another establishment's file, a colleague's honest work.
            read(thief, refused, establishment, List.of(Field.NIR), AccessEvent.Outcome.DENIED);
            read(thief, elsewhere, UUID.randomUUID(), List.of(Field.PHONE), AccessEvent.Outcome.ALLOWED);
            read(colleague, refused, establishment, List.of(Field.MOTIVE), AccessEvent.Outcome.ALLOWED);
        });
        chains.sealPending();
        return new Stolen(establishment, thief.userId(), named, ciphertextOnly, agendaOnly);
    }

    void read(Actor.Person actor, UUID patient, UUID establishment, List<Field> fields, AccessEvent.Outcome outcome) {
        auditLog.record(new AccessEvent(
                actor,
                null,
                PatientRef.account(patient),
                EstablishmentId.of(establishment),
                Action.READ,
                Resource.APPOINTMENT,
                fields,
                Purpose.CARE,
                outcome));
    }

    UUID anIncidentAbout(Stolen stolen) {
        return recorder.record(new RuleHit(
                Rule.DISTINCT_PATIENTS,
                "user:" + stolen.thief(),
                null,
                stolen.thief(),
                Set.of(stolen.establishment()),
                Instant.now(),
                "a burst of reads"));
    }

    String officer() {
        return api().token(new Professionals(logins, transactions).staff(Role.SECURITY_OFFICER, null));
    }

    @Test
    void theScopeNamesExactlyWhatTheLogHoldsAndDecidesArticle34PerPatient() {
        Stolen stolen = aStolenSessionAtWork();
        UUID incident = anIncidentAbout(stolen);
        String officer = officer();

        Api.Response answer = api().get("/api/v1/security/incidents/" + incident + "/scope", officer);
        assertThat(answer.status()).as(answer.raw()).isEqualTo(200);
        JsonNode scope = answer.body();
        assertThat(scope.get("verification").get("intact").asBoolean()).isTrue();
        assertThat(scope.get("verification").get("chains").asInt()).isEqualTo(1);
        JsonNode part = scope.get("establishments").get(0);
        assertThat(part.get("establishmentId").asString())
                .isEqualTo(stolen.establishment().toString());
        assertThat(part.get("patients").asInt()).isEqualTo(3);
        assertThat(part.get("records").asInt()).isEqualTo(5);
        assertThat(part.get("patientsWithIntelligibleData").asInt()).isEqualTo(1);
        assertThat(part.get("patientsCiphertextOrPseudonymOnly").asInt()).isEqualTo(2);
        assertThat(part.get("unverifiedEntries").asInt()).isZero();
        assertThat(part.get("categories").valueStream().map(JsonNode::asString))
                .containsExactlyInAnyOrder("IDENTITY", "MEDICAL", "AGENDA");

        Map<String, JsonNode> patients = new java.util.HashMap<>();
        scope.get("patients")
                .valueStream()
                .forEach(p -> patients.put(p.get("patientId").asString(), p));
        assertThat(patients.keySet())
                .containsExactlyInAnyOrder(
                        stolen.named().toString(),
                        stolen.ciphertextOnly().toString(),
                        stolen.agendaOnly().toString());
        assertThat(patients.get(stolen.named().toString()).get("exposure").asString())
                .isEqualTo("INTELLIGIBLE");
        assertThat(patients.get(stolen.ciphertextOnly().toString())
                        .get("exposure")
                        .asString())
                .isEqualTo("UNINTELLIGIBLE");
        assertThat(patients.get(stolen.agendaOnly().toString()).get("exposure").asString())
                .isEqualTo("UNINTELLIGIBLE");
        Map<String, Boolean> namedFields = new java.util.HashMap<>();
        patients.get(stolen.named().toString())
                .get("fields")
                .valueStream()
                .forEach(f -> namedFields.put(
                        f.get("field").asString(), f.get("intelligible").asBoolean()));
        assertThat(namedFields)
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("first_name", true, "last_name", true, "questionnaire_answers", false));

        // A window that ends before the reads holds none of them.
        Api.Response before = api().get(
                        "/api/v1/security/incidents/" + incident + "/scope?from="
                                + Instant.now().minus(Duration.ofDays(2)) + "&to="
                                + Instant.now().minus(Duration.ofDays(1)),
                        officer);
        assertThat(before.body().get("establishments").get(0).get("patients").asInt())
                .isZero();
        assertThat(api().get(
                                "/api/v1/security/incidents/" + incident + "/scope?from=" + Instant.now() + "&to="
                                        + Instant.now().minus(Duration.ofHours(1)),
                                officer)
                        .status())
                .isEqualTo(400);
    }

    @Test
    void aScopeOverAChainThatNoLongerVerifiesSaysSo() {
        Stolen stolen = aStolenSessionAtWork();
        UUID incident = anIncidentAbout(stolen);
        String officer = officer();
        JdbcClient owner = TestDatabase.owner(environment);
        long id = owner.sql("SELECT min(id) FROM audit_log WHERE establishment_id = ?")
                .param(stolen.establishment())
                .query(Long.class)
                .single();
        String purpose = owner.sql("SELECT purpose FROM audit_log WHERE id = ?")
                .param(id)
                .query(String.class)
                .single();
        owner.sql("UPDATE audit_log SET purpose = 'research' WHERE id = ?")
                .param(id)
                .update();
        try {
            JsonNode scope = api().get("/api/v1/security/incidents/" + incident + "/scope", officer)
                    .body();
            assertThat(scope.get("verification").get("intact").asBoolean()).isFalse();
            assertThat(scope.get("verification")
                            .get("brokenChains")
                            .valueStream()
                            .map(JsonNode::asString))
                    .containsExactly(stolen.establishment().toString());
            assertThat(scope.get("establishments")
                            .get(0)
                            .get("unverifiedEntries")
                            .asInt())
                    .isEqualTo(5);
            JsonNode draft = api().get(
                            "/api/v1/security/incidents/" + incident + "/article-33?establishment="
                                    + stolen.establishment(),
                            officer)
                    .body();
            assertThat(draft.get("scopeStatement").asString()).contains("ATTENTION");
        } finally {
            owner.sql("UPDATE audit_log SET purpose = ? WHERE id = ?")
                    .param(purpose)
                    .param(id)
                    .update();
        }
        JsonNode again = api().get("/api/v1/security/incidents/" + incident + "/scope", officer)
                .body();
        assertThat(again.get("verification").get("intact").asBoolean()).isTrue();
    }

    @Test
    void theArticle33DraftCarriesTheScopeAsJsonAndPdfAndNamesNoPatient() throws Exception {
        Stolen stolen = aStolenSessionAtWork();
        UUID incident = anIncidentAbout(stolen);
        String officer = officer();
        Api.Response ended = api().post(
                        "/api/v1/security/incidents/" + incident + "/containment",
                        Map.of("action", "end-sessions"),
                        officer);
        assertThat(ended.status()).as(ended.raw()).isEqualTo(200);
        String path = "/api/v1/security/incidents/" + incident + "/article-33?establishment=" + stolen.establishment();

        Api.Response answer = api().get(path, officer);
        assertThat(answer.status()).as(answer.raw()).isEqualTo(200);
        JsonNode draft = answer.body();
        assertThat(draft.get("phase").asString()).isEqualTo("initiale");
        assertThat(draft.get("approximatePeople").asInt()).isEqualTo(3);
        assertThat(draft.get("approximateRecords").asInt()).isEqualTo(5);
        assertThat(draft.get("peopleToTell").asInt()).isEqualTo(1);
        assertThat(draft.get("nature").asString()).contains("très supérieur à l'activité habituelle");
        assertThat(draft.get("measuresTaken").valueStream().map(JsonNode::asString))
                .anySatisfy(m -> assertThat(m).contains("fin de toutes les sessions"));
        assertThat(Instant.parse(draft.get("notifyBy").asString()))
                .isEqualTo(Instant.parse(draft.get("awareAt").asString()).plus(Duration.ofHours(72)));
        assertThat(answer.raw())
                .doesNotContain(stolen.named().toString())
                .doesNotContain(stolen.ciphertextOnly().toString());

        java.net.http.HttpResponse<byte[]> pdf = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                                        "http://127.0.0.1:" + port + path.replace("article-33?", "article-33.pdf?")))
                                .header("Authorization", "Bearer " + officer)
                                .header("Accept", "application/pdf")
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(pdf.statusCode()).isEqualTo(200);
        assertThat(pdf.headers().firstValue("Content-Type")).hasValue("application/pdf");
        try (PDDocument document = Loader.loadPDF(pdf.body())) {
            String text = new PDFTextStripper().getText(document).replaceAll("\\s+", " ");
            assertThat(text)
                    .contains("Projet de notification")
                    .contains("Nombre approximatif de personnes concernées : 3")
                    .contains("fin de toutes les sessions");
        }

        // Another establishment is not this incident's: nothing to draft for it.
        assertThat(api().get(
                                "/api/v1/security/incidents/" + incident + "/article-33?establishment="
                                        + UUID.randomUUID(),
                                officer)
                        .status())
                .isEqualTo(404);
    }

    @Test
    void onlyTheSecurityOfficerGetsAScopeOrADraftAndTheirReadingIsLogged() {
        Stolen stolen = aStolenSessionAtWork();
        UUID incident = anIncidentAbout(stolen);
        String admin = api().token(new Professionals(logins, transactions)
                .staff(Role.ESTABLISHMENT_ADMIN, stolen.establishment()));
        assertThat(api().get("/api/v1/security/incidents/" + incident + "/scope", admin)
                        .status())
                .isEqualTo(403);
        assertThat(api().get(
                                "/api/v1/security/incidents/" + incident + "/article-33?establishment="
                                        + stolen.establishment(),
                                admin)
                        .status())
                .isEqualTo(403);
        assertThat(api().get("/api/v1/security/incidents/" + incident + "/scope", null)
                        .status())
                .isEqualTo(401);

        long before = investigations(stolen.establishment());
        assertThat(api().get("/api/v1/security/incidents/" + incident + "/scope", officer())
                        .status())
                .isEqualTo(200);
        assertThat(investigations(stolen.establishment())).isEqualTo(before + 1);
    }

    long investigations(UUID establishment) {
        return TestDatabase.owner(environment)
                .sql("SELECT count(*) FROM audit_log WHERE establishment_id = ? AND purpose = 'investigation'")
                .param(establishment)
                .query(Long.class)
                .single();
    }

    @Test
    void theExposedPatientsAreToldOnceInTheirWordsAndTheOthersAreNot() {
        Fixtures.Patient named = Fixtures.aPatient(api());
        Fixtures.Patient ciphertextOnly = Fixtures.aPatient(api());
        Stolen stolen = aStolenSessionAtWork(named.account(), ciphertextOnly.account());
        UUID incident = anIncidentAbout(stolen);
        String officer = officer();
        String path = "/api/v1/security/incidents/" + incident + "/article-34?establishment=" + stolen.establishment();

        Api.Response decided = api().post(path, Map.of(), officer);
        assertThat(decided.status()).as(decided.raw()).isEqualTo(202);
        assertThat(decided.body().get("patients").asInt()).isEqualTo(1);
        assertThat(decided.body().get("exempt").asInt()).isEqualTo(2);
        assertThat(api().post(path, Map.of(), officer).status()).isEqualTo(202);

        Actor.Person reader = new Actor.Person(UUID.randomUUID(), Role.PATIENT, named.account(), null);
        List<InboxMessage> told = await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> inbox.list(Recipient.patient(named.account()), reader).stream()
                                .filter(m -> m.kind().equals("breach-exposure"))
                                .toList(),
                        messages -> !messages.isEmpty());
        List<MimeMessage> mails = await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> TestMailServer.to(named.email()).stream()
                                .filter(m -> subject(m).contains("Information importante sur vos données"))
                                .toList(),
                        found -> !found.isEmpty());
        String mail = TestMailServer.text(mails.get(0));
        assertThat(mail)
                .contains("prénom, nom")
                .contains(told.get(0).verificationCode())
                .doesNotContain("http");
        // The second decision told nobody twice; the patient of whom only ciphertext left was not told.
        await().atMost(Duration.ofSeconds(30))
                .until(() -> TestDatabase.owner(environment)
                                .sql("SELECT COUNT(*) FROM event_publication WHERE listener_id ="
                                        + " 'notifications.patients-to-be-told' AND completion_date IS NULL")
                                .query(Long.class)
                                .single()
                        == 0);
        assertThat(inbox.list(Recipient.patient(named.account()), reader))
                .filteredOn(m -> m.kind().equals("breach-exposure"))
                .hasSize(1);
        Actor.Person other = new Actor.Person(UUID.randomUUID(), Role.PATIENT, ciphertextOnly.account(), null);
        assertThat(inbox.list(Recipient.patient(ciphertextOnly.account()), other))
                .filteredOn(m -> m.kind().equals("breach-exposure"))
                .isEmpty();
        JsonNode timeline = api().get("/api/v1/security/incidents/" + incident, officer)
                .body()
                .get("timeline");
        assertThat(timeline.valueStream().filter(t -> t.get("kind").asString().equals("NOTIFICATION")))
                .hasSize(2);
    }

    static String subject(MimeMessage message) {
        try {
            return String.valueOf(message.getSubject());
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}
