package org.carnet.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.carnet.fhir.FhirPublicDirectoryIntegrationTest.valid;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.carnet.directory.Directory;
import org.carnet.directory.Specialty;
import org.carnet.scheduling.Agendas;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

/**
 * The CapabilityStatement says exactly what works: every search parameter it declares finds what it
 * should, anything it does not declare is refused with an OperationOutcome, and no error quotes the
 * request back.
 */
@CarnetIntegrationTest
class FhirCapabilityAndErrorsIntegrationTest {

    static final String CANARY = "zqxcanary7341";

    @Value("${local.server.port}")
    int port;

    @Autowired
    Directory directory;

    @Autowired
    Agendas agendas;

    Fixtures fixtures;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void setUp() {
        fixtures = new Fixtures(directory, agendas);
    }

    @Test
    void declaresExactlyTheResourcesInteractionsAndSearchParametersThatWork() {
        String city = "Capville-" + UUID.randomUUID().toString().substring(0, 8);
        Fixtures.Agenda agenda = fixtures.aPractitionerWithSlots(Specialty.RHUMATOLOGUE, city, "96700");
        String establishment = agenda.establishment().id().toString();
        String practitioner = agenda.practitioner().id().toString();
        LocalDate tomorrow = LocalDate.now(ZoneId.of("Europe/Paris")).plusDays(1);

        // For each declared parameter: a search using it (with what it needs beside it), and the id it must find.
        Map<String, String[]> samples = new LinkedHashMap<>();
        samples.put("Organization.identifier", new String[] {
            "identifier=http://finess.sante.gouv.fr|"
                    + agenda.establishment().finess().value(),
            establishment
        });
        samples.put("Location.identifier", new String[] {
            "identifier=http://finess.sante.gouv.fr|"
                    + agenda.establishment().finess().value(),
            establishment
        });
        samples.put("Practitioner.identifier", new String[] {
            "identifier=http://rpps.fr|" + agenda.practitioner().rpps().value(), practitioner
        });
        samples.put(
                "PractitionerRole.specialty",
                new String[] {"specialty=rhumatologue&address-city=" + city, practitioner});
        samples.put(
                "PractitionerRole.address-city",
                new String[] {"specialty=rhumatologue&address-city=" + city.toLowerCase(Locale.ROOT), practitioner});
        samples.put(
                "PractitionerRole.address-postalcode",
                new String[] {"specialty=rhumatologue&address-postalcode=96700", practitioner});
        samples.put(
                "PractitionerRole.practitioner",
                new String[] {"practitioner=Practitioner/" + practitioner, practitioner});
        samples.put(
                "PractitionerRole.organization",
                new String[] {"organization=Organization/" + establishment, practitioner});
        samples.put("Schedule.actor", new String[] {"actor=PractitionerRole/" + practitioner, practitioner});
        String slotQuery = "specialty=rhumatologue&address-city=" + city;
        samples.put("Slot.specialty", new String[] {slotQuery, null});
        samples.put("Slot.address-city", new String[] {slotQuery, null});
        samples.put("Slot.address-postalcode", new String[] {"specialty=rhumatologue&address-postalcode=96700", null});
        samples.put("Slot.schedule", new String[] {"schedule=Schedule/" + practitioner, null});
        samples.put("Slot.start", new String[] {
            "schedule=Schedule/" + practitioner + "&start=ge" + tomorrow + "&start=lt" + tomorrow.plusDays(1), null
        });
        samples.put("Slot.status", new String[] {"schedule=Schedule/" + practitioner + "&status=free", null});

        Answer metadata = get("/fhir/metadata");
        assertThat(metadata.status()).isEqualTo(200);
        CapabilityStatement capabilities =
                valid(FhirValidation.R4.newJsonParser().parseResource(CapabilityStatement.class, metadata.body()));
        assertThat(capabilities.getFhirVersion().toCode()).isEqualTo("4.0.1");
        List<CapabilityStatement.CapabilityStatementRestResourceComponent> resources =
                capabilities.getRestFirstRep().getResource();
        assertThat(resources)
                .extracting(resource -> resource.getType())
                .containsExactlyInAnyOrder(
                        "Organization",
                        "Location",
                        "Practitioner",
                        "PractitionerRole",
                        "Schedule",
                        "Slot",
                        "Appointment",
                        "Patient",
                        "AuditEvent");
        Set<String> declared = new TreeSet<>();
        Map<String, List<String>> programOnly = Map.of(
                "Appointment", List.of("read", "search-type", "create", "update"),
                "Patient", List.of("read", "search-type"),
                "AuditEvent", List.of("read", "search-type"));
        for (var resource : resources) {
            assertThat(resource.getInteraction())
                    .extracting(interaction -> interaction.getCode().toCode())
                    .as(resource.getType())
                    .containsExactlyInAnyOrderElementsOf(
                            programOnly.getOrDefault(resource.getType(), List.of("read", "search-type")));
            if (!programOnly.containsKey(resource.getType())) {
                resource.getSearchParam().forEach(param -> declared.add(resource.getType() + "." + param.getName()));
            }
            // Nothing conditional: HAPI would otherwise say so, and Carnet refuses If-None-Exist.
            assertThat(resource.getConditionalCreate()).as(resource.getType()).isFalse();
            assertThat(resource.getUpdateCreate()).as(resource.getType()).isFalse();
        }
        assertThat(declared).containsExactlyInAnyOrderElementsOf(samples.keySet());
        // Appointment's search parameters are tried with a program's token (FhirAppointmentSearchIntegrationTest).
        assertThat(resources.stream()
                        .filter(resource -> resource.getType().equals("Appointment"))
                        .flatMap(resource -> resource.getSearchParam().stream())
                        .map(param -> param.getName()))
                .containsExactlyInAnyOrder("date", "practitioner");
        // Patient's are tried with a program's token (FhirPatientSearchIntegrationTest).
        assertThat(resources.stream()
                        .filter(resource -> resource.getType().equals("Patient"))
                        .flatMap(resource -> resource.getSearchParam().stream())
                        .map(param -> param.getName()))
                .containsExactlyInAnyOrder("identifier", "family", "birthdate");
        // AuditEvent's are tried with a program's and the security officer's tokens (FhirAuditEventIntegrationTest).
        assertThat(resources.stream()
                        .filter(resource -> resource.getType().equals("AuditEvent"))
                        .flatMap(resource -> resource.getSearchParam().stream())
                        .map(param -> param.getName()))
                .containsExactlyInAnyOrder("agent", "patient", "date");

        samples.forEach((param, sample) -> {
            String type = param.substring(0, param.indexOf('.'));
            Answer answer = get("/fhir/" + type + "?" + sample[0]);
            assertThat(answer.status()).as(param).isEqualTo(200);
            Bundle bundle = valid(FhirValidation.R4.newJsonParser().parseResource(Bundle.class, answer.body()));
            assertThat(bundle.getEntry()).as(param).isNotEmpty();
            if (sample[1] != null) {
                assertThat(bundle.getEntry())
                        .as(param)
                        .extracting(entry -> entry.getResource().getIdElement().getIdPart())
                        .containsExactly(sample[1]);
            }
            assertThat(bundle.getEntry())
                    .as(param)
                    .allSatisfy(
                            entry -> assertThat(entry.getResource().fhirType()).isEqualTo(type));
        });
    }

