package org.carnet.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.carnet.directory.Directory;
import org.carnet.directory.Practitioner;
import org.carnet.directory.Rpps;
import org.carnet.directory.Specialty;
import org.carnet.identity.Logins;
import org.carnet.scheduling.Agendas;
import org.carnet.scheduling.Bookings;
import org.carnet.shared.Role;
import org.carnet.support.Api;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.carnet.support.PageClient;
import org.carnet.support.Professionals;
import org.carnet.support.StoredComments;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every endpoint and page that shows a patient's data, walked by every role with ids it must not reach:
 * another patient's appointment, another establishment's patient, guessed ids. Whatever is refused
 * comes back as 404 or 403 with none of the patient's data in the body.
 */
@CarnetIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuthorizationMatrixIntegrationTest {

    @Value("${local.server.port}")
    int port;

    @Autowired
    Directory directory;

    @Autowired
    Agendas agendas;

    @Autowired
    Logins logins;

    @Autowired
    Bookings bookings;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    JdbcClient jdbc;

    /** One actor: an API token and a page session of their own (separate logins, so no code is used twice). */
    record Actor(String name, String token, PageClient pages) {}

    Api api;
    String patientA;
    String patientAName;
    String patientAPhone;
    String appointmentA;
    String appointmentB;
    Fixtures.Agenda agenda1;
    Fixtures.Agenda agenda2;
    Map<String, Actor> actors = new java.util.LinkedHashMap<>();

    @BeforeAll
    void world() {
        api = new Api(port);
        Fixtures fixtures = new Fixtures(directory, agendas);
        agenda1 = fixtures.aPractitionerWithSlots();
        agenda2 = fixtures.aPractitionerWithSlots();
        UUID establishment1 = agenda1.establishment().id();
        Practitioner colleague = directory.addPractitioner(
                establishment1,
                Rpps.of(7_000_000_000L + (System.nanoTime() % 1_000_000)),
                "Collègue",
                "Sansrelation",
                Specialty.DERMATOLOGUE);

        Map<String, Object> a = Fixtures.aRegistration();
        patientAName = "Zephyrine" + UUID.randomUUID().toString().substring(0, 8);
        patientAPhone = "+33 6 98 76 54 32";
        a.put("lastName", patientAName);
        a.put("phone", patientAPhone);
        Fixtures.registered(api, a);
        Map<String, Object> b = Fixtures.aRegistration();
        Fixtures.registered(api, b);
        String tokenA = api.token((String) a.get("email"), (String) a.get("password"));
        String tokenB = api.token((String) b.get("email"), (String) b.get("password"));
        patientA = api.get("/api/v1/me", tokenA).body().get("id").asString();
        appointmentA = book(tokenA, agenda1, "Douleur thoracique confidentielle");
        appointmentB = book(tokenB, agenda2, "Autre motif");

        Professionals professionals = new Professionals(logins, transactions);
        actors.put("patient A", patient(a, tokenA));
        actors.put("patient B", patient(b, tokenB));
        // One login per practitioner (the database says so), used for the API and the pages alike: every
        // token first, then the pages, so that at most one sign-in waits for the next TOTP step.
        Professionals.Login inCare =
                professionals.practitioner(agenda1.practitioner().id(), establishment1);
        Professionals.Login noCare = professionals.practitioner(colleague.id(), establishment1);
        Professionals.Login elsewhere = professionals.practitioner(
                agenda2.practitioner().id(), agenda2.establishment().id());
        Map<Professionals.Login, String> tokens = new java.util.LinkedHashMap<>();
        for (Professionals.Login practitioner : List.of(inCare, noCare, elsewhere)) {
            tokens.put(practitioner, api.token(practitioner));
        }
        actors.put("practitioner in care", professional(inCare, tokens.get(inCare)));
        actors.put("practitioner of the same establishment, no care", professional(noCare, tokens.get(noCare)));
        actors.put("practitioner of another establishment", professional(elsewhere, tokens.get(elsewhere)));
        actors.put(
                "staff",
                professional(
                        professionals.staff(Role.STAFF, establishment1),
                        professionals.staff(Role.STAFF, establishment1)));
        actors.put(
                "staff of another establishment",
                professional(
                        professionals.staff(Role.STAFF, agenda2.establishment().id()),
                        professionals.staff(Role.STAFF, agenda2.establishment().id())));
        actors.put(
                "establishment admin",
                professional(
                        professionals.staff(Role.ESTABLISHMENT_ADMIN, establishment1),
                        professionals.staff(Role.ESTABLISHMENT_ADMIN, establishment1)));
        actors.put(
                "security officer",
                professional(
                        professionals.staff(Role.SECURITY_OFFICER, null),
                        professionals.staff(Role.SECURITY_OFFICER, null)));
    }

    /** Books with a comment stored as before the comment moved into the encrypted exchange (a legacy one). */
    private String book(String token, Fixtures.Agenda agenda, String comment) {
        String slot = Fixtures.freeSlotIdsFromTomorrow(api, agenda).get(2);
        UUID account =
                UUID.fromString(api.get("/api/v1/me", token).body().get("id").asString());
        return new StoredComments(bookings, logins)
                .book(account, slot, agenda.motive().id(), comment, null)
                .toString();
    }

    private Actor patient(Map<String, Object> registration, String token) {
        PageClient pages = new PageClient(port);
        pages.signIn((String) registration.get("email"), (String) registration.get("password"), null);
        return new Actor("patient", token, pages);
    }

    /** A professional signed in to the pages, with the bearer token their login already got. */
    private Actor professional(Professionals.Login login, String token) {
        PageClient pages = new PageClient(port);
        pages.signIn(login.email(), login.password(), login.totpSecret());
        return new Actor(login.role().name(), token, pages);
    }

    private Actor professional(Professionals.Login forApi, Professionals.Login forPages) {
        PageClient pages = new PageClient(port);
        pages.signIn(forPages.email(), forPages.password(), forPages.totpSecret());
        return new Actor(
                forApi.role().name(), api.token(forApi.email(), forApi.password(), forApi.totpSecret()), pages);
    }

    /** Refused, and nothing of patient A in the answer. */
    private void assertRefused(String who, String what, int status, String body) {
        assertThat(status).as(who + " " + what).isIn(302, 403, 404);
        assertThat(body == null ? "" : body)
                .as(who + " " + what)
                .doesNotContain(patientAName)
                .doesNotContain(patientAPhone)
                .doesNotContain("thoracique");
    }

    @Test
    void oneAppointmentThroughTheApi() {
        Map<String, String> expected = Map.of(
                "patient A", "full",
                "practitioner in care", "full",
                "staff", "administrative",
                "establishment admin", "administrative");
        actors.forEach((who, actor) -> {
            Api.Response response = api.get("/api/v1/appointments/" + appointmentA, actor.token());
            String access = expected.get(who);
            if (access == null) {
                assertRefused(who, "GET appointment", response.status(), response.raw());
                assertThat(response.status()).as(who).isEqualTo(404);
            } else {
                assertThat(response.status()).as(who).isEqualTo(200);
                if (access.equals("full")) {
                    assertThat(response.raw()).as(who).contains("thoracique");
                } else {
                    assertThat(response.raw()).as(who).doesNotContain("thoracique");
                    assertThat(response.body().get("motive").isNull()).as(who).isTrue();
                }
            }
        });
    }

    @Test
    void guessedAndSequentialIdsFindNothing() {
        List<String> guesses = List.of(
                UUID.randomUUID().toString(),
                "00000000-0000-0000-0000-000000000001",
                "00000000-0000-0000-0000-000000000002",
                appointmentA.substring(0, 35) + (appointmentA.charAt(35) == '0' ? '1' : '0'));
        actors.forEach((who, actor) -> {
            for (String guess : guesses) {
                Api.Response response = api.get("/api/v1/appointments/" + guess, actor.token());
                assertThat(response.status()).as(who + " " + guess).isEqualTo(404);
            }
            assertThat(api.get("/api/v1/appointments/1", actor.token()).status())
                    .as(who)
                    .isIn(400, 404);
        });
    }

    @Test
    void changingSomeoneElsesAppointmentIsRefusedAndChangesNothing() {
        actors.forEach((who, actor) -> {
            if (who.equals("patient A")) {
                return;
            }
            Api.Response cancel = api.delete("/api/v1/appointments/" + appointmentA, actor.token());
            assertRefused(who, "DELETE appointment", cancel.status(), cancel.raw());
            Api.Response move = api.post(
                    "/api/v1/appointments/" + appointmentA + "/reschedule",
                    Map.of(
                            "slotId",
                            Fixtures.freeSlotIdsFromTomorrow(api, agenda1).get(5)),
                    actor.token());
            assertRefused(who, "reschedule appointment", move.status(), move.raw());
        });
        assertThat(jdbc.sql("SELECT status FROM appointments WHERE id = ?")
                        .param(UUID.fromString(appointmentA))
                        .query(String.class)
                        .single())
                .isEqualTo("BOOKED");
    }

    @Test
    void ownDataEndpointsShowOnlyTheCallersOwn() {
        actors.forEach((who, actor) -> {
            Api.Response me = api.get("/api/v1/me", actor.token());
            Api.Response mine = api.get("/api/v1/me/appointments", actor.token());
            if (who.equals("patient A")) {
                assertThat(me.raw()).contains(patientAName);
                assertThat(mine.raw()).contains(appointmentA);
                return;
            }
            assertThat(me.raw() == null ? "" : me.raw()).as(who).doesNotContain(patientAName);
            assertThat(mine.raw() == null ? "" : mine.raw()).as(who).doesNotContain(appointmentA);
            if (!who.startsWith("patient")) {
                assertThat(me.status()).as(who).isIn(403, 404);
            }
        });
    }

    @Test
    void thePatientFilePage() {
        Map<String, Integer> expected = Map.of(
                "practitioner in care", 200,
                "staff", 200);
        actors.forEach((who, actor) -> {
            PageClient.Page page = actor.pages().get("/agenda/patients/" + patientA);
            Integer status = expected.get(who);
            if (status != null) {
                assertThat(page.status()).as(who).isEqualTo(200);
                assertThat(page.body()).as(who).contains(patientAName).doesNotContain("thoracique");
            } else if (who.equals("practitioner of the same establishment, no care")) {
                assertThat(page.status()).as(who).isEqualTo(200);
                assertThat(page.body()).as(who).contains("break-the-glass-form");
                assertRefused(who, "patient file", 404, page.body());
            } else {
                assertRefused(who, "patient file", page.status(), page.body());
            }
        });
    }

    @Test
    void agendasAndAppointmentPagesShowNoOneElsesPatients() {
        LocalDate from = LocalDate.now(ZoneId.of("Europe/Paris")).plusDays(1);
        actors.forEach((who, actor) -> {
            for (String path : List.of(
                    "/agenda?view=week&date=" + from,
                    "/agenda?view=week&date=" + from.plusWeeks(1),
                    "/me/appointments",
                    "/establishment",
                    "/account/security")) {
                PageClient.Page page = actor.pages().get(path);
                // Staff run the agendas of their establishment's practitioners: names, never motives.
                boolean mayShow =
                        (who.equals("practitioner in care") || who.equals("staff")) && path.startsWith("/agenda")
                                || who.equals("patient A") && path.equals("/me/appointments");
                assertThat(page.body() == null ? "" : page.body())
                        .as(who + " " + path)
                        .doesNotContain("thoracique");
                if (!mayShow) {
                    assertThat(page.body() == null ? "" : page.body())
                            .as(who + " " + path)
                            .doesNotContain(patientAName)
                            .doesNotContain(patientAPhone)
                            .doesNotContain("thoracique");
                }
            }
        });
        assertThat(actors.get("practitioner in care")
                                .pages()
                                .get("/agenda?view=week&date=" + from)
                                .body()
                        + actors.get("practitioner in care")
                                .pages()
                                .get("/agenda?view=week&date=" + from.plusWeeks(1))
                                .body())
                .contains(patientAName);
    }

    @Test
    void anotherPatientsAppointmentPagesFindNothing() {
        actors.forEach((who, actor) -> {
            if (who.equals("patient A")) {
                assertThat(actor.pages()
                                .get("/me/appointments/" + appointmentA + "/confirmation")
                                .body())
                        .contains("thoracique");
                return;
            }
            PageClient.Page confirmation = actor.pages().get("/me/appointments/" + appointmentA + "/confirmation");
            assertRefused(who, "confirmation page", confirmation.status(), confirmation.body());
            actor.pages().get("/account/security");
            PageClient.Page cancel = actor.pages().post("/me/appointments/" + appointmentA + "/cancel", Map.of());
            assertRefused(who, "cancel form", cancel.status(), cancel.body());
        });
        assertThat(jdbc.sql("SELECT status FROM appointments WHERE id = ?")
                        .param(UUID.fromString(appointmentA))
                        .query(String.class)
                        .single())
                .isEqualTo("BOOKED");
    }

    @Test
    void theBookingPagesOfThePractice() {
        String freeSlot = Fixtures.freeSlotIdsFromTomorrow(api, agenda1).get(7);
        actors.forEach((who, actor) -> {
            PageClient.Page booking = actor.pages().get("/agenda/appointments/" + appointmentA);
            actor.pages().get("/agenda/phone/" + freeSlot);
            PageClient.Page phone = actor.pages()
                    .post("/agenda/phone/" + freeSlot + "/search", java.util.Map.of("lastName", patientAName));
            if (who.equals("practitioner in care")) {
                assertThat(booking.body()).as(who).contains(patientAName).contains("thoracique");
            } else if (who.equals("staff")) {
                assertThat(booking.body()).as(who).contains(patientAName).doesNotContain("thoracique");
                assertThat(phone.body())
                        .as(who)
                        .contains("id=\"existing-form\"")
                        .contains(patientAPhone);
            } else {
                assertRefused(who, "booking page", booking.status(), booking.body());
                // The search form keeps the name typed; no file may come back.
                assertThat(phone.body() == null ? "" : phone.body())
                        .as(who + " phone search")
                        .doesNotContain("id=\"existing-form\"")
                        .doesNotContain(patientAPhone);
            }
            for (String path : List.of(
                    "/me/appointments/" + appointmentA + "/calendar.ics",
                    "/me/appointments/" + appointmentA + "/reschedule")) {
                PageClient.Page page = actor.pages().get(path);
                if (who.equals("patient A")) {
                    assertThat(page.status()).as(who + " " + path).isEqualTo(200);
                } else {
                    assertRefused(who, path, page.status(), page.body());
                }
            }
        });
    }

    @Test
    void refusalsAreOnTheLog() {
        api.get("/api/v1/appointments/" + appointmentA, actors.get("patient B").token());
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE patient_id = ? AND outcome = 'DENIED'"
                                + " AND actor_role = 'PATIENT' AND resource = 'appointment'")
                        .param(UUID.fromString(patientA))
                        .query(Integer.class)
                        .single())
                .isPositive();
    }
}
