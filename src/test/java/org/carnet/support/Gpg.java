package org.carnet.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code gpg} in a throw-away home directory: a recipient with their own key pair, as they
 * would open an export. {@link #close()} stops its agent and removes the directory.
 */
public final class Gpg implements AutoCloseable {

    public static final Path GPG = Path.of("/usr/bin/gpg");

    /** What one gpg run gave. */
    public record Result(int exitCode, byte[] stdout, String stderr) {
        public String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    private final Path home;

    private Gpg(Path home) {
        this.home = home;
    }

    /** A fresh home (short path: gpg-agent's socket name must fit). */
    public static Gpg fresh() {
        try {
            Path home = Files.createTempDirectory(Path.of("/tmp"), "gpg");
            Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
            return new Gpg(home);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public Path home() {
        return home;
    }

    /**
     * Generates a key pair without passphrase ({@code algo} e.g. {@code default} for ed25519 + cv25519,
     * {@code rsa3072}, or {@code ed25519} with {@code usage} {@code sign} for a signing-only key); its
     * armoured public key.
     */
    public String generate(String userId, String algo, String usage) {
        Result generated = run(null, "--quick-generate-key", userId, algo, usage, "never");
        if (generated.exitCode() != 0) {
            throw new IllegalStateException("gpg could not generate a key: " + generated.stderr());
        }
        return run(null, "--armor", "--export", userId).out();
    }

    /** Runs gpg in this home, batch mode, no passphrase; {@code stdin} may be {@code null}. */
    public Result run(byte[] stdin, String... args) {
        List<String> command = new ArrayList<>(List.of(
                GPG.toString(),
                "--homedir",
                home.toString(),
                "--batch",
                "--yes",
                "--no-tty",
                "--pinentry-mode",
                "loopback",
                "--passphrase",
                ""));
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile(home, "out", ".bin");
            Path err = Files.createTempFile(home, "err", ".txt");
            ProcessBuilder builder =
                    new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
            Process process = builder.start();
            try (var in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin);
                }
            }
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("gpg did not finish in 2 minutes");
            }
            Result result = new Result(process.exitValue(), Files.readAllBytes(out), Files.readString(err));
            Files.delete(out);
            Files.delete(err);
            return result;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            new ProcessBuilder("gpgconf", "--homedir", home.toString(), "--kill", "gpg-agent")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start()
                    .waitFor(10, TimeUnit.SECONDS);
            try (var files = Files.walk(home)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(path -> path.toFile().delete());
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
