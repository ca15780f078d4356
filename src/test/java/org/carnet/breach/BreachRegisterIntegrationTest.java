package org.carnet.breach;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.carnet.breach.internal.IncidentRecorder;
import org.carnet.breach.internal.RuleHit;
import org.carnet.identity.Logins;
import org.carnet.shared.Role;
import org.carnet.support.Api;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.PageClient;
import org.carnet.support.Professionals;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The breach register of Article 33(5): every incident with, per establishment, the decision about
 * notifying the CNIL (a reference when notified, none otherwise, nothing else accepted); closing an incident
 * takes it off the open list, keeps it in the register and makes its drafts complementary; the security
 * officer's only.
 */
@CarnetIntegrationTest
class BreachRegisterIntegrationTest {

    @Value("${local.server.port}")
    int port;

    @Autowired
    Logins logins;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    IncidentRecorder recorder;

    Api api() {
        return new Api(port);
    }

    record Opened(UUID incident, UUID first, UUID second) {}

    Opened anIncidentOverTwoEstablishments() {
        Professionals.Login suspect = new Professionals(logins, transactions).staff(Role.STAFF, UUID.randomUUID());
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        UUID incident = recorder.record(new RuleHit(
                Rule.DENIED_ACCESSES,
                "user:" + suspect.userId(),
                null,
                suspect.userId(),
                Set.of(first, second),
                Instant.now(),
                "20 accesses refused within PT10M"));
        return new Opened(incident, first, second);
    }

    String officer() {
        return api().token(new Professionals(logins, transactions).staff(Role.SECURITY_OFFICER, null));
    }

    JsonNode entryOf(String officer, UUID incident) {
        return api().get("/api/v1/security/breach-register", officer)
                .body()
                .valueStream()
                .filter(e -> e.get("incidentId").asString().equals(incident.toString()))
                .findFirst()
                .orElseThrow();
    }

    static Map<String, JsonNode> byEstablishment(JsonNode entry) {
        Map<String, JsonNode> decisions = new HashMap<>();
        entry.get("establishments")
                .valueStream()
                .forEach(d -> decisions.put(d.get("establishmentId").asString(), d));
        return decisions;
    }

    @Test
    void eachEstablishmentsDecisionIsKeptWithItsReferenceAndNothingElse() {
        Opened opened = anIncidentOverTwoEstablishments();
        String officer = officer();
        String path = "/api/v1/security/incidents/" + opened.incident() + "/notifications";
        assertThat(byEstablishment(entryOf(officer, opened.incident())).values())
                .allSatisfy(d -> assertThat(d.get("decision").asString()).isEqualTo("PENDING"));

        Api.Response notified = api().post(
                        path,
                        Map.of(
                                "establishment",
                                opened.first(),
                                "decision",
                                "NOTIFIED",
                                "reference",
                                "CNIL-2026-000123"),
                        officer);
        assertThat(notified.status()).as(notified.raw()).isEqualTo(200);
        Map<String, JsonNode> decisions = byEstablishment(entryOf(officer, opened.incident()));
        assertThat(decisions.get(opened.first().toString()).get("decision").asString())
                .isEqualTo("NOTIFIED");
        assertThat(decisions.get(opened.first().toString()).get("reference").asString())
                .isEqualTo("CNIL-2026-000123");
        assertThat(decisions.get(opened.first().toString()).get("late").asBoolean())
                .isFalse();
        assertThat(decisions.get(opened.second().toString()).get("decision").asString())
                .isEqualTo("PENDING");

        // No reference when notified, one when not required, free text, another establishment: refused.
        assertThat(api().post(path, Map.of("establishment", opened.second(), "decision", "NOTIFIED"), officer)
                        .status())
                .isEqualTo(400);
        assertThat(api().post(
                                path,
                                Map.of(
                                        "establishment",
                                        opened.second(),
                                        "decision",
                                        "NOT_REQUIRED",
                                        "reference",
                                        "CNIL-1"),
                                officer)
                        .status())
                .isEqualTo(400);
        assertThat(api().post(
                                path,
                                Map.of(
                                        "establishment",
                                        opened.second(),
                                        "decision",
                                        "NOTIFIED",
                                        "reference",
                                        "called the patient at home"),
                                officer)
                        .status())
                .isEqualTo(400);
        assertThat(api().post(path, Map.of("establishment", UUID.randomUUID(), "decision", "NOT_REQUIRED"), officer)
                        .status())
                .isEqualTo(404);
        assertThat(byEstablishment(entryOf(officer, opened.incident()))
                        .get(opened.second().toString())
                        .get("decision")
                        .asString())
                .isEqualTo("PENDING");

        assertThat(api().post(path, Map.of("establishment", opened.second(), "decision", "NOT_REQUIRED"), officer)
                        .status())
                .isEqualTo(200);
        assertThat(byEstablishment(entryOf(officer, opened.incident()))
                        .get(opened.second().toString())
                        .get("decision")
                        .asString())
                .isEqualTo("NOT_REQUIRED");
        JsonNode timeline = api().get("/api/v1/security/incidents/" + opened.incident(), officer)
                .body()
                .get("timeline");
        assertThat(timeline.valueStream()
                        .filter(t -> t.get("kind").asString().equals("NOTIFICATION"))
                        .map(t -> t.get("code").asString()))
                .containsExactly("article-33-notified", "article-33-not-required");
    }

