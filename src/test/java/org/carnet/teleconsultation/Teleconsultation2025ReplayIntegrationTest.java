package org.carnet.teleconsultation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.jwk.OctetSequenceKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.carnet.directory.Directory;
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
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The November 2025 incident replayed end to end through HTTP (issue 17, item 7): a practitioner's session
 * (their API token and their page cookie) is stolen, and the thief reads, patient after patient, the
 * questionnaire answers and the written exchanges of their teleconsultations through the API, and for half
 * of them the appointment's page, which shows the patient's name in clear. The rules detect it; the security
 * officer ends the account's sessions, and both stolen credentials stop working; the exact scope says that
 * the answers and messages left as end-to-end ciphertext (no Article 34 duty for them) and the names in
 * clear (duty for those patients only); the Article 33 draft is there within minutes of detection.
 *
 * <p>The distinct-patients floor is lowered to 10 so that a dozen patients stand for the 285,000 of 2025;
 * the night and sequence rules are set out of reach so that the hour the test runs at changes nothing.
 */
@CarnetIntegrationTest
@TestPropertySource(
        properties = {
            "carnet.breach.enabled=true",
            "carnet.breach.person-floor=10",
            "carnet.breach.night-floor=1000000",
            "carnet.breach.sequence-run=1000000"
        })
@DirtiesContext // detection on, and its professional logins must not reach tests that count the demo ones
class Teleconsultation2025ReplayIntegrationTest {

    private static final String BASE = ConsultationParties.BASE;
    /** Patients whose answers and messages the thief reads: more than the floor of 10. */
    private static final int PATIENTS = 12;
    /** Of them, those whose appointment page (their name in clear) the thief also opens. */
    private static final int NAMED = 6;

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

    record Booked(UUID patient, UUID appointment) {}

