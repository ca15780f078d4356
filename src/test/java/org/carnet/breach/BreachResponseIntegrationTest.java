package org.carnet.breach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.carnet.audit.AuditBreak;
import org.carnet.audit.AuditVerificationFailed;
import org.carnet.breach.internal.IncidentRecorder;
import org.carnet.breach.internal.RuleHit;
import org.carnet.identity.Logins;
import org.carnet.identity.SignInFailed;
import org.carnet.shared.Role;
import org.carnet.support.Api;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Professionals;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Breach detection end to end: failed sign-ins in a burst open incidents (from one source, across the
 * platform), a failed verification of the access log opens one, the security officer's containment
 * actions take effect at once, and nobody else reads or acts on incidents.
 */
@CarnetIntegrationTest
@TestPropertySource(properties = "carnet.breach.enabled=true")
class BreachResponseIntegrationTest {

    @Value("${local.server.port}")
    int port;

    @Autowired
    Logins logins;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    ApplicationEventPublisher events;

    @Autowired
    IncidentRecorder recorder;

    Api api() {
        return new Api(port);
    }

    String officer() {
        return api().token(new Professionals(logins, transactions).staff(Role.SECURITY_OFFICER, null));
    }

    Optional<JsonNode> incidentWith(String officer, String rule) {
        return api().get("/api/v1/security/incidents?open=true", officer)
                .body()
                .valueStream()
                .filter(i ->
                        i.get("rules").valueStream().anyMatch(r -> r.asString().equals(rule)))
                .findFirst();
    }

    @Test
    void aBurstOfFailedSignInsFromOneAddressOpensAnIncident() {
        String officer = officer();
        assertThat(incidentWith(officer, "sign-in-failures-source")).isEmpty();
        for (int i = 0; i < 30; i++) {
            Api.Response refused = api().post(
                            "/api/v1/auth/token",
                            Map.of(
                                    "email",
                                    "nobody-" + UUID.randomUUID() + "@example.test",
                                    "password",
                                    "guessed password"),
                            null);
            assertThat(refused.status()).isEqualTo(401);
        }
        JsonNode incident = await().atMost(Duration.ofSeconds(20))
                .until(() -> incidentWith(officer, "sign-in-failures-source"), Optional::isPresent)
                .orElseThrow();
        assertThat(incident.get("severity").asString()).isEqualTo("MEDIUM");
        assertThat(incident.get("timeline").get(0).get("details").asString())
                .startsWith("30 failed sign-ins")
                .doesNotContain("127.0.0.1");
    }

    @Test
    void credentialStuffingAcrossThePlatformOpensAHighIncident() {
        String officer = officer();
        // Two hundred failures from two hundred addresses: no single source stands out, the platform does.
        Instant now = Instant.now();
        for (int i = 0; i < 200; i++) {
            events.publishEvent(new SignInFailed(null, "v4:198.51." + (i / 250) + "." + (i % 250), now));
        }
        JsonNode incident = await().atMost(Duration.ofSeconds(20))
                .until(() -> incidentWith(officer, "credential-stuffing"), Optional::isPresent)
                .orElseThrow();
        assertThat(incident.get("severity").asString()).isEqualTo("HIGH");
        assertThat(Instant.parse(incident.get("notifyBy").asString()))
                .isEqualTo(Instant.parse(incident.get("awareAt").asString()).plus(Duration.ofHours(72)));
    }

    @Test
    void aFailedVerificationOfTheAccessLogOpensAnIncidentNamingTheEstablishment() {
        String officer = officer();
        UUID chain = UUID.randomUUID();
        events.publishEvent(new AuditVerificationFailed(
                List.of(new AuditBreak(chain, 41L, 7L, AuditBreak.Kind.EDITED, "the entry no longer matches its hash")),
                Instant.now()));
        JsonNode incident = incidentWith(officer, "audit-verification-failed").orElseThrow();
        assertThat(incident.get("establishments").valueStream().map(JsonNode::asString))
                .containsExactly(chain.toString());
    }

