package org.carnet.clients;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A program's key server as a test runs one: plain http on 127.0.0.1 (the tests' allowed host), serving
 * whatever each path is set to, and counting the requests Carnet makes to it.
 */
final class KeyServer implements AutoCloseable {

    private record Answer(int status, String body) {}

    private final HttpServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> fetches = new ConcurrentHashMap<>();

    KeyServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            fetches.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            Answer answer = answers.getOrDefault(path, new Answer(404, "not found"));
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            if (answer.status() == 302) {
                exchange.getResponseHeaders().add("Location", answer.body());
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    /** The URL of a path on this server. */
    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    void serve(String path, String body) {
        answers.put(path, new Answer(200, body));
    }

    void redirect(String path, String to) {
        answers.put(path, new Answer(302, to));
    }

    int fetches(String path) {
        AtomicInteger count = fetches.get(path);
        return count == null ? 0 : count.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