    @Test
    void aStolenSessionReadingTeleconsultationsInBulkIsDetectedContainedScopedAndDrafted() {
        Api api = new Api(port);
        Professionals professionals = new Professionals(logins, transactions);
        Fixtures.Agenda agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        UUID establishment = agenda.establishment().id();
        Professionals.Login practitioner =
                professionals.practitioner(agenda.practitioner().id(), establishment);
        String officerToken = api.token(professionals.staff(Role.SECURITY_OFFICER, null));
        List<Booked> booked = teleconsultationsWithAnswersAndAMessage(api, professionals, agenda, practitioner);

        // The practitioner signs in, on the API and on the pages; the thief copies both.
        String stolenToken = api.token(practitioner);
        PageClient practitionersBrowser = new PageClient(port);
        practitionersBrowser.signIn(practitioner.email(), practitioner.password(), practitioner.totpSecret());
        PageClient thiefsBrowser = new PageClient(port);
        thiefsBrowser.useSessionCookie(practitionersBrowser.sessionCookie());

        for (int i = 0; i < PATIENTS; i++) {
            UUID appointment = booked.get(i).appointment();
            Api.Response answers = api.get(BASE + "/" + appointment + "/answers", stolenToken);
            assertThat(answers.status()).as(answers.raw()).isEqualTo(200);
            assertThat(answers.raw()).as("ciphertext only").doesNotContain("symptoms");
            assertThat(api.get(BASE + "/" + appointment + "/messages", stolenToken)
                            .status())
                    .isEqualTo(200);
            if (i < NAMED) {
                assertThat(thiefsBrowser
                                .get("/agenda/appointments/" + appointment)
                                .status())
                        .isEqualTo(200);
            }
        }

        // Detected by the rules, as an incident about the practitioner's login.
        JsonNode incident = await().atMost(Duration.ofSeconds(30))
                .until(() -> incidentAbout(api, officerToken, practitioner.userId()), i -> i != null);
        Instant detected = Instant.now();
        assertThat(incident.get("rules").valueStream().map(JsonNode::asString)).contains("distinct-patients");
        assertThat(incident.get("severity").asString()).isEqualTo("HIGH");
        assertThat(incident.get("establishments").valueStream().map(JsonNode::asString))
                .containsExactly(establishment.toString());
        String id = incident.get("id").asString();

        // Contained: every session of the account ends; both stolen credentials stop working.
        Api.Response contained = api.post(
                "/api/v1/security/incidents/" + id + "/containment", Map.of("action", "end-sessions"), officerToken);
        assertThat(contained.status()).as(contained.raw()).isEqualTo(200);
        assertThat(contained.body().get("timeline").valueStream())
                .anyMatch(t -> t.get("kind").asString().equals("CONTAINMENT")
                        && t.get("code").asString().equals("end-sessions"));
        assertThat(api.get(BASE + "/" + booked.get(0).appointment() + "/answers", stolenToken)
                        .status())
                .as("the stolen token")
                .isEqualTo(401);
        PageClient.Page page =
                thiefsBrowser.get("/agenda/appointments/" + booked.get(0).appointment());
        assertThat(page.status()).as("the stolen page session").isEqualTo(302);
        assertThat(page.location()).contains("/login");

        // The exact scope: every patient read, the ciphertext told apart from what was served in clear.
        JsonNode scope = api.get("/api/v1/security/incidents/" + id + "/scope", officerToken)
                .body();
        assertThat(scope.get("verification").get("intact").asBoolean()).isTrue();
        JsonNode part = scope.get("establishments").get(0);
        assertThat(part.get("patients").asInt()).isEqualTo(PATIENTS);
        assertThat(part.get("patientsWithIntelligibleData").asInt()).isEqualTo(NAMED);
        assertThat(part.get("patientsCiphertextOrPseudonymOnly").asInt()).isEqualTo(PATIENTS - NAMED);
        Set<UUID> named = new HashSet<>();
        booked.subList(0, NAMED).forEach(b -> named.add(b.patient()));
        Set<UUID> reached = new HashSet<>();
        for (JsonNode patient : scope.get("patients")) {
            UUID patientId = UUID.fromString(patient.get("patientId").asString());
            reached.add(patientId);
            Map<String, Boolean> fields = new java.util.HashMap<>();
            patient.get("fields")
                    .forEach(f -> fields.put(
                            f.get("field").asString(), f.get("intelligible").asBoolean()));
            assertThat(fields)
                    .as("the medical content left as end-to-end ciphertext")
                    .containsEntry("questionnaire_answers", false)
                    .containsEntry("consultation_message", false);
            if (named.contains(patientId)) {
                assertThat(fields)
                        .as("the identity was served in clear")
                        .containsEntry("first_name", true)
                        .containsEntry("last_name", true);
                assertThat(patient.get("exposure").asString()).isEqualTo("INTELLIGIBLE");
            } else {
                assertThat(fields).doesNotContainKey("first_name");
                assertThat(patient.get("exposure").asString()).isEqualTo("UNINTELLIGIBLE");
            }
        }
        assertThat(reached)
                .containsExactlyInAnyOrderElementsOf(
                        booked.stream().map(Booked::patient).toList());

        // The Article 33 draft is there within minutes of detection, with the same numbers.
        Api.Response draft = api.get(
                "/api/v1/security/incidents/" + id + "/article-33?establishment=" + establishment, officerToken);
        assertThat(draft.status()).isEqualTo(200);
        assertThat(Duration.between(detected, Instant.now())).isLessThan(Duration.ofMinutes(5));
        assertThat(Duration.between(
                        Instant.parse(draft.body().get("awareAt").asString()),
                        Instant.parse(draft.body().get("generatedAt").asString())))
                .isLessThan(Duration.ofMinutes(5));
        assertThat(draft.body().get("approximatePeople").asInt()).isEqualTo(PATIENTS);
        assertThat(draft.body().get("peopleToTell").asInt()).isEqualTo(NAMED);
        assertThat(draft.body().get("measuresTaken").get(0).asString())
                .contains("fin de toutes les sessions et de tous les jetons d'accès du compte");

        // Article 34: only the patients whose name left in clear are told.
        Api.Response told = api.post(
                "/api/v1/security/incidents/" + id + "/article-34?establishment=" + establishment,
                Map.of(),
                officerToken);
        assertThat(told.status()).isEqualTo(202);
        assertThat(told.body().get("patients").asInt()).isEqualTo(NAMED);
        assertThat(told.body().get("exempt").asInt()).isEqualTo(PATIENTS - NAMED);
    }

