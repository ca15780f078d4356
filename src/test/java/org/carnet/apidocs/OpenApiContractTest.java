package org.carnet.apidocs;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.util.List;
import java.util.Map;
import org.carnet.support.OpenApiContract;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The contract every API exchange of the integration tests is held to refuses what the document does not say. */
class OpenApiContractTest {

    private static final String DOCUMENT = """
            {"openapi": "3.1.0", "paths": {
              "/api/v1/things/{id}": {"post": {
                "parameters": [
                  {"name": "id", "in": "path", "required": true, "schema": {"type": "string", "format": "uuid"}},
                  {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 0}},
                  {"$ref": "#/components/parameters/Key"}],
                "requestBody": {"required": true, "content": {"application/json": {"schema": {
                  "type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}}}},
                "responses": {
                  "201": {"description": "made", "headers": {"Location": {"$ref": "#/components/headers/Location"}},
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}},
                  "409": {"description": "taken", "content": {"application/problem+json": {"schema": {
                    "type": "object", "required": ["type"], "properties": {"type": {"type": "string"}}}}}}}}}},
             "components": {
              "schemas": {"Thing": {"type": "object", "required": ["id", "label"], "properties": {
                "id": {"type": "string", "format": "uuid"}, "label": {"type": "string"},
                "note": {"type": ["string", "null"]}}}},
              "parameters": {"Key": {"name": "Key", "in": "header", "schema": {"type": "string", "maxLength": 4}}},
              "headers": {"Location": {"required": true, "schema": {"type": "string"}}}}}
            """;

    private static final String ID = "0b8f7c1e-5d2a-4c3b-9e6f-7a1d2c3b4e5f";
    private static final String THING = "{\"id\": \"" + ID + "\", \"label\": \"a\", \"note\": null}";

    private final OpenApiContract contract =
            new OpenApiContract(JsonMapper.builder().build().readTree(DOCUMENT));

    @Test
    void anExchangeAsDocumentedPasses() {
        assertThat(violations("/api/v1/things/" + ID + "?page=2", "{\"name\": \"x\"}", 201, location(), THING))
                .isEmpty();
        assertThat(violations("/api/v1/things/" + ID, "{\"name\": \"x\"}", 409, problemJson(), "{\"type\": \"t\"}"))
                .isEmpty();
    }

    @Test
    void anUndocumentedStatusFails() {
        assertThat(violations("/api/v1/things/" + ID, "{\"name\": \"x\"}", 422, problemJson(), "{\"type\": \"t\"}"))
                .singleElement()
                .asString()
                .contains("status not documented");
    }

    @Test
    void aBodyOffItsSchemaFails() {
        assertThat(violations(
                        "/api/v1/things/" + ID,
                        "{\"name\": \"x\"}",
                        201,
                        location(),
                        "{\"id\": \"" + ID + "\", \"label\": null}"))
                .singleElement()
                .asString()
                .contains("label");
        assertThat(violations("/api/v1/things/" + ID, "{\"name\": \"x\"}", 201, location(), "{\"id\": \"nope\"}"))
                .isNotEmpty();
    }

    @Test
    void anUndocumentedMediaTypeOrAMissingHeaderFails() {
        assertThat(violations("/api/v1/things/" + ID, "{\"name\": \"x\"}", 409, json(), "{\"type\": \"t\"}"))
                .singleElement()
                .asString()
                .contains("media type");
        assertThat(violations("/api/v1/things/" + ID, "{\"name\": \"x\"}", 201, json(), THING))
                .singleElement()
                .asString()
                .contains("Location");
    }

    @Test
    void aRequestTheDocumentCallsInvalidMustBeRefused() {
        for (String[] request : new String[][] {
            {"/api/v1/things/" + ID, "{}"},
            {"/api/v1/things/not-a-uuid", "{\"name\": \"x\"}"},
            {"/api/v1/things/" + ID + "?page=-1", "{\"name\": \"x\"}"},
            {"/api/v1/things/" + ID + "?page=abc", "{\"name\": \"x\"}"},
        }) {
            assertThat(violations(request[0], request[1], 201, location(), THING))
                    .as(request[0])
                    .singleElement()
                    .asString()
                    .contains("calls the request invalid");
            assertThat(violations(request[0], request[1], 409, problemJson(), "{\"type\": \"t\"}"))
                    .as(request[0])
                    .isEmpty();
        }
        assertThat(contract.violations(new OpenApiContract.Exchange(
                        "POST",
                        "/api/v1/things/" + ID,
                        Map.of("Key", "too long"),
                        "{\"name\": \"x\"}",
                        201,
                        location(),
                        THING)))
                .singleElement()
                .asString()
                .contains("parameter Key");
    }

    @Test
    void anUndocumentedOperationMayOnlyBeRefused() {
        assertThat(contract.violations(
                        new OpenApiContract.Exchange("GET", "/api/v1/nothing", Map.of(), null, 404, json(), "")))
                .isEmpty();
        assertThat(contract.violations(
                        new OpenApiContract.Exchange("GET", "/api/v1/things/" + ID, Map.of(), null, 200, json(), "{}")))
                .singleElement()
                .asString()
                .contains("does not describe");
    }

    private List<String> violations(String path, String body, int status, HttpHeaders headers, String answer) {
        return contract.violations(new OpenApiContract.Exchange("POST", path, Map.of(), body, status, headers, answer));
    }

    private static HttpHeaders json() {
        return headers(Map.of("Content-Type", List.of("application/json")));
    }

    private static HttpHeaders problemJson() {
        return headers(Map.of("Content-Type", List.of("application/problem+json")));
    }

    private static HttpHeaders location() {
        return headers(Map.of("Content-Type", List.of("application/json"), "Location", List.of("/api/v1/things/1")));
    }

    private static HttpHeaders headers(Map<String, List<String>> values) {
        return HttpHeaders.of(values, (name, value) -> true);
    }
}
