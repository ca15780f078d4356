package org.carnet.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.carnet.directory.Directory;
import org.carnet.identity.Logins;
import org.carnet.notifications.Inbox;
import org.carnet.notifications.InboxMessage;
import org.carnet.notifications.Recipient;
import org.carnet.scheduling.Agendas;
import org.carnet.scheduling.Availability;
import org.carnet.scheduling.PhoneBookings;
import org.carnet.shared.Role;
import org.carnet.support.Api;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.carnet.support.Professionals;
import org.hl7.fhir.r4.model.Appointment;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Breach detection's {@code unknown-ids-probed} rule, as an attacker meets it: a connected program with
 * valid credentials asks for random patient pseudonyms and appointment ids. Each miss answers exactly
 * the 404 it always did; the 50th distinct one (the default threshold) suspends the program, whose
 * next call is refused, and its administrator and the security officers are told. A program that
 * misses a few ids, or retries the same stale one, is left alone.
 */
@CarnetIntegrationTest
@TestPropertySource(properties = {"carnet.breach.enabled=true", "carnet.breach.night-floor=1000000"})
class FhirUnknownIdsProbedIntegrationTest {

    static final int THRESHOLD = 50;
    static final String SCOPES = "system/Appointment.rs system/Patient.r";

    @Value("${local.server.port}")
    int port;

    @Autowired
    Directory directory;

    @Autowired
    Agendas agendas;

    @Autowired
    Logins logins;

    @Autowired
    PhoneBookings phoneBookings;

    @Autowired
    Availability availability;