    @Test
    void refusesWhatItDoesNotDeclareWithAnOperationOutcome() {
        List<String> undeclared = List.of(
                "/fhir/Organization?name=Centre",
                "/fhir/Organization?identifier=http://finess.sante.gouv.fr|750000001&address-city=Paris",
                "/fhir/Practitioner?family=Nom",
                "/fhir/Slot?specialty=pediatre&address-postalcode=75&foo=1",
                "/fhir/Slot?specialty=pediatre&address-postalcode=75&_sort=start",
                "/fhir/Slot?specialty=pediatre&address-postalcode=75&_include=Slot:schedule",
                "/fhir/Slot?specialty=pediatre&address-postalcode=75&_revinclude=Appointment:slot",
                "/fhir/Slot?specialty=pediatre&address-postalcode=75&_lastUpdated=ge2020-01-01",
                "/fhir/Slot?specialty=pediatre&address-postalcode=75&_id=" + UUID.randomUUID(),
                "/fhir/Slot?specialty=pediatre&address-postalcode=75&_has:Appointment:slot:status=booked",
                "/fhir/Slot?specialty=pediatre&address-postalcode=75&_total=accurate",
                "/fhir/Slot?specialty:text=pediatre&address-postalcode=75",
                "/fhir/Slot?specialty:not=pediatre&address-postalcode=75",
                // A specialty alone would count every free slot of the specialty in France: a place is required.
                "/fhir/Slot?specialty=pediatre",
                "/fhir/Slot?specialty=pediatre&address-postalcode=75&address-city:exact=Paris",
                "/fhir/Slot?specialty=pediatre&address-postalcode=75&address-city:contains=Par",
                "/fhir/Slot?schedule:missing=true",
                "/fhir/Slot?schedule.actor=Practitioner/" + UUID.randomUUID(),
                "/fhir/Slot?specialty=pediatre&address-postalcode=75&status=busy",
                "/fhir/Slot?specialty=pediatre&address-postalcode=75&start=sa2026-01-01",
                "/fhir/Slot?specialty=pediatre&address-postalcode=75&start=ge2026-13-45",
                "/fhir/Slot?specialty=pediatre&address-postalcode=75&_offset=-1",
                "/fhir/Slot?specialty=pediatre&address-postalcode=75&_count=-1",
                "/fhir/Slot?address-city=Paris",
                "/fhir/Slot",
                "/fhir/PractitionerRole",
                "/fhir/Schedule?actor=Organization/" + UUID.randomUUID(),
                "/fhir/Slot?specialty=pediatre&address-postalcode=75&specialty=dermatologue",
                "/fhir/Slot?specialty=pediatre&address-postalcode=75&_format=html",
                "/fhir/Slot?specialty=pediatre&address-postalcode=75&_summary=everything");
        for (String path : undeclared) {
            Answer answer = get(path);
            assertThat(answer.status()).as(path).isEqualTo(400);
            assertThat(answer.contentType()).as(path).startsWith("application/fhir+json");
            OperationOutcome outcome =
                    FhirValidation.R4.newJsonParser().parseResource(OperationOutcome.class, answer.body());
            assertThat(outcome.getIssueFirstRep().getSeverity())
                    .as(path)
                    .isEqualTo(OperationOutcome.IssueSeverity.ERROR);
        }
    }

