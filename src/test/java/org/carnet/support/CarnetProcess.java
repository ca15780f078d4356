package org.carnet.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * {@code java -jar target/carnet.jar}, as an operator starts it: a separate process with its own log
 * file, for the tests that kill it, restart it or run several nodes of it. Requires the jar that
 * {@code ./mvnw verify} packages before the integration tests.
 */
public final class CarnetProcess implements AutoCloseable {

    private static final Path JAR = Path.of("target", "carnet.jar");
    private static final Duration STARTUP = Duration.ofSeconds(300);

    private final Process process;
    private final int port;
    private final Path log;

    private CarnetProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Skips the test when the jar was not built (running a single test from an IDE); under CI it fails. */
    public static void assumeJarBuilt() {
        if (!Files.isRegularFile(JAR)) {
            assertThat(CiEnvironment.isCi())
                    .as("target/carnet.jar is built by `./mvnw verify` before the integration tests")
                    .isFalse();
            Assumptions.abort("target/carnet.jar not built (run through ./mvnw verify)");
        }
    }

    /**
     * Starts Carnet on {@code port} with these {@code --key=value} arguments and environment, its output
     * in {@code log}; returns once it answers.
     */
    public static CarnetProcess start(int port, Path log, List<String> arguments, Map<String, String> environment)
            throws IOException, InterruptedException {
        Files.createDirectories(log.toAbsolutePath().getParent());
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                JAR.toAbsolutePath().toString(),
                "--server.port=" + port));
        command.addAll(arguments);
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        CarnetProcess carnet = new CarnetProcess(process, port, log);
        carnet.awaitAnswering();
        return carnet;
    }

    public int port() {
        return port;
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook, nothing flushed or closed; returns once the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("killed").isTrue();
    }

    /** A graceful stop (SIGTERM), as an operator's service manager does; false if it did not end in time. */
    public boolean stop(Duration patience) throws InterruptedException {
        process.destroy();
        return process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        try {
            if (!stop(Duration.ofSeconds(30))) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** A port nobody listens on now. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private void awaitAnswering() throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive())
                    .as("Carnet stopped on its own; see %s", log)
                    .isTrue();
            try {
                HttpResponse<Void> answer = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/specialties"))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (answer.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        process.destroyForcibly();
        throw new AssertionError("Carnet did not answer within " + STARTUP.toSeconds() + " s; see " + log);
    }
}