    /**
     * Patients who booked a teleconsultation, set up its key (wrapped to themselves, the practitioner and the
     * establishment), and sent their answers and a message, all sealed on their side.
     */
    private List<Booked> teleconsultationsWithAnswersAndAMessage(
            Api api, Professionals professionals, Fixtures.Agenda agenda, Professionals.Login practitioner) {
        // The practitioner's and establishment's clients publish their keys: no patient's data is read.
        String setUpToken = api.token(practitioner);
        assertThat(api.post(BASE + "/keys/me", JoseClient.Keys.generate().publication(), setUpToken)
                        .status())
                .isEqualTo(200);
        String adminToken = api.token(professionals.staff(
                Role.ESTABLISHMENT_ADMIN, agenda.establishment().id()));
        assertThat(api.post(
                                BASE + "/keys/establishment",
                                JoseClient.Keys.generate().publication(),
                                adminToken)
                        .status())
                .isEqualTo(200);
        // The practitioner's pre-consultation form, attached to their teleconsultation motive.
        Api.Response form = api.post(
                BASE + "/questionnaires",
                Map.of(
                        "title",
                        "Avant la téléconsultation",
                        "questions",
                        List.of(Map.of(
                                "id", "symptoms", "type", "FREE_TEXT", "label", "Vos symptômes", "required", true))),
                setUpToken);
        assertThat(form.status()).as(form.raw()).isEqualTo(201);
        String formId = form.body().get("id").asString();
        assertThat(api.post(
                                BASE + "/questionnaires/" + formId + "/motives/"
                                        + agenda.motive().id(),
                                Map.of(),
                                setUpToken)
                        .status())
                .isEqualTo(204);
        List<String> slots = Fixtures.freeSlotIdsFromTomorrow(api, agenda);
        List<Booked> booked = new ArrayList<>();
        for (int i = 0; i < PATIENTS; i++) {
            Fixtures.Patient patient = Fixtures.aPatient(api);
            assertThat(api.post(BASE + "/keys/me", JoseClient.Keys.generate().publication(), patient.token())
                            .status())
                    .isEqualTo(200);
            UUID appointment = Fixtures.book(api, patient, agenda, slots.get(i));
            OctetSequenceKey key = setUpKey(api, patient, agenda, appointment);
            UUID item = UUID.randomUUID();
            String answers = "{\"v\":1,\"forms\":[{\"questionnaire\":\"" + formId
                    + "\",\"answers\":{\"symptoms\":\"synthetic " + i + "\"}}]}";
            Api.Response sent = api.post(
                    BASE + "/" + appointment + "/answers",
                    Map.of("itemId", item, "envelope", JoseClient.seal(key, appointment, item, answers)),
                    patient.token());
            assertThat(sent.status()).as(sent.raw()).isEqualTo(201);
            JoseClient.postMessage(api, key, appointment, "synthetic", patient.token());
            booked.add(new Booked(patient.account(), appointment));
        }
        return booked;
    }

    /** The patient's client makes the consultation key and wraps it to the three current keys. */
    private static OctetSequenceKey setUpKey(
            Api api, Fixtures.Patient patient, Fixtures.Agenda agenda, UUID appointment) {
        OctetSequenceKey key = JoseClient.newConsultationKey(appointment);
        Map<String, Object> wraps = Map.of(
                "patient",
                wrap(api, patient, key, appointment, "patient", patient.account()),
                "practitioner",
                wrap(
                        api,
                        patient,
                        key,
                        appointment,
                        "practitioner",
                        agenda.practitioner().id()),
                "establishment",
                wrap(
                        api,
                        patient,
                        key,
                        appointment,
                        "establishment",
                        agenda.establishment().id()));
        Api.Response stored = api.post(BASE + "/" + appointment + "/keys", wraps, patient.token());
        assertThat(stored.status()).as(stored.raw()).isEqualTo(201);
        return key;
    }

    private static Map<String, Object> wrap(
            Api api, Fixtures.Patient patient, OctetSequenceKey key, UUID appointment, String kind, UUID subject) {
        JsonNode entry =
                api.get(BASE + "/keys/" + kind + "/" + subject, patient.token()).body();
        return JoseClient.wrap(
                key,
                appointment,
                kind + ":" + subject,
                entry.get("encryptionJwk").asString());
    }

    private static JsonNode incidentAbout(Api api, String officerToken, UUID login) {
        return api.get("/api/v1/security/incidents?open=true", officerToken)
                .body()
                .valueStream()
                .filter(i -> i.get("userId") != null
                        && !i.get("userId").isNull()
                        && i.get("userId").asString().equals(login.toString()))
                .findFirst()
                .orElse(null);
    }
}
