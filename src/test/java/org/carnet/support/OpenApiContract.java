package org.carnet.support;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The OpenAPI document a running Carnet serves, as a contract every API exchange of the tests is held
 * to (see {@link Api}): the operation must be documented, and so must the status it answered, its
 * media type, its body (validated against the document's JSON Schema with networknt's validator,
 * formats asserted) and the headers the document says it carries. A request the document calls
 * invalid (a missing required parameter, a body off its schema) must be refused with a 4xx; a
 * request to an operation the document does not have may only be refused.
 */
public final class OpenApiContract {

    /** Where the document is served, and the base its schemas are resolved against. */
    public static final String PATH = "/v3/api-docs";

    private static final String BASE = "https://carnet.test" + PATH;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Map<String, OpenApiContract> BY_SERVER = new ConcurrentHashMap<>();

    /** Every documented response an exchange of this test run has matched ("METHOD /template status"). */
    private static final Set<String> EXERCISED = ConcurrentHashMap.newKeySet();

    /** Where the run's list of documented responses, exercised or not, is written when the tests end. */
    private static final Path COVERAGE = Path.of("target", "openapi", "exercised-responses.txt");

    private record Route(String method, String template, Pattern pattern, List<String> names, JsonNode operation) {}

    /** One exchange, as the test client saw it. */
    public record Exchange(
            String method,
            String pathAndQuery,
            Map<String, String> requestHeaders,
            String requestBody,
            int status,
            java.net.http.HttpHeaders responseHeaders,
            String responseBody) {}

    private final JsonNode document;
    private final SchemaRegistry registry;
    private final List<Route> routes = new ArrayList<>();
    private final Map<JsonNode, Schema> schemas = new IdentityHashMap<>();

    public OpenApiContract(JsonNode document) {
        this.document = document;
        this.registry = SchemaRegistry.withDefaultDialect(
                SpecificationVersion.DRAFT_2020_12,
                registry -> registry.schemas(Map.of(BASE, JSON.writeValueAsString(document)))
                        .schemaRegistryConfig(SchemaRegistryConfig.builder()
                                .formatAssertionsEnabled(true)
                                .build()));
        document.path("paths")
                .properties()
                .forEach(path -> path.getValue()
                        .properties()
                        .forEach(operation ->
                                routes.add(route(operation.getKey(), path.getKey(), operation.getValue()))));
        // Literal paths before templated ones: /api/v1/me/appointments is not /api/v1/appointments/{id}.
        routes.sort(Comparator.comparingInt((Route r) -> r.names().size()));
        // Every schema compiled now, so that no exchange a test times pays for it.
        routes.forEach(route -> {
            route.operation().at("/requestBody/content").forEach(media -> schema(media.path("schema")));
            route.operation()
                    .path("responses")
                    .forEach(response ->
                            resolve(response).path("content").forEach(media -> schema(media.path("schema"))));
            route.operation()
                    .path("parameters")
                    .forEach(parameter -> schema(resolve(parameter).path("schema")));
        });
    }

    /** The document served by the Carnet at {@code server} (fetched once per server). */
    public static OpenApiContract of(String server) {
        return BY_SERVER.computeIfAbsent(server, s -> {
            OpenApiContract contract = fetch(s);
            if (BY_SERVER.isEmpty()) {
                Runtime.getRuntime().addShutdownHook(new Thread(contract::writeCoverage));
            }
            return contract;
        });
    }

    public JsonNode document() {
        return document;
    }

    /** What is wrong with this exchange by the document; empty when it conforms. */
    public List<String> violations(Exchange exchange) {
        String path = exchange.pathAndQuery().split("\\?", 2)[0];
        if (!path.startsWith("/api/")) {
            return List.of();
        }
        String method = exchange.method().toLowerCase(Locale.ROOT);
        Optional<Route> found = routes.stream()
                .filter(r ->
                        r.method().equals(method) && r.pattern().matcher(path).matches())
                .findFirst();
        String what = exchange.method() + " " + path + " → " + exchange.status();
        if (found.isEmpty()) {
            return exchange.status() >= 400 && exchange.status() < 500
                    ? List.of()
                    : List.of(what + ": an operation the document does not describe answered");
        }
        Route route = found.get();
        what = exchange.method() + " " + route.template() + " → " + exchange.status();
        List<String> violations = new ArrayList<>();
        List<String> badRequest = requestViolations(route, path, exchange);
        if (!badRequest.isEmpty() && (exchange.status() < 400 || exchange.status() >= 500)) {
            badRequest.forEach(v -> violations.add("the document calls the request invalid (" + v + ") yet"));
        }
        violations.addAll(responseViolations(route, exchange));
        String prefix = what + ": ";
        return violations.stream().map(v -> prefix + v).toList();
    }