    @Autowired
    Inbox inbox;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    @Test
    void aProgramProbingUnknownIdsIsSuspendedAtTheThresholdAndAProgramMissingAFewIsNot() {
        Api api = new Api(port);
        Professionals professionals = new Professionals(logins, transactions);
        PracticeAgenda practice = new PracticeAgenda(
                new Fixtures(directory, agendas).aPractitionerWithSlots(),
                professionals,
                logins,
                phoneBookings,
                availability,
                jdbc);
        UUID appointment = practice.bookNewPatients(1).get(0).appointmentId();
        UUID establishment = practice.agenda().establishment().id();
        Professionals.Login admin = professionals.staff(Role.ESTABLISHMENT_ADMIN, establishment);
        Professionals.Login officerLogin = professionals.staff(Role.SECURITY_OFFICER, null);
        String officer = api.token(officerLogin);
        ConnectedPrograms programs = new ConnectedPrograms(api, "http://127.0.0.1:" + port, api.token(admin), officer);
        ConnectedPrograms.Program careful = programs.connect(SCOPES);
        ConnectedPrograms.Program prober = programs.connect("system/Appointment.crus system/Patient.r");
        ConnectedPrograms.Program agendaOnly = programs.connect("system/Appointment.rs");

        // An ordinary program: a few stale ids, one of them retried many times. Each is a 404, nothing more.
        String stale = UUID.randomUUID().toString();
        for (int i = 0; i < THRESHOLD + 10; i++) {
            assertThatThrownBy(() -> careful.fhir()
                            .read()
                            .resource(Appointment.class)
                            .withId(stale)
                            .execute())
                    .isInstanceOf(ResourceNotFoundException.class);
        }
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> careful.fhir()
                            .read()
                            .resource(Patient.class)
                            .withId(randomPseudonym())
                            .execute())
                    .isInstanceOf(ResourceNotFoundException.class);
        }
        // Outside its scopes a program gets 403 whether or not the thing exists, and that is no miss either.
        for (int i = 0; i < THRESHOLD + 10; i++) {
            assertThatThrownBy(() -> agendaOnly
                            .fhir()
                            .read()
                            .resource(Patient.class)
                            .withId(randomPseudonym())
                            .execute())
                    .isInstanceOf(ForbiddenOperationException.class);
        }
        assertThat(careful.fhir()
                        .read()
                        .resource(Appointment.class)
                        .withId(appointment.toString())
                        .execute()
                        .getStatus())
                .isEqualTo(Appointment.AppointmentStatus.BOOKED);
        assertThat(status(api, officer, careful)).isEqualTo("ACTIVE");
        assertThat(status(api, officer, agendaOnly)).isEqualTo("ACTIVE");

        // The prober: random pseudonyms and appointment ids, read, cancelled or booked for, until Carnet stops it.
        List<String> probed = new ArrayList<>();
        int missed = 0;
        boolean stopped = false;
        for (int i = 0; i < 2 * THRESHOLD && !stopped; i++) {
            int kind = i % 4;
            String id = kind == 0 || kind == 3
                    ? randomPseudonym()
                    : UUID.randomUUID().toString();
            probed.add(id);
            try {
                switch (kind) {
                    case 0 ->
                        prober.fhir().read().resource(Patient.class).withId(id).execute();
                    case 1 ->
                        prober.fhir()
                                .read()
                                .resource(Appointment.class)
                                .withId(id)
                                .execute();
                    case 2 ->
                        prober.fhir()
                                .update()
                                .resource(cancellation(id))
                                .withId(id)
                                .execute();
                    default ->
                        prober.fhir()
                                .create()
                                .resource(FhirAppointmentBookingIntegrationTest.appointment(
                                        UUID.randomUUID(), "Patient/" + id))
                                .execute();
                }
                throw new AssertionError("a random id named something");
            } catch (ResourceNotFoundException miss) {
                // Exactly what a miss always answered: 404, and 400 for a booking naming no patient it was shown.
                assertThat(kind).isNotEqualTo(3);
                missed++;
            } catch (InvalidRequestException miss) {
                assertThat(kind).isEqualTo(3);
                assertThat(miss.getMessage()).contains("The Patient must be one this program was shown.");
                missed++;
            } catch (AuthenticationException refused) {
                stopped = true;
            }
        }
        assertThat(stopped).as("the prober was stopped").isTrue();
        assertThat(missed).as("misses answered before the stop").isEqualTo(THRESHOLD);
        assertThatThrownBy(() -> prober.fhir()
                        .read()
                        .resource(Appointment.class)
                        .withId(appointment.toString())
                        .execute())
                .isInstanceOf(AuthenticationException.class);
        assertThat(status(api, officer, prober)).isEqualTo("SUSPENDED");
        assertThat(status(api, officer, careful)).isEqualTo("ACTIVE");

        // The incident: the rule, the program, its establishment, the automatic suspension.
        Api.Response incidents = api.get("/api/v1/security/incidents", officer);
        JsonNode incident = incidents
                .body()
                .valueStream()
                .filter(i -> prober.clientId().equals(i.path("clientId").asString(null)))
                .findFirst()
                .orElseThrow();
        assertThat(incident.get("rules").valueStream().map(JsonNode::asString)).containsExactly("unknown-ids-probed");
        assertThat(incident.get("establishments").valueStream().map(JsonNode::asString))
                .containsExactly(establishment.toString());
        assertThat(incident.get("timeline").valueStream().toList())
                .anySatisfy(t -> {
                    assertThat(t.get("kind").asString()).isEqualTo("CONTAINMENT");
                    assertThat(t.get("code").asString()).isEqualTo("suspend-program");
                })
                .anySatisfy(t -> {
                    assertThat(t.get("kind").asString()).isEqualTo("RULE");
                    assertThat(t.get("details").asString()).startsWith(THRESHOLD + " distinct unknown");
                });
        assertThat(incidents
                        .body()
                        .valueStream()
                        .filter(i ->
                                careful.clientId().equals(i.path("clientId").asString(null))
                                        || agendaOnly
                                                .clientId()
                                                .equals(i.path("clientId").asString(null))))
                .isEmpty();
        // What it asked for is kept as keyed hashes only, in the incident as in the counters.
        List<String> kept = jdbc.sql("SELECT probe FROM breach_unknown_ids WHERE client_id = ?")
                .param(UUID.fromString(prober.clientId()))
                .query(String.class)
                .list();
        assertThat(kept).hasSize(THRESHOLD);
        for (String id : probed) {
            assertThat(incidents.raw()).doesNotContain(id);
            assertThat(kept).noneMatch(probe -> id.contains(probe) || probe.contains(id));
        }

        // The administrator who connected it and the security officer are told.
        var adminActor = logins.byId(admin.userId()).orElseThrow();
        var officerActor = logins.byId(officerLogin.userId()).orElseThrow();
        await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> inbox.list(Recipient.professional(admin.userId()), adminActor).stream()
                                .map(InboxMessage::kind)
                                .toList(),
                        kinds -> kinds.contains("client-suspended-automatically"));
        await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> inbox.list(Recipient.professional(officerLogin.userId()), officerActor).stream()
                                .map(InboxMessage::kind)
                                .toList(),
                        kinds -> kinds.contains("security-incident"));

        // Reinstated by the officer, it starts counting again: one more miss is a 404, not a suspension.
        assertThat(api.post("/api/v1/security/clients/" + prober.clientId() + "/reinstate", Map.of(), officer)
                        .status())
                .isEqualTo(200);
        ConnectedPrograms.Program reinstated = programs.refreshed(prober, SCOPES);
        assertThatThrownBy(() -> reinstated
                        .fhir()
                        .read()
                        .resource(Patient.class)
                        .withId(randomPseudonym())
                        .execute())
                .isInstanceOf(ResourceNotFoundException.class);
        assertThat(status(api, officer, prober)).isEqualTo("ACTIVE");
    }

    private static Appointment cancellation(String id) {
        Appointment appointment = new Appointment();
        appointment.setId(id);
        appointment.setStatus(Appointment.AppointmentStatus.CANCELLED);
        return appointment;
    }

    private static String randomPseudonym() {
        byte[] bytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(bytes);
        return "p1" + HexFormat.of().formatHex(bytes);
    }

    private static String status(Api api, String officer, ConnectedPrograms.Program program) {
        return api.get("/api/v1/security/clients", officer)
                .body()
                .valueStream()
                .filter(c -> c.get("clientId").asString().equals(program.clientId()))
                .findFirst()
                .orElseThrow()
                .get("status")
                .asString();
    }
}
