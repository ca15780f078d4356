package org.carnet.apidocs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.OpenApiContract;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The document Carnet serves at /v3/api-docs: the committed copy that clients are generated from is
 * the same, and what integrators rely on is there for every operation.
 */
@CarnetIntegrationTest
class OpenApiDocumentIntegrationTest {

    /** The committed copy; the build generates the test client from it. */
    static final Path COMMITTED = Path.of("docs", "openapi", "carnet-v1.json");

    private static final JsonMapper JSON =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    @LocalServerPort
    int port;

    private JsonNode served;

    @BeforeEach
    void fetch() throws Exception {
        // Served here, not the committed copy the contract falls back to where the description is private:
        // a description that fails to render must fail this test, not compare the copy with itself.
        int status = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(
                                        java.net.URI.create("http://127.0.0.1:" + port + OpenApiContract.PATH))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding())
                .statusCode();
        assertThat(status).as("GET " + OpenApiContract.PATH).isEqualTo(200);
        served = OpenApiContract.of("http://127.0.0.1:" + port).document();
    }

    @Test
    void theCommittedCopyIsTheServedDocument() throws IOException {
        String pretty = JSON.writeValueAsString(served) + "\n";
        Path written = Path.of("target", "openapi", COMMITTED.getFileName().toString());
        Files.createDirectories(written.getParent());
        Files.writeString(written, pretty);
        if (Boolean.getBoolean("carnet.openapi.update")) {
            Files.writeString(COMMITTED, pretty);
        }
        assertThat(JSON.readTree(Files.readString(COMMITTED)))
                .as(
                        "%s differs from the served document (written to %s). If the change is meant, update the copy"
                                + " with ./mvnw verify -Dit.test=OpenApiDocumentIntegrationTest -Dcarnet.openapi.update=true"
                                + " and commit it with the change",
                        COMMITTED, written)
                .isEqualTo(served);
    }

    @Test
    void everyOperationIsDescribedTaggedAndAnswersErrorsAsProblemDetails() {
        List<String> tags = new ArrayList<>();
        served.path("tags").forEach(tag -> tags.add(tag.path("name").asString()));
        served.path("paths")
                .properties()
                .forEach(path -> path.getValue().properties().forEach(entry -> {
                    JsonNode operation = entry.getValue();
                    String what = entry.getKey() + " " + path.getKey();
                    assertThat(operation.path("operationId").asString())
                            .as(what)
                            .isNotBlank();
                    assertThat(operation.path("description").asString())
                            .as(what)
                            .isNotBlank();
                    assertThat(tags)
                            .as(what)
                            .contains(operation.path("tags").get(0).asString());
                    JsonNode responses = operation.path("responses");
                    assertThat(responses.propertyNames()).as(what).anyMatch(status -> status.startsWith("2"));
                    responses.properties().forEach(response -> {
                        if (response.getKey().startsWith("4")) {
                            assertThat(response.getValue()
                                            .at("/content/application~1problem+json/schema/$ref")
                                            .asString())
                                    .as(what + " " + response.getKey())
                                    .isEqualTo("#/components/schemas/Problem");
                        }
                    });
                    if (!operation.path("security").isEmpty()) {
                        assertThat(responses.at("/401/headers/WWW-Authenticate").isMissingNode())
                                .as(what + " 401")
                                .isFalse();
                    }
                    assertThat(operation.path("parameters").toString()).as(what).contains("Accept-Language");
                }));
    }

    @Test
    void signInAndRegistrationDocumentTheirRateLimitWithRetryAfter() {
        for (String path : List.of("/api/v1/auth/token", "/api/v1/patients")) {
            JsonNode tooMany = served.path("paths")
                    .path(path)
                    .path("post")
                    .path("responses")
                    .path("429");
            assertThat(tooMany.at("/headers/Retry-After/$ref").asString())
                    .as(path)
                    .isEqualTo("#/components/headers/Retry-After");
        }
        assertThat(served.at("/components/headers/Retry-After/required").asBoolean())
                .isTrue();
    }

    @Test
    void bookingDocumentsItsIdempotencyKeyItsConflictsAndTheNullableFieldsOfAnAppointment() {
        JsonNode book = served.at("/paths/~1api~1v1~1appointments/post");
        assertThat(book.path("parameters").toString()).contains("Idempotency-Key");
        assertThat(book.path("responses").propertyNames()).contains("201", "400", "401", "404", "409", "422");
        assertThat(book.path("security").toString()).contains("bearer");
        assertThat(served.at("/components/securitySchemes/bearer/scheme").asString())
                .isEqualTo("bearer");
        JsonNode appointment = served.at("/components/schemas/AppointmentView");
        for (String nullable : List.of("relativeId", "forWhom", "motive", "comment")) {
            assertThat(appointment
                            .path("properties")
                            .path(nullable)
                            .path("type")
                            .toString())
                    .as(nullable)
                    .contains("null");
        }
        assertThat(appointment.path("required").toString()).contains("\"id\"", "\"start\"", "\"status\"");
        assertThat(appointment.path("required").toString()).doesNotContain("forWhom");
    }

    @Test
    void examplesIllustrateRequestsAndResponses() {
        JsonNode request =
                served.at("/paths/~1api~1v1~1appointments/post/requestBody/content/application~1json/example");
        assertThat(request.has("slotId")).isTrue();
        assertThat(served.at("/paths/~1api~1v1~1appointments/post/responses/409/content/application~1problem+json"
                                + "/example/status")
                        .asInt())
                .isEqualTo(409);
    }
}
