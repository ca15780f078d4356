package org.carnet.apidocs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.carnet.directory.Directory;
import org.carnet.identity.Logins;
import org.carnet.scheduling.Agendas;
import org.carnet.shared.Role;
import org.carnet.support.Api;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.carnet.support.OpenApiContract;
import org.carnet.support.Professionals;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Bad input at scale: a generator built from the OpenAPI document Carnet serves sends malformed and
 * hostile requests to every operation (hostile strings in path, query and body; wrong types, missing and
 * unknown fields, broken JSON, wrong media types, odd headers), as a patient, a practitioner, an
 * establishment administrator, a security officer and no one. Every answer must be below 500; an answer
 * of 400 or more must not echo the request's input (each hostile value carries a marker unique to the
 * request, looked for in the answer's body and headers); and a refused request must not change the
 * database (the row count of every table but the audit log, sessions, rate-limit buckets and the
 * asynchronous notification tables, compared before and after each refused write).
 *
 * <p>Seeded: {@code -Dcarnet.fuzz.seed=…} replays a run (the seed is printed), {@code
 * -Dcarnet.fuzz.requests-per-operation=…} (default 40, about 2,200 requests a database on each run of the suite; documented larger runs in docs/security.md) sizes it.
 */
@CarnetIntegrationTest
class HostileInputIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Tables whose rows a refused request may legitimately add, or that change on their own. */
    private static final Set<String> MAY_CHANGE = Set.of(
            "audit_log",
            "audit_chain_heads",
            "audit_checkpoints",
            "rate_limit_buckets",
            "spring_session",
            "spring_session_attributes",
            "event_publication",
            "notices",
            "inbox_messages",
            "outbox_messages",
            "message_verifications",
            "flyway_schema_history");

    /** Values that break naive parsers, queries, templates and logs; each gets the request's marker appended. */
    private static final List<String> HOSTILE = List.of(
            "' OR '1'='1",
            "1; DROP TABLE slots;--",
            "1 UNION SELECT NULL,NULL--",
            "\" OR \"\"=\"",
            "../../../../etc/passwd",
            "..%2f..%2f..%2fetc%2fpasswd",
            "<script>alert(1)</script>",
            "${jndi:ldap://127.0.0.1/x}",
            "{{7*7}}#{7*7}${7*7}",
            "\u0000nul",
            "line\r\nX-Injected: 1",
            "\uD83D\uDE00\u202E\uFEFF",
            "ＡＢＣ１２３",
            "-1",
            "99999999999999999999999999",
            "1e309",
            "NaN",
            "0x7fffffff",
            "null",
            "true",
            "[]",
            "{}",
            " ",
            "",
            "%",
            "\\",
            "a".repeat(10_000));

    /** Operations that would end the caller's own token or account: sent without a token only. */
    private static final Set<String> ENDS_THE_CALLER = Set.of("DELETE /api/v1/auth/token", "POST /api/v1/me/erasure");

    @Value("${local.server.port}")
    int port;

    @Value("${carnet.fuzz.seed:0}")
    long seedProperty;

    @Value("${carnet.fuzz.requests-per-operation:40}")
    int perOperation;

    @Autowired
    Directory directory;

    @Autowired
    Agendas agendas;

    @Autowired
    Logins logins;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    JdbcClient jdbc;

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    @Test
    void noOperationAnswers5xxEchoesItsInputOrChangesStateWhenItRefuses() throws Exception {
        long seed = seedProperty != 0 ? seedProperty : System.nanoTime();
        System.out.println(
                "HostileInputIntegrationTest seed " + seed + " (-Dcarnet.fuzz.seed=" + seed + " replays it)");
        Random random = new Random(seed);

        Api api = new Api(port);
        Fixtures.Agenda agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        UUID establishment = agenda.establishment().id();
        Professionals professionals = new Professionals(logins, transactions);
        List<String> tokens = new ArrayList<>();
        tokens.add(null);
        tokens.add(Fixtures.aPatient(api).token());
        tokens.add(api.token(professionals.practitioner(agenda.practitioner().id(), establishment)));
        tokens.add(api.token(professionals.staff(Role.ESTABLISHMENT_ADMIN, establishment)));
        tokens.add(api.token(professionals.staff(Role.SECURITY_OFFICER, establishment)));

        JsonNode document = OpenApiContract.of("http://127.0.0.1:" + port).document();
        List<Operation> operations = operations(document);
        assertThat(operations).as("operations in the OpenAPI document").hasSizeGreaterThan(40);

        String countQuery = countQuery();
        Map<String, Long> counts = counts(countQuery);
        List<String> failures = new ArrayList<>();
        Map<Integer, Integer> statuses = new TreeMap<>();
        int sent = 0;
        for (Operation operation : operations) {
            for (int i = 0; i < perOperation && failures.size() < 20; i++) {
                String marker = "zqx" + Integer.toString(sent, 36) + "q";
                Request request = hostile(operation, document, random, marker);
                String token = ENDS_THE_CALLER.contains(operation.method() + " " + operation.template())
                        ? null
                        : tokens.get(random.nextInt(tokens.size()));
                HttpResponse<String> answer = send(request, token);
                sent++;
                statuses.merge(answer.statusCode(), 1, Integer::sum);
                String what = request.method() + " " + operation.template() + " (" + request.kind() + ", seed " + seed
                        + ", request " + sent + ")";
                if (answer.statusCode() >= 500) {
                    failures.add(what + " answered " + answer.statusCode());
                }
                if (answer.statusCode() >= 400 && echoes(answer, marker)) {
                    failures.add(what + " echoed its input in a " + answer.statusCode());
                }
                if (!request.method().equals("GET")) {
                    Map<String, Long> after = counts(countQuery);
                    if (answer.statusCode() >= 400 && !after.equals(counts)) {
                        failures.add(what + " was refused with " + answer.statusCode() + " but changed "
                                + changed(counts, after));
                    }
                    counts = after;
                }
            }
        }
        System.out.println("HostileInputIntegrationTest: " + sent + " requests to " + operations.size()
                + " operations; statuses " + statuses);
        assertThat(failures).as("hostile requests mishandled (seed %d)", seed).isEmpty();
        assertThat(sent).as("requests sent").isGreaterThanOrEqualTo(operations.size() * perOperation);
    }

    private record Operation(String method, String template, JsonNode definition) {}

    private record Request(String method, String path, Map<String, String> headers, String body, String kind) {}

    private static List<Operation> operations(JsonNode document) {
        List<Operation> operations = new ArrayList<>();
        document.path("paths")
                .properties()
                .forEach(path -> path.getValue().properties().forEach(method -> {
                    if (Set.of("get", "post", "put", "patch", "delete").contains(method.getKey())) {
                        operations.add(new Operation(
                                method.getKey().toUpperCase(Locale.ROOT), path.getKey(), method.getValue()));
                    }
                }));
        return operations;
    }

    /** One hostile request for this operation: which part is hostile is drawn at random. */
    private static Request hostile(Operation operation, JsonNode document, Random random, String marker) {
        Map<String, String> headers = new LinkedHashMap<>();
        Map<String, String> query = new LinkedHashMap<>();
        String path = operation.template();
        List<JsonNode> parameters = new ArrayList<>();
        operation.definition().path("parameters").forEach(p -> parameters.add(resolve(document, p)));
        int kind = random.nextInt(6);
        String kindName;
        // Parameters: sensible by default (a random UUID, a plausible value), one of them hostile in some kinds.
        for (JsonNode parameter : parameters) {
            String name = parameter.path("name").asString();
            String in = parameter.path("in").asString();
            boolean makeHostile = (kind == 0 || kind == 1) && random.nextBoolean();
            String value = makeHostile
                    ? hostileValue(random, marker)
                    : plausible(resolve(document, parameter.path("schema")), random);
            switch (in) {
                case "path" ->
                    path = path.replace(
                            "{" + name + "}",
                            URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20"));
                case "query" -> query.put(name, value);
                case "header" -> {
                    if (!value.contains("\r") && !value.contains("\n") && !value.contains("\u0000")) {
                        headers.put(name, ascii(value));
                    }
                }
                default -> {}
            }
        }
        path = path.replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
        JsonNode schema = resolve(document, operation.definition().at("/requestBody/content/application~1json/schema"));
        String body = null;
        switch (kind) {
            case 0 -> {
                kindName = "hostile path parameter";
                if (!schema.isMissingNode()) {
                    body = JSON.writeValueAsString(instance(document, schema, random, 0));
                }
            }
            case 1 -> {
                kindName = "hostile query";
                query.put(hostileName(random), hostileValue(random, marker));
                if (!schema.isMissingNode()) {
                    body = JSON.writeValueAsString(instance(document, schema, random, 0));
                }
            }
            case 2, 3 -> {
                kindName = "hostile field";
                JsonNode instance = schema.isMissingNode() ? NODES.objectNode() : instance(document, schema, random, 0);
                body = JSON.writeValueAsString(mutate(instance, random, marker));
            }
            case 4 -> {
                kindName = "broken body";
                body = brokenBody(random, marker);
            }
            default -> {
                kindName = "odd headers";
                headers.put("Idempotency-Key", ascii(hostileValue(random, marker)));
                headers.put("Accept", random.nextBoolean() ? "application/xml" : "*/*;q=" + marker);
                headers.put("Accept-Language", "xx-" + marker);
                if (!schema.isMissingNode()) {
                    body = JSON.writeValueAsString(instance(document, schema, random, 0));
                }
            }
        }
        if (body != null) {
            headers.putIfAbsent(
                    "Content-Type",
                    kind == 4 && random.nextInt(4) == 0 ? "text/plain; charset=" + marker : "application/json");
        }
        String queryString = query.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return new Request(
                operation.method(), queryString.isEmpty() ? path : path + "?" + queryString, headers, body, kindName);
    }

    private static String hostileValue(Random random, String marker) {
        return HOSTILE.get(random.nextInt(HOSTILE.size())) + marker;
    }

    private static String hostileName(Random random) {
        return List.of("id", "sort", "page", "size", "limit", "order", "filter", "callback", "__proto__", "$where")
                .get(random.nextInt(10));
    }

    /** Header values must be ASCII without controls; anything else becomes '?'. */
    private static String ascii(String value) {
        StringBuilder out = new StringBuilder();
        for (char c : value.toCharArray()) {
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return out.length() > 4000 ? out.substring(0, 4000) : out.toString();
    }

    /** A value the parameter's schema allows, roughly: what a client that means well would send. */
    private static String plausible(JsonNode schema, Random random) {
        JsonNode value = instance(null, schema, random, 0);
        return value.isString() ? value.asString() : value.toString();
    }

    /** An instance of the schema, roughly valid: required and some optional properties, plausible values. */
    private static JsonNode instance(JsonNode document, JsonNode schema, Random random, int depth) {
        JsonNode resolved = document == null ? schema : resolve(document, schema);
        if (resolved.has("oneOf") || resolved.has("anyOf")) {
            JsonNode choices = resolved.has("oneOf") ? resolved.get("oneOf") : resolved.get("anyOf");
            return instance(document, choices.get(random.nextInt(choices.size())), random, depth + 1);
        }
        if (resolved.has("allOf")) {
            ObjectNode merged = NODES.objectNode();
            for (JsonNode part : resolved.get("allOf")) {
                JsonNode piece = instance(document, part, random, depth + 1);
                if (piece.isObject()) {
                    merged.setAll((ObjectNode) piece);
                }
            }
            return merged;
        }
        if (resolved.has("enum") && resolved.get("enum").size() > 0) {
            return resolved.get("enum").get(random.nextInt(resolved.get("enum").size()));
        }
        String type = resolved.path("type").isArray()
                ? resolved.path("type").get(0).asString()
                : resolved.path("type").asString("object");
        String format = resolved.path("format").asString("");
        return switch (type) {
            case "string" ->
                NODES.stringNode(
                        switch (format) {
                            case "uuid" -> UUID.randomUUID().toString();
                            case "date" -> "2027-0" + (1 + random.nextInt(9)) + "-1" + random.nextInt(10);
                            case "date-time" -> "2027-01-1" + random.nextInt(10) + "T10:00:00Z";
                            case "email" -> "fuzz-" + random.nextInt(1000) + "@example.test";
                            default -> "fuzz" + random.nextInt(1000);
                        });
            case "integer" -> NODES.numberNode(random.nextInt(50));
            case "number" -> NODES.numberNode(random.nextDouble() * 100);
            case "boolean" -> NODES.booleanNode(random.nextBoolean());
            case "array" -> {
                ArrayNode array = NODES.arrayNode();
                if (depth < 4) {
                    int n = random.nextInt(3);
                    for (int i = 0; i < n; i++) {
                        array.add(instance(document, resolved.path("items"), random, depth + 1));
                    }
                }
                yield array;
            }
            default -> {
                ObjectNode object = NODES.objectNode();
                if (depth < 4) {
                    Set<String> required = new java.util.HashSet<>();
                    resolved.path("required").forEach(r -> required.add(r.asString()));
                    resolved.path("properties").properties().forEach(property -> {
                        if (required.contains(property.getKey()) || random.nextInt(3) == 0) {
                            object.set(property.getKey(), instance(document, property.getValue(), random, depth + 1));
                        }
                    });
                }
                yield object;
            }
        };
    }

    /** The instance with one thing wrong: a hostile or mistyped value, a field missing or unknown, deep nesting. */
    private static JsonNode mutate(JsonNode instance, Random random, String marker) {
        if (!instance.isObject() || instance.isEmpty() || random.nextInt(5) == 0) {
            return switch (random.nextInt(4)) {
                case 0 -> NODES.stringNode(hostileValue(random, marker));
                case 1 -> deep(200, marker);
                case 2 -> NODES.arrayNode().add(instance).add(marker);
                default -> {
                    ObjectNode unknown = instance.isObject() ? ((ObjectNode) instance).deepCopy() : NODES.objectNode();
                    unknown.put(hostileName(random) + marker, hostileValue(random, marker));
                    yield unknown;
                }
            };
        }
        ObjectNode object = ((ObjectNode) instance).deepCopy();
        List<String> names = new ArrayList<>();
        Iterator<String> it = object.propertyNames().iterator();
        it.forEachRemaining(names::add);
        String name = names.get(random.nextInt(names.size()));
        switch (random.nextInt(7)) {
            case 0 -> object.remove(name);
            case 1 -> object.put(name, random.nextBoolean() ? Long.MAX_VALUE : Long.MIN_VALUE);
            case 2 -> object.set(name, NODES.nullNode());
            case 3 -> object.set(name, NODES.arrayNode().add(hostileValue(random, marker)));
            case 4 -> object.set(name, NODES.objectNode().put(marker, hostileValue(random, marker)));
            case 5 -> object.put(name, 1e308 * (random.nextBoolean() ? 1 : -1));
            default -> object.put(name, hostileValue(random, marker));
        }
        return object;
    }

    private static JsonNode deep(int depth, String marker) {
        JsonNode node = NODES.stringNode(marker);
        for (int i = 0; i < depth; i++) {
            node = NODES.arrayNode().add(node);
        }
        return node;
    }

    private static String brokenBody(Random random, String marker) {
        return switch (random.nextInt(8)) {
            case 0 -> "{\"" + marker + "\":";
            case 1 -> "{\"slotId\": \"" + marker + "\", \"slotId\": 1}";
            case 2 ->
                "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;" + marker
                        + "</x>";
            case 3 -> "\uFEFF{\"a\":\"" + marker + "\"}";
            case 4 -> "[" + "{".repeat(5_000) + marker;
            case 5 -> "\"" + marker + "\\ud800\"";
            case 6 -> "{\"a\":1" + ", \"b\":2".repeat(20_000) + ", \"" + marker + "\":3}";
            default -> marker + "\u0000\u0001\u0002";
        };
    }

    private static JsonNode resolve(JsonNode document, JsonNode node) {
        JsonNode current = node;
        for (int i = 0; i < 10 && current.has("$ref"); i++) {
            current = document.at(current.get("$ref").asString().substring(1));
        }
        return current;
    }

    private HttpResponse<String> send(Request request, String token) throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + request.path()))
                .timeout(Duration.ofSeconds(60))
                .method(
                        request.method(),
                        request.body() == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(request.body()));
        request.headers().forEach(builder::header);
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static boolean echoes(HttpResponse<String> answer, String marker) {
        String body = answer.body() == null ? "" : answer.body().toLowerCase(Locale.ROOT);
        if (body.contains(marker)) {
            return true;
        }
        return answer.headers().map().entrySet().stream()
                .flatMap(e -> e.getValue().stream())
                .anyMatch(v -> v.toLowerCase(Locale.ROOT).contains(marker));
    }

    private String countQuery() {
        List<String> tables = jdbc
                .sql("SELECT table_name FROM information_schema.tables"
                        + " WHERE table_schema = current_schema() AND table_type IN ('BASE TABLE', 'TABLE')")
                .query(String.class)
                .list()
                .stream()
                .map(t -> t.toLowerCase(Locale.ROOT))
                .filter(t -> !MAY_CHANGE.contains(t))
                .sorted()
                .toList();
        assertThat(tables).as("tables watched for changes").hasSizeGreaterThan(20);
        return tables.stream()
                .map(t -> "SELECT '" + t + "' AS t, COUNT(*) AS n FROM " + t)
                .collect(Collectors.joining(" UNION ALL "));
    }

    private Map<String, Long> counts(String query) {
        Map<String, Long> counts = new TreeMap<>();
        jdbc.sql(query)
                .query((row, n) -> counts.put(row.getString(1), row.getLong(2)))
                .list();
        return counts;
    }

    private static String changed(Map<String, Long> before, Map<String, Long> after) {
        return after.entrySet().stream()
                .filter(e -> !e.getValue().equals(before.get(e.getKey())))
                .map(e -> e.getKey() + " " + before.get(e.getKey()) + " -> " + e.getValue())
                .collect(Collectors.joining(", "));
    }
}