    @Test
    void aClosedIncidentLeavesTheOpenListStaysInTheRegisterAndItsDraftsBecomeComplementary() {
        Opened opened = anIncidentOverTwoEstablishments();
        String officer = officer();
        String close = "/api/v1/security/incidents/" + opened.incident() + "/close";

        Api.Response closed = api().post(close, Map.of(), officer);
        assertThat(closed.status()).as(closed.raw()).isEqualTo(200);
        assertThat(closed.body().get("status").asString()).isEqualTo("CLOSED");
        assertThat(closed.body().get("closedAt").isNull()).isFalse();
        assertThat(api().post(close, Map.of(), officer).status()).isEqualTo(409);

        assertThat(api().get("/api/v1/security/incidents?open=true", officer)
                        .body()
                        .valueStream()
                        .map(i -> i.get("id").asString()))
                .doesNotContain(opened.incident().toString());
        assertThat(entryOf(officer, opened.incident()).get("status").asString()).isEqualTo("CLOSED");
        assertThat(api().get(
                                "/api/v1/security/incidents/" + opened.incident() + "/article-33?establishment="
                                        + opened.first(),
                                officer)
                        .body()
                        .get("phase")
                        .asString())
                .isEqualTo("complémentaire");
    }

    @Test
    void onlyTheSecurityOfficerReadsTheRegisterOrDecides() {
        Opened opened = anIncidentOverTwoEstablishments();
        String admin =
                api().token(new Professionals(logins, transactions).staff(Role.ESTABLISHMENT_ADMIN, opened.first()));
        assertThat(api().get("/api/v1/security/breach-register", admin).status())
                .isEqualTo(403);
        assertThat(api().post(
                                "/api/v1/security/incidents/" + opened.incident() + "/notifications",
                                Map.of("establishment", opened.first(), "decision", "NOT_REQUIRED"),
                                admin)
                        .status())
                .isEqualTo(403);
        assertThat(api().post("/api/v1/security/incidents/" + opened.incident() + "/close", Map.of(), admin)
                        .status())
                .isEqualTo(403);
        assertThat(api().get("/api/v1/security/breach-register", null).status()).isEqualTo(401);
    }