    private List<String> requestViolations(Route route, String path, Exchange exchange) {
        List<String> violations = new ArrayList<>();
        Matcher matcher = route.pattern().matcher(path);
        matcher.matches();
        Map<String, String> pathValues = new HashMap<>();
        for (int i = 0; i < route.names().size(); i++) {
            pathValues.put(route.names().get(i), URLDecoder.decode(matcher.group(i + 1), StandardCharsets.UTF_8));
        }
        Map<String, String> query = query(exchange.pathAndQuery());
        for (JsonNode parameter : route.operation().path("parameters")) {
            JsonNode p = resolve(parameter);
            String name = p.path("name").asString();
            String value = switch (p.path("in").asString()) {
                case "path" -> pathValues.get(name);
                case "query" -> query.get(name);
                case "header" -> header(exchange.requestHeaders(), name);
                default -> null;
            };
            if (value == null) {
                if (p.path("required").asBoolean(false)) {
                    violations.add("required " + p.path("in").asString() + " parameter " + name + " is missing");
                }
                continue;
            }
            JsonNode schema = p.path("schema");
            validate(schema, parameterValue(schema, value))
                    .forEach(e -> violations.add("parameter " + name + ": " + e));
        }
        JsonNode body = route.operation().path("requestBody");
        boolean sent = exchange.requestBody() != null && !exchange.requestBody().isEmpty();
        if (!body.isMissingNode()) {
            body = resolve(body);
            if (!sent && body.path("required").asBoolean(false)) {
                violations.add("the required body is missing");
            }
            JsonNode media = body.path("content").path("application/json");
            if (sent && !media.isMissingNode()) {
                JsonNode value = parse(exchange.requestBody());
                if (value == null) {
                    violations.add("the body is not JSON");
                } else {
                    validate(media.path("schema"), value).forEach(e -> violations.add("body " + e));
                }
            }
        }
        return violations;
    }

    private List<String> responseViolations(Route route, Exchange exchange) {
        JsonNode responses = route.operation().path("responses");
        JsonNode response = responses.path(Integer.toString(exchange.status()));
        if (response.isMissingNode()) {
            response = responses.path("default");
        }
        if (response.isMissingNode()) {
            return List.of("status not documented (documented: " + names(responses) + ")");
        }
        EXERCISED.add(route.method().toUpperCase(Locale.ROOT) + " " + route.template() + " " + exchange.status());
        response = resolve(response);
        List<String> violations = new ArrayList<>();
        for (Map.Entry<String, JsonNode> header : response.path("headers").properties()) {
            if (resolve(header.getValue()).path("required").asBoolean(false)
                    && exchange.responseHeaders().firstValue(header.getKey()).isEmpty()) {
                violations.add("documented header " + header.getKey() + " missing");
            }
        }
        JsonNode content = response.path("content");
        boolean hasBody =
                exchange.responseBody() != null && !exchange.responseBody().isEmpty();
        if (!hasBody) {
            if (!content.isMissingNode() && !content.isEmpty()) {
                violations.add("empty body where the document promises " + names(content));
            }
            return violations;
        }
        if (content.isMissingNode() || content.isEmpty()) {
            violations.add("a body where the document promises none");
            return violations;
        }
        String contentType = exchange.responseHeaders()
                .firstValue("Content-Type")
                .map(t -> t.split(";", 2)[0].strip().toLowerCase(Locale.ROOT))
                .orElse("");
        JsonNode media = content.path(contentType);
        if (media.isMissingNode()) {
            violations.add("media type '" + contentType + "' not documented (documented: " + names(content) + ")");
            return violations;
        }
        if (contentType.equals("application/json") || contentType.endsWith("+json")) {
            JsonNode value = parse(exchange.responseBody());
            if (value == null) {
                violations.add("the body is not JSON");
            } else {
                validate(media.path("schema"), value).forEach(e -> violations.add("body " + e));
            }
        }
        return violations;
    }

    /** Lists each documented response, marked with whether any exchange of this run answered it. */
    private void writeCoverage() {
        List<String> lines = new ArrayList<>();
        routes.stream()
                .sorted(Comparator.comparing(Route::template).thenComparing(Route::method))
                .forEach(route -> route.operation()
                        .path("responses")
                        .propertyNames()
                        .forEach(status -> {
                            String response =
                                    route.method().toUpperCase(Locale.ROOT) + " " + route.template() + " " + status;
                            lines.add((EXERCISED.contains(response) ? "exercised       " : "not exercised   ")
                                    + response);
                        }));
        try {
            Files.createDirectories(COVERAGE.getParent());
            Files.write(COVERAGE, lines);
        } catch (IOException e) {
            // A report only: the run's outcome does not depend on it.
        }
    }

