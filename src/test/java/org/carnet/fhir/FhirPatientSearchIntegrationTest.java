package org.carnet.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.carnet.fhir.FhirPublicDirectoryIntegrationTest.valid;

import ca.uhn.fhir.rest.api.SearchStyleEnum;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.carnet.clients.Programs;
import org.carnet.directory.Directory;
import org.carnet.identity.Logins;
import org.carnet.scheduling.Agendas;
import org.carnet.scheduling.Availability;
import org.carnet.scheduling.PhoneBookings;
import org.carnet.shared.Role;
import org.carnet.support.Api;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.carnet.support.Professionals;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Issue 13, item 6: {@code Patient} search within a program's scopes. By NIR (INS-NIR) or by last name
 * and birth date, only the program's own establishment's patients, cut as a read is (identity; contact
 * only with {@code carnet/Patient.contact}; never the NIR), each decided and recorded; outside the scopes
 * 403 whatever exists; another establishment's patient is found like nobody; the quota of distinct
 * patients refuses a page that would show one too many.
 */
@CarnetIntegrationTest
@DirtiesContext // its administrator and officer logins must not reach tests that count the demo ones
@TestPropertySource(properties = "carnet.clients.quotas.patients-per-hour=" + FhirPatientSearchIntegrationTest.QUOTA)
class FhirPatientSearchIntegrationTest {

    static final int QUOTA = 3;

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
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    String base;
    Api api;
    ConnectedPrograms programs;
    PracticeAgenda practice;
    PracticeAgenda elsewhere;

    @BeforeEach
    void twoPractices() {
        api = new Api(port);
        base = "http://127.0.0.1:" + port;
        Professionals professionals = new Professionals(logins, transactions);
        Fixtures fixtures = new Fixtures(directory, agendas);
        practice = new PracticeAgenda(
                fixtures.aPractitionerWithSlots(), professionals, logins, phoneBookings, availability, jdbc);
        elsewhere = new PracticeAgenda(
                fixtures.aPractitionerWithSlots(), professionals, logins, phoneBookings, availability, jdbc);
        String admin = api.token(professionals.staff(
                Role.ESTABLISHMENT_ADMIN, practice.agenda().establishment().id()));
        String officer = api.token(professionals.staff(Role.SECURITY_OFFICER, null));
        programs = new ConnectedPrograms(api, base, admin, officer);
    }

    @Test
    void byNirAProgramFindsItsOwnEstablishmentsPatientAndNobodyElsewhere() {
        String mine = aNir();
        String theirs = aNir();
        Registered patient = registeredAndBooked(mine, practice);
        registeredAndBooked(theirs, elsewhere);
        ConnectedPrograms.Program program = programs.connect("system/Patient.rs");

        for (String system : java.util.Arrays.asList(PatientSearch.INS_NIR, null)) {
            Bundle found = valid(program.fhir()
                    .search()
                    .forResource(Patient.class)
                    .where(
                            system == null
                                    ? Patient.IDENTIFIER.exactly().code(mine)
                                    : Patient.IDENTIFIER.exactly().systemAndCode(system, mine))
                    .usingStyle(SearchStyleEnum.POST)
                    .returnBundle(Bundle.class)
                    .execute());
            assertThat(found.getTotal()).isEqualTo(1);
            Patient shown = valid((Patient) found.getEntryFirstRep().getResource());
            assertThat(shown.getIdElement().getIdPart()).startsWith("p1").hasSize(34);
            assertThat(shown.getNameFirstRep().getFamily()).isEqualTo(patient.lastName());
            assertThat(shown.getBirthDateElement().getValueAsString()).isEqualTo("1990-02-03");
            // Minimised as a read: no contact without its scope, never the NIR nor a Carnet id.
            assertThat(shown.getTelecom()).isEmpty();
            assertThat(shown.getIdentifier()).isEmpty();
            // The pseudonym is the program's own: it reads the patient with it afterwards.
            assertThat(program.fhir()
                            .read()
                            .resource(Patient.class)
                            .withId(shown.getIdElement().getIdPart())
                            .execute()
                            .getNameFirstRep()
                            .getFamily())
                    .isEqualTo(patient.lastName());
        }
        Programs.Answer posted = search(program.token(), "identifier=" + mine);
        assertThat(posted.status()).isEqualTo(200);
        String raw = posted.raw();
        // Not even in the Bundle's links: a NIR never goes back into a URL.
        assertThat(raw)
                .doesNotContain(mine)
                .doesNotContain(patient.account().toString())
                .doesNotContain("+33")
                .doesNotContain("@example.test");

        // Another establishment's patient, an unknown NIR, a NIR in another system: nobody, alike.
        for (String[] search : List.of(
                new String[] {PatientSearch.INS_NIR, theirs},
                new String[] {PatientSearch.INS_NIR, aNir()},
                new String[] {"urn:oid:1.2.250.1.213.1.4.9", mine})) {
            Bundle none = program.fhir()
                    .search()
                    .forResource(Patient.class)
                    .where(Patient.IDENTIFIER.exactly().systemAndCode(search[0], search[1]))
                    .usingStyle(SearchStyleEnum.POST)
                    .returnBundle(Bundle.class)
                    .execute();
            assertThat(none.getTotal()).as(search[0]).isZero();
            assertThat(none.getEntry()).isEmpty();
        }
        // Decided and recorded: the patient read (identity), and only them.
        assertThat(audited(program.clientId()))
                .isNotEmpty()
                .allMatch(line -> line.equals(
                        "READ patient-file first_name,last_name,birth_date,sex " + patient.account() + " ALLOWED"));
    }

