package org.carnet.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small HTTP client for Carnet's JSON API, the way an outside tool would call it. Every exchange is
 * held to the OpenAPI document the server serves ({@link OpenApiContract}): one the document does not
 * describe fails the test that made it.
 */
public final class Api {

    public record Response(int status, JsonNode body, String raw, java.net.http.HttpHeaders headers) {
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;

    private final boolean behindLoadBalancer;

    public Api(int port) {
        this(port, false);
    }

    /**
     * A client of Carnet nodes behind a load balancer: the balancer's own 502 and 504 answers (a node gone)
     * are not Carnet's and are not checked against its OpenAPI document; everything else is.
     */
    public static Api behindLoadBalancer(int port) {
        return new Api(port, true);
    }

    private Api(int port, boolean behindLoadBalancer) {
        this.behindLoadBalancer = behindLoadBalancer;
        this.base = "http://127.0.0.1:" + port;
        // Fetched now rather than on the first call, which a test may be timing (the rate-limit tests do).
        OpenApiContract.of(base);
    }

    public Response get(String path, String token) {
        return get(path, token, Map.of());
    }

    public Response get(String path, String token, Map<String, String> headers) {
        return send("GET", path, token, null, headers);
    }

    public Response delete(String path, String token) {
        return send("DELETE", path, token, null, Map.of());
    }

    public Response post(String path, Object body, String token) {
        return post(path, body, token, Map.of());
    }

    public Response post(String path, Object body, String token, Map<String, String> headers) {
        String json = body instanceof String s ? s : JSON.writeValueAsString(body);
        return send("POST", path, token, json, headers);
    }

    public Response put(String path, Object body, String token) {
        String json = body instanceof String s ? s : JSON.writeValueAsString(body);
        return send("PUT", path, token, json, Map.of());
    }

    /**
     * The answer of this call, or null when the connection failed: for the tests that kill a node and count
     * what was answered.
     */
    public static Response unlessUnreachable(java.util.function.Supplier<Response> call) {
        try {
            return call.get();
        } catch (IllegalStateException e) {
            return null;
        }
    }

    /** Signs in through the API and returns the bearer token. */
    public String token(String email, String password) {
        Response response = post("/api/v1/auth/token", Map.of("email", email, "password", password), null);
        if (response.status() != 200) {
            throw new IllegalStateException("sign-in failed with status " + response.status());
        }
        return response.body().get("access_token").asString();
    }

    /** Signs in an account that has a second factor, computing the code from its secret; the bearer token. */
    public String token(String email, String password, String totpSecret) {
        Response response = TotpCodes.signInWithCode(
                totpSecret,
                code -> post("/api/v1/auth/token", Map.of("email", email, "password", password, "otp", code), null),
                answer -> answer.status() == 401);
        if (response.status() != 200) {
            throw new IllegalStateException("sign-in failed with status " + response.status());
        }
        return response.body().get("access_token").asString();
    }

    /** Signs in a professional test login; the bearer token. */
    public String token(Professionals.Login login) {
        return token(login.email(), login.password(), login.totpSecret());
    }

    private Response send(String method, String path, String token, String json, Map<String, String> headers) {
        Map<String, String> sent = new LinkedHashMap<>(headers);
        if (token != null) {
            sent.put("Authorization", "Bearer " + token);
        }
        if (json != null) {
            sent.putIfAbsent("Content-Type", "application/json");
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60))
                .method(
                        method,
                        json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        sent.forEach(builder::header);
        try {
            HttpResponse<String> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            String raw = response.body();
            boolean balancers = behindLoadBalancer && (response.statusCode() == 502 || response.statusCode() == 504);
            List<String> violations = balancers
                    ? List.of()
                    : OpenApiContract.of(base)
                            .violations(new OpenApiContract.Exchange(
                                    method, path, sent, json, response.statusCode(), response.headers(), raw));
            if (!violations.isEmpty()) {
                throw new AssertionError("Not as the OpenAPI document says:\n  " + String.join("\n  ", violations));
            }
            JsonNode body = raw == null || raw.isBlank() ? null : parse(raw);
            return new Response(response.statusCode(), body, raw, response.headers());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(String raw) {
        try {
            return JSON.readTree(raw);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
