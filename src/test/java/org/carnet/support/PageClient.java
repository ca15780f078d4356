package org.carnet.support;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A cookie-keeping client for the pages, without a browser: what an attacker's script does. It keeps
 * the session and device cookies by hand (they are Secure, and a JDK cookie store would not send them
 * over plain HTTP)
 * and reads the CSRF token from the last form it fetched.
 */
public final class PageClient {

    public record Page(int status, String body, String location) {}

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");
    private static final Pattern SESSION = Pattern.compile("SESSION=([^;]*)");
    private static final Pattern DEVICE = Pattern.compile("carnet-device=([^;]*)");

    private final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private final String base;
    private String session;
    private String device;
    private String userAgent;
    private String csrf;

    public PageClient(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    public Page get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    /** Posts a form with the CSRF token of the last page fetched. */
    public Page post(String path, Map<String, String> fields) {
        Map<String, String> withToken = new LinkedHashMap<>(fields);
        if (csrf != null) {
            withToken.put("_csrf", csrf);
        }
        return postWithoutCsrf(path, withToken);
    }

    /** Posts a form exactly as given: no CSRF token unless the fields hold one. */
    public Page postWithoutCsrf(String path, Map<String, String> fields) {
        return postFields(path, java.util.List.copyOf(fields.entrySet()));
    }

    /** Posts a form whose fields may repeat (several {@code scope} values), exactly as given. */
    public Page postFields(String path, java.util.List<Map.Entry<String, String>> fields) {
        String form = fields.stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
    }

    /** Signs in with e-mail, password and, if given, the code computed from the TOTP secret. */
    public Page signIn(String email, String password, String totpSecret) {
        get("/login");
        Page afterPassword = post("/login", Map.of("email", email, "password", password));
        if (totpSecret == null
                || afterPassword.location() == null
                || !afterPassword.location().endsWith("/login/code")) {
            return afterPassword;
        }
        get("/login/code");
        // A refused code shows the form again (200); an accepted one redirects.
        return TotpCodes.signInWithCode(
                totpSecret, code -> post("/login/code", Map.of("code", code)), page -> page.status() == 200);
    }

    public String sessionCookie() {
        return session;
    }

    /** Presents itself as this browser from now on. */
    public PageClient userAgent(String agent) {
        this.userAgent = agent;
        return this;
    }

    /** Uses another session cookie from now on (a stolen one, an old one). */
    public void useSessionCookie(String cookie) {
        this.session = cookie;
    }

    private Page send(HttpRequest.Builder builder) {
        // The browser's cookie, as a browser would keep it; the session's only while there is one.
        String cookies = Stream.of(
                        session == null ? null : "SESSION=" + session,
                        device == null ? null : "carnet-device=" + device)
                .filter(Objects::nonNull)
                .collect(Collectors.joining("; "));
        if (!cookies.isEmpty()) {
            builder.header("Cookie", cookies);
        }
        if (userAgent != null) {
            builder.header("User-Agent", userAgent);
        }
        try {
            HttpResponse<String> response =
                    client.send(builder.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            for (String cookie : response.headers().allValues("Set-Cookie")) {
                Matcher m = SESSION.matcher(cookie);
                if (m.lookingAt()) {
                    session = m.group(1).isEmpty() ? null : m.group(1);
                }
                Matcher d = DEVICE.matcher(cookie);
                if (d.lookingAt()) {
                    device = d.group(1);
                }
            }
            Matcher token = CSRF.matcher(response.body());
            if (token.find()) {
                csrf = token.group(1);
            }
            return new Page(
                    response.statusCode(),
                    response.body(),
                    response.headers().firstValue("Location").orElse(null));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