    @Test
    void byNameAndBirthDateWithinTheEstablishmentAndContactOnlyWithItsScope() {
        String name = "Zyx" + PracticeAgenda.letters(10);
        PracticeAgenda.Booked here =
                practice.bookNewPatient(practice.freeSlots(20).get(3).id(), name);
        PracticeAgenda.Booked there =
                elsewhere.bookNewPatient(elsewhere.freeSlots(20).get(3).id(), name);
        ConnectedPrograms.Program identity = programs.connect("system/Patient.rs");
        ConnectedPrograms.Program contact = programs.connect("system/Patient.rs carnet/Patient.contact");

        // Case and accents do not matter; the other establishment's file of the same name is not found.
        Bundle found = valid(identity.fhir()
                .search()
                .forResource(Patient.class)
                .where(Patient.FAMILY.matches().value(name.toUpperCase(java.util.Locale.ROOT)))
                .and(Patient.BIRTHDATE.exactly().day("1971-03-14"))
                .usingStyle(SearchStyleEnum.POST)
                .returnBundle(Bundle.class)
                .execute());
        assertThat(found.getEntry()).hasSize(1);
        Patient shown = valid((Patient) found.getEntryFirstRep().getResource());
        assertThat(shown.getNameFirstRep().getFamily()).isEqualTo(name);
        assertThat(shown.getTelecom()).isEmpty();
        String raw = search(identity.token(), "family=" + name + "&birthdate=1971-03-14")
                .raw();
        assertThat(raw)
                .doesNotContain("family=")
                .doesNotContain("1971-03-14&")
                .doesNotContain(here.phone())
                .doesNotContain(here.email())
                .doesNotContain(there.fileId().toString());
        assertThat(audited(identity.clientId()))
                .isNotEmpty()
                .allMatch(line -> line.equals(
                        "READ patient-file first_name,last_name,birth_date,sex " + here.fileId() + " ALLOWED"));

        Patient withContact = valid((Patient) contact.fhir()
                .search()
                .forResource(Patient.class)
                .where(Patient.FAMILY.matches().value(name))
                .and(Patient.BIRTHDATE.exactly().day("1971-03-14"))
                .usingStyle(SearchStyleEnum.POST)
                .returnBundle(Bundle.class)
                .execute()
                .getEntryFirstRep()
                .getResource());
        assertThat(withContact.getTelecom())
                .extracting(ContactPoint::getValue)
                .containsExactlyInAnyOrder(here.phone(), here.email());
        assertThat(withContact.getIdElement().getIdPart())
                .isNotEqualTo(shown.getIdElement().getIdPart());

        // Another birth date, or half the name: nobody.
        for (String query : List.of(
                "family=" + name + "&birthdate=1971-03-15",
                "family=" + name.substring(0, 6) + "&birthdate=1971-03-14")) {
            Programs.Answer answer = search(identity.token(), query);
            assertThat(answer.status()).as(query).isEqualTo(200);
            assertThat(valid(FhirValidation.R4.newJsonParser().parseResource(Bundle.class, answer.raw()))
                            .getEntry())
                    .as(query)
                    .isEmpty();
        }
        // Half a search is refused: one identity, or nothing.
        for (String query :
                List.of("family=" + name, "birthdate=1971-03-14", "identifier=" + aNir() + "&family=" + name)) {
            assertThat(search(identity.token(), query).status()).as(query).isEqualTo(400);
        }
        // In a URL, refused: an identity never travels there (and the answer does not quote it).
        Programs.Answer inUrl =
                Programs.get(base + "/fhir/Patient?family=" + name + "&birthdate=1971-03-14", identity.token());
        assertThat(inUrl.status()).isEqualTo(400);
        assertThat(inUrl.raw()).doesNotContain(name.substring(3));
    }