    @Test
    void neverQuotesTheRequestInAnError() {
        String script = "<img src=x onerror=" + CANARY + ">";
        List<String> crafted = List.of(
                "/fhir/Practitioner/" + CANARY,
                "/fhir/Slot/" + CANARY + "-" + UUID.randomUUID(),
                "/fhir/Organization/" + encode(script),
                "/fhir/" + CANARY,
                "/fhir/" + CANARY + "/42",
                "/fhir/Slot?" + CANARY + "=1",
                "/fhir/Slot?specialty=pediatre&address-postalcode=75&" + encode(script) + "=1",
                "/fhir/Slot?specialty=" + CANARY,
                "/fhir/Slot?specialty=" + encode(script),
                "/fhir/Slot?specialty=pediatre&address-postalcode=75&start=ge" + CANARY,
                "/fhir/Slot?specialty=pediatre&address-postalcode=75&start=" + encode("ge2026-01-01T" + CANARY),
                "/fhir/Slot?specialty:" + CANARY + "=pediatre",
                "/fhir/Slot?schedule=" + CANARY + "/" + UUID.randomUUID(),
                "/fhir/Slot?schedule." + CANARY + "=x",
                "/fhir/Slot?specialty=pediatre&address-postalcode=75&_count=" + CANARY,
                "/fhir/Slot?specialty=pediatre&address-postalcode=75&_offset=" + CANARY,
                "/fhir/Slot?specialty=pediatre&address-postalcode=75&address-postalcode=" + CANARY,
                "/fhir/Organization?identifier=" + CANARY,
                "/fhir/Practitioner?identifier=http://rpps.fr|" + CANARY,
                "/fhir/Slot?specialty=pediatre&address-postalcode=75&_format=" + CANARY,
                "/fhir/Slot/" + UUID.randomUUID() + "/_history/" + CANARY,
                "/fhir/Slot/" + UUID.randomUUID() + "/$" + CANARY,
                "/fhir/Slot/$" + CANARY);
        for (String path : crafted) {
            Answer answer = get(path);
            assertThat(answer.status()).as(path).isBetween(400, 499);
            assertThat(answer.body().toLowerCase(Locale.ROOT)).as(path).doesNotContain(CANARY);
            assertThat(answer.body()).as(path).contains("\"resourceType\":\"OperationOutcome\"");
        }
    }

