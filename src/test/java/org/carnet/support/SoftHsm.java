package org.carnet.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's SoftHSM v2, a PKCS#11 token in files, for the tests of a master key held by a hardware module.
 * The build points the test JVMs' {@code SOFTHSM2_CONF} at a configuration under {@code target/softhsm}
 * (the library reads it when first loaded), which this class writes.
 */
public final class SoftHsm {

    public static final Path LIBRARY = Path.of("/usr/lib/softhsm/libsofthsm2.so");
    public static final Path UTIL = Path.of("/usr/bin/softhsm2-util");

    private static final Pattern SLOT = Pattern.compile("reassigned to slot (\\d+)");

    private SoftHsm() {}

    /** A token made for one test: its slot id and user PIN. */
    public record Token(long slot, String pin) {}

    /** How many objects the tokens keep on disk: a key stored on a token adds one. */
    public static long storedObjects() throws IOException {
        Path tokens = Path.of(System.getenv("SOFTHSM2_CONF")).resolveSibling("tokens");
        try (java.util.stream.Stream<Path> files = Files.walk(tokens)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".object"))
                    .count();
        }
    }

    /** Initialises a fresh token (its own label, random PINs) in the build's token directory. */
    public static synchronized Token freshToken() throws IOException, InterruptedException {
        String conf = System.getenv("SOFTHSM2_CONF");
        assertThat(conf).as("SOFTHSM2_CONF, set by the build for the test JVMs").isNotBlank();
        Path configuration = Path.of(conf);
        Path tokens = configuration.resolveSibling("tokens");
        Files.createDirectories(tokens);
        if (!Files.exists(configuration)) {
            Files.writeString(
                    configuration,
                    "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\n",
                    StandardCharsets.UTF_8);
        }
        String pin = UUID.randomUUID().toString().substring(0, 12);
        Process init = new ProcessBuilder(List.of(
                        UTIL.toString(),
                        "--init-token",
                        "--free",
                        "--label",
                        "carnet-" + UUID.randomUUID().toString().substring(0, 8),
                        "--pin",
                        pin,
                        "--so-pin",
                        UUID.randomUUID().toString().substring(0, 12)))
                .redirectErrorStream(true)
                .start();
        String output = new String(init.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(init.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(init.exitValue()).as("softhsm2-util --init-token").isZero();
        Matcher slot = SLOT.matcher(output);
        assertThat(slot.find()).as("the token's slot in: " + output).isTrue();
        return new Token(Long.parseLong(slot.group(1)), pin);
    }
}