    @Test
    void theConsolesFormRecordsADecisionPerEstablishmentAndExplainsWhatIsWrong() {
        Opened opened = anIncidentOverTwoEstablishments();
        Professionals.Login officer = new Professionals(logins, transactions).staff(Role.SECURITY_OFFICER, null);
        String officerToken = api().token(officer);
        PageClient pages = new PageClient(port);
        pages.signIn(officer.email(), officer.password(), officer.totpSecret());
        String form = "/security/incidents/" + opened.incident() + "/notifications";
        PageClient.Page console = pages.get("/security/incidents?lang=fr");
        assertThat(console.body()).contains("id=\"decision-" + opened.incident() + "-" + opened.first() + "\"");

        // Without the form's CSRF token: refused, nothing recorded.
        assertThat(pages.postWithoutCsrf(
                                form, Map.of("establishment", opened.first().toString(), "decision", "NOT_REQUIRED"))
                        .status())
                .isEqualTo(403);
        // Notified without the CNIL's reference, a reference when not required, no choice: said beside the form.
        pages.get("/security/incidents?lang=fr");
        assertThat(pages.post(form, Map.of("establishment", opened.first().toString(), "decision", "NOTIFIED"))
                        .status())
                .isEqualTo(302);
        assertThat(pages.get("/security/incidents").body()).contains("Donnez la référence de l’accusé de réception");
        pages.post(
                form,
                Map.of("establishment", opened.first().toString(), "decision", "NOT_REQUIRED", "reference", "CNIL-1"));
        assertThat(pages.get("/security/incidents?lang=en").body())
                .contains("Give a reference only when the CNIL was notified.");
        pages.post(form, Map.of("establishment", opened.first().toString(), "reference", ""));
        assertThat(pages.get("/security/incidents?lang=en").body())
                .contains("Choose: the CNIL was notified, or notification is not required.");
        assertThat(byEstablishment(entryOf(officerToken, opened.incident())).values())
                .allSatisfy(d -> assertThat(d.get("decision").asString()).isEqualTo("PENDING"));

        pages.post(
                form,
                Map.of(
                        "establishment",
                        opened.first().toString(),
                        "decision",
                        "NOTIFIED",
                        "reference",
                        "CNIL-2026-000777"));
        assertThat(pages.get("/security/incidents?lang=fr").body()).contains("Décision enregistrée : CNIL notifiée.");
        pages.post(form, Map.of("establishment", opened.second().toString(), "decision", "NOT_REQUIRED"));
        Map<String, JsonNode> decisions = byEstablishment(entryOf(officerToken, opened.incident()));
        assertThat(decisions.get(opened.first().toString()).get("decision").asString())
                .isEqualTo("NOTIFIED");
        assertThat(decisions.get(opened.first().toString()).get("reference").asString())
                .isEqualTo("CNIL-2026-000777");
        assertThat(decisions.get(opened.second().toString()).get("decision").asString())
                .isEqualTo("NOT_REQUIRED");
        // On the timeline with the officer, as through the API.
        assertThat(api().get("/api/v1/security/incidents/" + opened.incident(), officerToken)
                        .body()
                        .get("timeline")
                        .valueStream()
                        .filter(t -> t.get("kind").asString().equals("NOTIFICATION"))
                        .map(t -> t.get("by").asString()))
                .containsExactly(officer.userId().toString(), officer.userId().toString());
    }

    @Test
    void anAdministratorsPageSessionCannotRecordADecision() {
        Opened opened = anIncidentOverTwoEstablishments();
        Professionals.Login admin =
                new Professionals(logins, transactions).staff(Role.ESTABLISHMENT_ADMIN, opened.first());
        PageClient pages = new PageClient(port);
        pages.signIn(admin.email(), admin.password(), admin.totpSecret());
        pages.get("/account/security");
        assertThat(pages.post(
                                "/security/incidents/" + opened.incident() + "/notifications",
                                Map.of("establishment", opened.first().toString(), "decision", "NOT_REQUIRED"))
                        .status())
                .isEqualTo(403);
        assertThat(byEstablishment(entryOf(officer(), opened.incident())).values())
                .allSatisfy(d -> assertThat(d.get("decision").asString()).isEqualTo("PENDING"));
    }
}
