package org.carnet.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * Debian's coturn started by a test on loopback only: listening and relaying on 127.0.0.1, a free port,
 * the TURN REST API's shared secret ({@code use-auth-secret}), no TLS, no CLI, its log in a temporary
 * file. Loopback peers must be allowed explicitly (coturn refuses them by default). Stopped by {@link
 * #close()}.
 */
public final class Coturn implements AutoCloseable {

    static final Path TURNSERVER = Path.of("/usr/bin/turnserver");

    private final Process process;
    private final int port;
    private final String secret;
    private final Path log;

    private Coturn(Process process, int port, String secret, Path log) {
        this.process = process;
        this.port = port;
        this.secret = secret;
        this.log = log;
    }

    /** Starts coturn and waits until it answers on its port. */
    public static Coturn start() {
        try {
            int port = freePort();
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            String secret = HexFormat.of().formatHex(random);
            Path dir = Files.createTempDirectory("carnet-coturn-");
            Path log = dir.resolve("turn.log");
            Process process = new ProcessBuilder(List.of(
                            TURNSERVER.toString(),
                            "-c",
                            "/dev/null", // not Debian's /etc/turnserver.conf: only what is below
                            "--listening-ip=127.0.0.1",
                            "--relay-ip=127.0.0.1",
                            "--listening-port=" + port,
                            "--min-port=" + (port + 1),
                            "--max-port=" + (port + 200),
                            "--allow-loopback-peers",
                            "--use-auth-secret",
                            "--static-auth-secret=" + secret,
                            "--realm=carnet.test",
                            "--no-tls",
                            "--no-dtls",
                            "--no-cli",
                            "--no-multicast-peers",
                            "--fingerprint",
                            "--pidfile=" + dir.resolve("turn.pid"),
                            "--userdb=" + dir.resolve("turndb"),
                            "--log-file=" + log,
                            "--simple-log",
                            "--verbose"))
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("stdout.log").toFile())
                    .start();
            Coturn coturn = new Coturn(process, port, secret, log);
            coturn.awaitListening();
            return coturn;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The URI Carnet hands out for it. */
    public String uri() {
        return "turn:127.0.0.1:" + port + "?transport=udp";
    }

    public String secret() {
        return secret;
    }

    /** coturn's log so far (it holds usernames, which are expiry and consultation id only). */
    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitListening() {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("coturn stopped at start (exit " + process.exitValue() + ")");
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return; // it listens on TCP and UDP alike
            } catch (IOException notYet) {
                try {
                    Thread.sleep(100); // polling a port that is not there yet: nothing to wait on
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
        throw new IllegalStateException("coturn did not listen within 20 s");
    }

    /** A port free on loopback for TCP and UDP, with 200 free-looking ports above it for the relays. */
    private static int freePort() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int candidate = 20000 + new SecureRandom().nextInt(20000);
            try (ServerSocket tcp = new ServerSocket(candidate, 1, InetAddress.getLoopbackAddress());
                    DatagramSocket udp =
                            new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), candidate))) {
                return candidate;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free port on loopback");
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
