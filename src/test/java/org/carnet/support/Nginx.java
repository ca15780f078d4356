package org.carnet.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Debian's nginx as the load balancer in front of Carnet nodes on loopback: round robin over the nodes,
 * with the proxy settings Carnet ships ({@code deploy/nginx/carnet-proxy.conf}). Runs in the foreground
 * with its configuration, logs and temporary files in a directory of its own.
 */
public final class Nginx implements AutoCloseable {

    static final Path NGINX = Path.of("/usr/sbin/nginx");
    private static final Path PROXY_SETTINGS = Path.of("deploy", "nginx", "carnet-proxy.conf");

    private final Process process;
    private final int port;

    private Nginx(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** nginx on 127.0.0.1:{@code port}, balancing over the Carnet nodes on these loopback ports. */
    public static Nginx start(Path directory, int port, List<Integer> nodes) throws IOException, InterruptedException {
        Files.createDirectories(directory);
        String upstreams = nodes.stream()
                .map(node -> "    server 127.0.0.1:" + node + " max_fails=1 fail_timeout=5s;")
                .collect(Collectors.joining("\n"));
        String d = directory.toAbsolutePath().toString();
        String configuration =
                (isRoot() ? "user root;\n" : "") + """
                worker_processes 1;
                pid %1$s/nginx.pid;
                events { worker_connections 512; }
                http {
                  access_log off;
                  client_body_temp_path %1$s/body;
                  proxy_temp_path %1$s/proxy;
                  fastcgi_temp_path %1$s/fastcgi;
                  uwsgi_temp_path %1$s/uwsgi;
                  scgi_temp_path %1$s/scgi;
                  upstream carnet {
                %2$s
                    keepalive 32;
                  }
                  server {
                    listen 127.0.0.1:%3$d;
                    location / {
                      proxy_pass http://carnet;
                      include %4$s;
                    }
                  }
                }
                """.formatted(d, upstreams, port, PROXY_SETTINGS.toAbsolutePath());
        Path conf = directory.resolve("nginx.conf");
        Files.writeString(conf, configuration);
        Process process = new ProcessBuilder(
                        NGINX.toString(), "-p", d, "-c", conf.toString(), "-e", d + "/error.log", "-g", "daemon off;")
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("nginx.out").toFile())
                .start();
        Nginx nginx = new Nginx(process, port);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as("nginx stopped; see %s", directory).isTrue();
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return nginx;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        nginx.close();
        throw new AssertionError("nginx did not listen within 20 s; see " + directory);
    }

    public int port() {
        return port;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
