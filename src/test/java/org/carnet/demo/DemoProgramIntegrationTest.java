package org.carnet.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.carnet.clients.Programs;
import org.carnet.support.CarnetIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * The demo program as the README and docs/api.md tell a newcomer to use it: its key made on first
 * start into the data directory, owner-only; the documented script signs an assertion with it (JDK
 * only); then a token and a FHIR search with plain HTTP, exactly the documented steps.
 */
@CarnetIntegrationTest
@TestPropertySource(properties = "carnet.demo.program=true")
@DirtiesContext
class DemoProgramIntegrationTest {

    @Value("${local.server.port}")
    int port;

    @Value("${carnet.data-dir}")
    Path dataDir;

    @Test
    void theDocumentedTwoCommandsGetATokenAndSearchTheFhirApi() throws Exception {
        Path directory = dataDir.resolve("demo-program");
        Path key = directory.resolve(DemoProgram.KEY_FILE);
        assertThat(key).isRegularFile();
        assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
        if (directory.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(Files.getPosixFilePermissions(key)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(Files.getPosixFilePermissions(directory))
                    .doesNotContain(
                            PosixFilePermission.GROUP_READ,
                            PosixFilePermission.OTHERS_READ,
                            PosixFilePermission.OTHERS_EXECUTE);
        }

        // Command 1: the script mints the assertion, curl (here: plain HTTP) trades it for a token.
        String tokenUrl = "http://127.0.0.1:" + port + "/oauth2/token";
        String assertion = run(directory.toString(), tokenUrl);
        Programs.Answer token =
                Programs.postForm(tokenUrl, Programs.tokenRequest(assertion, "system/Slot.rs system/Appointment.rs"));
        assertThat(token.status()).as(token.raw()).isEqualTo(200);
        String accessToken = token.body().get("access_token").asString();
        // An assertion is used once.
        assertThat(Programs.postForm(tokenUrl, Programs.tokenRequest(assertion, "system/Slot.rs"))
                        .status())
                .isEqualTo(401);

        // Command 2: a FHIR search with the token.
        LocalDate today = LocalDate.now(ZoneId.of("Europe/Paris"));
        Programs.Answer appointments = Programs.get(
                "http://127.0.0.1:" + port + "/fhir/Appointment?date=ge" + today + "&date=lt" + today.plusDays(30),
                accessToken);
        assertThat(appointments.status()).as(appointments.raw()).isEqualTo(200);
        assertThat(appointments.body().get("resourceType").asString()).isEqualTo("Bundle");
        Programs.Answer slots = Programs.get(
                "http://127.0.0.1:" + port + "/fhir/Slot?specialty=medecin-generaliste&address-city=Paris&start=ge"
                        + today + "&_count=5",
                accessToken);
        assertThat(slots.status()).as(slots.raw()).isEqualTo(200);
        assertThat(slots.body().get("entry")).isNotNull();
    }

    /** {@code java scripts/ClientAssertion.java <dir> <token-url>} with this JDK: what the README says to run. */
    private static String run(String... args) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new java.util.ArrayList<>(List.of(java.toString(), "scripts/ClientAssertion.java"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.exitValue()).as("the script failed").isZero();
        assertThat(output).doesNotContain("PRIVATE").matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
        return output;
    }
}
