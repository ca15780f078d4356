package org.carnet.apidocs;

import static org.carnet.apidocs.ApiDocsConfiguration.ACCEPT_LANGUAGE;
import static org.carnet.apidocs.ApiDocsConfiguration.FIELD_ERROR;
import static org.carnet.apidocs.ApiDocsConfiguration.LOCATION;
import static org.carnet.apidocs.ApiDocsConfiguration.PROBLEM;
import static org.carnet.apidocs.ApiDocsConfiguration.RETRY_AFTER;
import static org.carnet.apidocs.ApiDocsConfiguration.WWW_AUTHENTICATE;
import static org.carnet.apidocs.ApiDocsConfiguration.types;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.JsonSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Completes every operation the same way, so that controllers only list the statuses peculiar to
 * them: the statuses every operation of a kind can answer (400 when it takes input, 401 when it needs
 * a token), the problem-details body of every error, the headers that go with a status
 * (WWW-Authenticate, Retry-After, Location), JSON rather than any media type for success bodies, and
 * the Accept-Language header.
 */
@Component
@Order(1)
class ProblemResponses implements OpenApiCustomizer {

    static final String PROBLEM_JSON = "application/problem+json";
    static final String JSON = "application/json";
    static final String TYPE_BASE = "https://carnet.example/problems/";

    /** The description of a status no controller explains, and a typical problem it answers. */
    private record Usual(String description, String type, String title, String detail) {}

    private static final Map<String, Usual> USUAL = Map.of(
            "400",
            new Usual(
                    "Invalid request: `errors` lists each invalid field (malformed-body when the body is not JSON of"
                            + " the documented shape).",
                    "invalid-request",
                    "Invalid request",
                    "One or more fields are invalid."),
            "401",
            new Usual("No valid bearer token.", "unauthorized", "Unauthorized", "A valid bearer token is required."),
            "403",
            new Usual("The caller's role may not do this.", "forbidden", "Forbidden", "Not allowed."),
            "404",
            new Usual(
                    "Not found, or not the caller's to see (the same answer).",
                    "not-found",
                    "Not found",
                    "Appointment not found"),
            "409",
            new Usual("Conflicts with the current state.", "conflict", "Conflict", "This slot is no longer available"),
            "410",
            new Usual(
                    "Destroyed for good: the keys of its establishment were destroyed when it left Carnet.",
                    "data-destroyed",
                    "Data destroyed",
                    "The data keys of this establishment were destroyed: its sealed data can no longer be read or"
                            + " written."),
            "422",
            new Usual(
                    "Well-formed but cannot be processed.",
                    "unprocessable",
                    "Unprocessable request",
                    "This Idempotency-Key was already used for a different booking request"),
            "423",
            new Usual(
                    "The establishment is read-only for the time of a security incident: its patients' data and"
                            + " agenda can be read, not changed, until the security officer lifts it.",
                    "establishment-read-only",
                    "Establishment read-only",
                    "This establishment is read-only for the time of a security incident: its patients' data and"
                            + " agenda can be read but not changed. Try again once the security officer lifts it."),
            "429",
            new Usual(
                    "Too many attempts from this address: wait for Retry-After seconds.",
                    "too-many-attempts",
                    "Too many attempts",
                    "Too many sign-in attempts from this address; retry later."),
            "503",
            new Usual(
                    "Too many passwords are being checked at once: wait for Retry-After seconds.",
                    "busy",
                    "Busy",
                    "Too many sign-ins at once; retry in a moment."));

    @Override
    public void customise(OpenAPI openApi) {
        if (openApi.getPaths() == null) {
            return;
        }
        if (openApi.getComponents() == null) {
            openApi.setComponents(new Components());
        }
        openApi.getComponents().addSchemas(PROBLEM, problem()).addSchemas(FIELD_ERROR, fieldError());
        openApi.getPaths().values().forEach(path -> path.readOperations().forEach(ProblemResponses::complete));
    }