    /** A query or header value as the JSON value its schema describes (query strings carry only text). */
    private JsonNode parameterValue(JsonNode schema, String value) {
        JsonNode types = resolve(schema).path("type");
        String text = types.isArray() && !types.isEmpty() ? types.get(0).asString() : types.asString("string");
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        try {
            return switch (text) {
                case "integer" -> nodes.numberNode(Long.parseLong(value));
                case "number" -> nodes.numberNode(new java.math.BigDecimal(value));
                case "boolean" ->
                    value.equals("true") || value.equals("false")
                            ? nodes.booleanNode(Boolean.parseBoolean(value))
                            : nodes.stringNode(value);
                default -> nodes.stringNode(value);
            };
        } catch (NumberFormatException e) {
            return nodes.stringNode(value);
        }
    }

    private List<String> validate(JsonNode schemaNode, JsonNode value) {
        List<Error> errors = schema(schemaNode).validate(value);
        // The validator's messages name the location and the rule, never the value.
        return errors.stream().map(Error::toString).toList();
    }

    private Schema schema(JsonNode node) {
        synchronized (schemas) {
            return schemas.computeIfAbsent(node, n -> registry.getSchema(absoluteRefs(n)));
        }
    }

    /** A copy of a part of the document whose {@code #/…} references point into the whole document. */
    private static JsonNode absoluteRefs(JsonNode node) {
        JsonNode copy = node.deepCopy();
        rewrite(copy);
        return copy;
    }

    private static void rewrite(JsonNode node) {
        if (node instanceof ObjectNode object) {
            JsonNode ref = object.get("$ref");
            if (ref != null && ref.isString() && ref.asString().startsWith("#")) {
                object.put("$ref", BASE + ref.asString());
            }
        }
        for (JsonNode child : node) {
            rewrite(child);
        }
    }

    private JsonNode resolve(JsonNode node) {
        JsonNode current = node;
        for (int depth = 0; depth < 10 && current.has("$ref"); depth++) {
            current = document.at(current.get("$ref").asString().substring(1));
        }
        return current;
    }

    private static Route route(String method, String template, JsonNode operation) {
        List<String> names = new ArrayList<>();
        Matcher variables = Pattern.compile("\\{([^}]+)}").matcher(template);
        StringBuilder regex = new StringBuilder();
        int last = 0;
        while (variables.find()) {
            regex.append(Pattern.quote(template.substring(last, variables.start())))
                    .append("([^/]+)");
            names.add(variables.group(1));
            last = variables.end();
        }
        regex.append(Pattern.quote(template.substring(last)));
        return new Route(method, template, Pattern.compile(regex.toString()), names, operation);
    }

    private static Map<String, String> query(String pathAndQuery) {
        Map<String, String> values = new HashMap<>();
        int start = pathAndQuery.indexOf('?');
        if (start < 0) {
            return values;
        }
        for (String pair : pathAndQuery.substring(start + 1).split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            String[] kv = pair.split("=", 2);
            values.putIfAbsent(
                    URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return values;
    }

    private static String header(Map<String, String> headers, String name) {
        return headers.entrySet().stream()
                .filter(h -> h.getKey().equalsIgnoreCase(name))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse(null);
    }

    private static String names(JsonNode object) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = object.propertyNames().iterator(); it.hasNext(); ) {
            names.add(it.next());
        }
        return String.join(", ", names);
    }

    private static JsonNode parse(String raw) {
        try {
            return JSON.readTree(raw);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static final java.nio.file.Path COMMITTED = java.nio.file.Path.of("docs", "openapi", "carnet-v1.json");

    private static OpenApiContract fetch(String server) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(server + PATH))
                                    .timeout(Duration.ofSeconds(60))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
                return new OpenApiContract(JSON.readTree(response.body()));
            }
            // A context where the description is not public (carnet.api.docs-public=false): the committed
            // copy, which OpenApiDocumentIntegrationTest keeps equal to the served document.
            if (Files.isRegularFile(COMMITTED)) {
                return new OpenApiContract(JSON.readTree(Files.readString(COMMITTED)));
            }
            throw new IllegalStateException(
                    "the OpenAPI document is not served at " + PATH + ": status " + response.statusCode());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