    @Test
    void endingAnAccountsSessionsRefusesItsTokensAndLockingItRefusesItsSignIn() {
        Professionals professionals = new Professionals(logins, transactions);
        Professionals.Login suspect = professionals.staff(Role.ESTABLISHMENT_ADMIN, UUID.randomUUID());
        String stolen = api().token(suspect);
        assertThat(api().get("/api/v1/establishment/clients", stolen).status()).isEqualTo(200);
        UUID incident = recorder.record(new RuleHit(
                Rule.DENIED_ACCESSES,
                "user:" + suspect.userId(),
                null,
                suspect.userId(),
                Set.of(),
                Instant.now(),
                "20 accesses refused within PT10M"));
        String officer = officer();

        Api.Response ended = api().post(
                        "/api/v1/security/incidents/" + incident + "/containment",
                        Map.of("action", "end-sessions"),
                        officer);
        assertThat(ended.status()).as(ended.raw()).isEqualTo(200);
        assertThat(api().get("/api/v1/establishment/clients", stolen).status()).isEqualTo(401);
        // The owner may sign in again…
        String again = api().token(suspect);
        assertThat(api().get("/api/v1/establishment/clients", again).status()).isEqualTo(200);

        // …until the account is locked: its tokens stop and no sign-in opens it.
        Api.Response locked = api().post(
                        "/api/v1/security/incidents/" + incident + "/containment",
                        Map.of("action", "lock-account"),
                        officer);
        assertThat(locked.status()).as(locked.raw()).isEqualTo(200);
        assertThat(api().get("/api/v1/establishment/clients", again).status()).isEqualTo(401);
        assertThatThrownBy(() -> api().token(suspect)).isInstanceOf(IllegalStateException.class);

        // Both on the timeline, with the officer who acted.
        JsonNode view =
                api().get("/api/v1/security/incidents/" + incident, officer).body();
        List<JsonNode> containment = view.get("timeline")
                .valueStream()
                .filter(t -> t.get("kind").asString().equals("CONTAINMENT"))
                .toList();
        assertThat(containment)
                .extracting(t -> t.get("code").asString())
                .containsExactly("end-sessions", "lock-account");
        assertThat(containment).allSatisfy(t -> assertThat(t.get("by").isNull()).isFalse());
        // Once the owner is known to hold their account again, the officer lifts the lock; only a lock lifts.
        Api.Response lifted = api().post(
                        "/api/v1/security/incidents/" + incident + "/containment",
                        Map.of("action", "lift-lock"),
                        officer);
        assertThat(lifted.status()).as(lifted.raw()).isEqualTo(200);
        assertThat(api().get("/api/v1/establishment/clients", api().token(suspect))
                        .status())
                .isEqualTo(200);
        assertThat(api().post(
                                "/api/v1/security/incidents/" + incident + "/containment",
                                Map.of("action", "lift-lock"),
                                officer)
                        .status())
                .isEqualTo(409);
        // A program action on an incident about no program is refused, and says so.
        assertThat(api().post(
                                "/api/v1/security/incidents/" + incident + "/containment",
                                Map.of("action", "suspend-program"),
                                officer)
                        .status())
                .isEqualTo(409);
        assertThat(api().post(
                                "/api/v1/security/incidents/" + incident + "/containment",
                                Map.of("action", "delete-everything"),
                                officer)
                        .status())
                .isEqualTo(400);
    }

    @Test
    void onlySecurityOfficersReadOrActOnIncidents() {
        Professionals professionals = new Professionals(logins, transactions);
        UUID establishment = UUID.randomUUID();
        Professionals.Login victim = professionals.staff(Role.STAFF, establishment);
        UUID incident = recorder.record(new RuleHit(
                Rule.NIGHT_BULK_READ,
                "user:" + victim.userId(),
                null,
                victim.userId(),
                Set.of(establishment),
                Instant.now(),
                "41 distinct patients read at night"));
        String admin = api().token(professionals.staff(Role.ESTABLISHMENT_ADMIN, establishment));
        assertThat(api().get("/api/v1/security/incidents", admin).status()).isEqualTo(403);
        assertThat(api().get("/api/v1/security/incidents/" + incident, admin).status())
                .isEqualTo(403);
        assertThat(api().post(
                                "/api/v1/security/incidents/" + incident + "/containment",
                                Map.of("action", "lock-account"),
                                admin)
                        .status())
                .isEqualTo(403);
        assertThat(api().get("/api/v1/security/incidents", null).status()).isEqualTo(401);
        assertThat(api().get("/api/v1/security/incidents/" + UUID.randomUUID(), officer())
                        .status())
                .isEqualTo(404);
    }
}