    @Test
    void servesFhirJsonAnonymouslyWithoutSessionAndWithTheSiteHeaders() throws Exception {
        Answer metadata = get("/fhir/metadata");
        assertThat(metadata.status()).isEqualTo(200);
        assertThat(metadata.contentType()).startsWith("application/fhir+json");
        assertThat(metadata.response().headers().allValues("Set-Cookie")).isEmpty();
        assertThat(metadata.response().headers().firstValue("X-Content-Type-Options"))
                .hasValue("nosniff");
        assertThat(metadata.response().headers().firstValue("Content-Security-Policy"))
                .hasValue("default-src 'none'; frame-ancestors 'none'");
        assertThat(metadata.response().headers().firstValue("Strict-Transport-Security"))
                .isPresent();
        assertThat(metadata.response().headers().firstValue("X-Powered-By")).isEmpty();

        // Anything but the public reads needs a token, which nothing issues yet: 401, as an OperationOutcome.
        for (String path : List.of("/fhir/Patient", "/fhir/Appointment", "/fhir/AuditEvent/1", "/fhir")) {
            Answer answer = get(path);
            assertThat(answer.status()).as(path).isEqualTo(401);
            assertThat(answer.body()).as(path).contains("\"resourceType\":\"OperationOutcome\"");
            // Stateless: no session is opened to remember the request for after a sign-in.
            assertThat(answer.response().headers().allValues("Set-Cookie"))
                    .as(path)
                    .isEmpty();
        }
        HttpResponse<String> post = http.send(
                HttpRequest.newBuilder(uri("/fhir/Slot"))
                        .header("Content-Type", "application/fhir+json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"resourceType\":\"Slot\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(401);
        assertThat(post.headers().allValues("Set-Cookie")).isEmpty();
    }

    record Answer(HttpResponse<String> response) {
        int status() {
            return response.statusCode();
        }

        String body() {
            return response.body();
        }

        String contentType() {
            return response.headers().firstValue("Content-Type").orElse("");
        }
    }

    private Answer get(String path) {
        try {
            return new Answer(
                    http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private URI uri(String path) {
        String query = path.contains("?") ? path.substring(path.indexOf('?') + 1) : null;
        String base = query == null ? path : path.substring(0, path.indexOf('?'));
        String encodedQuery = query == null
                ? ""
                : "?"
                        + java.util.Arrays.stream(query.split("&"))
                                .map(pair -> pair.contains("|") || pair.contains(" ") ? pair.replace("|", "%7C") : pair)
                                .collect(Collectors.joining("&"));
        return URI.create("http://127.0.0.1:" + port + base + encodedQuery);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