    private static void complete(Operation operation) {
        ApiResponses responses = operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
        boolean takesInput = operation.getRequestBody() != null
                || (operation.getParameters() != null
                        && !operation.getParameters().isEmpty());
        if (takesInput) {
            responses.putIfAbsent("400", new ApiResponse());
        }
        if (operation.getSecurity() != null && !operation.getSecurity().isEmpty()) {
            responses.putIfAbsent("401", new ApiResponse());
        }
        responses.forEach(ProblemResponses::complete);
        ApiResponses sorted = new ApiResponses();
        new TreeMap<>(responses).forEach(sorted::addApiResponse);
        operation.setResponses(sorted);

        List<Parameter> parameters =
                new ArrayList<>(operation.getParameters() == null ? List.of() : operation.getParameters());
        parameters.add(new Parameter().$ref("#/components/parameters/" + ACCEPT_LANGUAGE));
        operation.setParameters(parameters);
    }

    private static void complete(String status, ApiResponse response) {
        Usual usual = USUAL.get(status);
        if (response.getDescription() == null || response.getDescription().isBlank()) {
            response.setDescription(usual != null ? usual.description() : "OK");
        }
        if (status.startsWith("2")) {
            anyToJson(response);
            if (status.equals("201")) {
                header(response, LOCATION);
            }
            return;
        }
        if (status.equals("304")) {
            // Not modified: no body at all (springdoc would give it the method's return type).
            response.setContent(null);
            return;
        }
        if (response.getContent() == null || !response.getContent().containsKey(PROBLEM_JSON)) {
            // springdoc gives an annotated error status the controller method's return type: errors are problems.
            MediaType problem = new MediaType().schema(new JsonSchema().$ref("#/components/schemas/" + PROBLEM));
            if (usual != null) {
                problem.setExample(example(status, usual));
            }
            response.setContent(new Content().addMediaType(PROBLEM_JSON, problem));
        }
        if (status.equals("401")) {
            header(response, WWW_AUTHENTICATE);
        }
        if (status.equals("429") || status.equals("503")) {
            header(response, RETRY_AFTER);
        }
    }

    /** RFC 7807 problem details as Spring renders them, with Carnet's {@code errors} list. */
    static Schema<?> problem() {
        Map<String, Schema> properties = new LinkedHashMap<>();
        properties.put(
                "type",
                types("string")
                        .format("uri")
                        .description("Identifies the kind of problem, e.g. https://carnet.example/problems/conflict"));
        properties.put("title", types("string").description("A short summary of the kind of problem."));
        properties.put("status", types("integer").description("The HTTP status code."));
        properties.put("detail", types("string").description("What went wrong, without echoing the request."));
        properties.put(
                "instance",
                types("string")
                        .format("uri-reference")
                        .description("Not sent by Carnet: the request's path, which Spring would put here, may"
                                + " carry what the client sent."));
        properties.put(
                "errors",
                types("array")
                        .description("Validation errors: one entry per invalid field.")
                        .items(new JsonSchema().$ref("#/components/schemas/" + FIELD_ERROR)));
        return types("object")
                .description("An RFC 7807 problem detail.")
                .properties(properties)
                .required(List.of("type", "title", "status"));
    }

    static Schema<?> fieldError() {
        Map<String, Schema> properties = new LinkedHashMap<>();
        properties.put("field", types("string").description("The field, query parameter or header at fault."));
        properties.put("message", types("string", "null").description("The rule it breaks."));
        return types("object").properties(properties).required(List.of("field", "message"));
    }

    /** springdoc's {@code *}/{@code *} for a controller's return value: the API answers JSON. */
    private static void anyToJson(ApiResponse response) {
        Content content = response.getContent();
        if (content == null || !content.containsKey("*/*")) {
            return;
        }
        Content json = new Content();
        content.forEach((type, media) -> json.addMediaType(type.equals("*/*") ? JSON : type, media));
        response.setContent(json);
    }

    private static void header(ApiResponse response, String name) {
        if (response.getHeaders() == null || !response.getHeaders().containsKey(name)) {
            response.addHeaderObject(name, new Header().$ref("#/components/headers/" + name));
        }
    }

    private static Map<String, Object> example(String status, Usual usual) {
        Map<String, Object> example = new LinkedHashMap<>();
        example.put("type", TYPE_BASE + usual.type());
        example.put("title", usual.title());
        example.put("status", Integer.parseInt(status));
        example.put("detail", usual.detail());
        if (status.equals("400")) {
            Map<String, Object> error = new LinkedHashMap<>(); // in this order in every document
            error.put("field", "slotId");
            error.put("message", "must not be null");
            example.put("errors", List.of(error));
        }
        return example;
    }
}