    @Test
    void outsideItsScopesA403ThatSaysNothingAndNothingIsLookedUp() {
        String nir = aNir();
        registeredAndBooked(nir, practice);
        String name = "Zyx" + PracticeAgenda.letters(10);
        practice.bookNewPatient(practice.freeSlots(20).get(4).id(), name);
        String first = null;
        for (String scopes : List.of("system/Patient.r", "system/Patient.s", "system/Appointment.rs")) {
            ConnectedPrograms.Program program = programs.connect(scopes);
            for (String query : List.of(
                    "identifier=" + nir,
                    "identifier=" + aNir(),
                    "identifier=not-a-nir",
                    "family=" + name + "&birthdate=1971-03-14",
                    "family=Nobody&birthdate=1971-03-14")) {
                for (Programs.Answer answer : List.of(
                        search(program.token(), query),
                        Programs.get(base + "/fhir/Patient?" + query, program.token()))) {
                    assertThat(answer.status()).as(scopes + " " + query).isEqualTo(403);
                    if (first == null) {
                        first = answer.raw();
                    }
                    assertThat(answer.raw()).as("every 403 reads the same").isEqualTo(first);
                }
            }
            assertThatThrownBy(() -> program.fhir()
                            .search()
                            .forResource(Patient.class)
                            .where(Patient.IDENTIFIER.exactly().code(nir))
                            .usingStyle(SearchStyleEnum.POST)
                            .returnBundle(Bundle.class)
                            .execute())
                    .isInstanceOf(ForbiddenOperationException.class);
            assertThat(audited(program.clientId())).isEmpty();
        }
    }

    @Test
    void aPageThatWouldShowOnePatientTooManyIsRefusedAsAWhole() {
        String name = "Zyx" + PracticeAgenda.letters(10);
        List<UUID> slots = practice.freeSlots(20).stream().map(s -> s.id()).toList();
        for (int i = 0; i <= QUOTA; i++) {
            practice.bookNewPatient(slots.get(5 + i), name);
        }
        ConnectedPrograms.Program program = programs.connect("system/Patient.rs");
        String search = "family=" + name + "&birthdate=1971-03-14";

        Programs.Answer tooMany = search(program.token(), search);
        assertThat(tooMany.status()).isEqualTo(429);
        assertThat(tooMany.headers().firstValue("Retry-After")).isPresent();
        assertThat(audited(program.clientId())).isEmpty();

        Bundle within = valid(program.fhir()
                .search()
                .forResource(Patient.class)
                .where(Patient.FAMILY.matches().value(name))
                .and(Patient.BIRTHDATE.exactly().day("1971-03-14"))
                .count(QUOTA)
                .usingStyle(SearchStyleEnum.POST)
                .returnBundle(Bundle.class)
                .execute());
        assertThat(within.getTotal()).isEqualTo(QUOTA + 1);
        assertThat(within.getEntry()).hasSize(QUOTA);
        assertThat(within.getLink(Bundle.LINK_NEXT))
                .as("no link carries the search")
                .isNull();
        assertThat(search(program.token(), search + "&_count=1&_offset=" + QUOTA)
                        .status())
                .isEqualTo(429);
        // Those it was shown it still finds.
        assertThat(search(program.token(), search + "&_count=1&_offset=1").status())
                .isEqualTo(200);
        assertThat(audited(program.clientId())).hasSize(QUOTA + 1);
    }

    /** {@code POST /fhir/Patient/_search} with this form body and the program's token. */
    Programs.Answer search(String token, String form) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(base + "/fhir/Patient/_search"))
                                    .header("Authorization", "Bearer " + token)
                                    .header("Content-Type", "application/x-www-form-urlencoded")
                                    .POST(HttpRequest.BodyPublishers.ofString(form.replace("|", "%7C")))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            return new Programs.Answer(
                    response.statusCode(),
                    new tools.jackson.databind.ObjectMapper().readTree(response.body()),
                    response.body(),
                    response.headers());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A patient registered with a NIR who booked at the practice: their account id and last name. */
    record Registered(UUID account, String lastName) {}

    Registered registeredAndBooked(String nir, PracticeAgenda where) {
        Map<String, Object> registration = Fixtures.aRegistration();
        String lastName = "Zyx" + PracticeAgenda.letters(10);
        registration.put("lastName", lastName);
        registration.put("nir", nir);
        Fixtures.Patient patient = Fixtures.registered(api, registration);
        Fixtures.book(
                api,
                patient,
                where.agenda(),
                Fixtures.freeSlotIdsFromTomorrow(api, where.agenda())
                        .get(ThreadLocalRandom.current().nextInt(5)));
        return new Registered(patient.account(), lastName);
    }

    /** A random NIR with a right key (synthetic: born in a year 19xx, department 99). */
    static String aNir() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String body = (1 + random.nextInt(2)) + String.format("%02d", random.nextInt(100))
                + String.format("%02d", 1 + random.nextInt(12)) + "99"
                + String.format("%06d", random.nextInt(1_000_000));
        int key = 97 - new BigInteger(body).mod(BigInteger.valueOf(97)).intValue();
        return body + String.format("%02d", key);
    }

    /** The program's audit entries: action, resource, fields, patient and outcome. */
    List<String> audited(String clientId) {
        return jdbc.sql("SELECT action, resource, fields, patient_id, outcome FROM audit_log WHERE actor_id = ?"
                        + " AND actor_type = 'CLIENT' ORDER BY id")
                .param(UUID.fromString(clientId))
                .query((rs, n) -> rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " "
                        + rs.getString(4) + " " + rs.getString(5))
                .list();
    }

    /** The identifier system the search takes. */
    static final class PatientSearch {
        static final String INS_NIR = "urn:oid:1.2.250.1.213.1.4.8";
    }
}
