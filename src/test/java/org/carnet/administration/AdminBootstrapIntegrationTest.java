package org.carnet.administration;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.carnet.CarnetApplication;
import org.carnet.support.Api;
import org.carnet.support.PageClient;
import org.carnet.support.TestDatabase;
import org.carnet.support.TotpCodes;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * A real first run: {@code admin bootstrap} on an empty database prints a one-time code with which
 * the first security officer sets their password and enrols TOTP on {@code /enrol}; {@code admin
 * establishment create} does the same for an establishment's administrator. A code works once, and
 * not after 24 hours (the server's clock is moved, not waited for).
 */
class AdminBootstrapIntegrationTest {

    static final Pattern CODE = Pattern.compile("[A-Z2-7]{4}(?:-[A-Z2-7]{4}){6}");
    static final Pattern SECRET = Pattern.compile("id=\"totp-secret\">([A-Z2-7 ]+)<");
    static final String PASSWORD = "a long synthetic enrolment password";

    /** The server's clock, moved forward by the test. */
    static final class MovableClock extends Clock {
        volatile Duration ahead = Duration.ZERO;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(ahead);
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class MovableTime {
        @Bean
        @Primary
        MovableClock movableClock() {
            return new MovableClock();
        }
    }

    record Run(int status, String out, String err) {
        String code() {
            Matcher m = CODE.matcher(out);
            assertThat(m.find()).as("an enrolment code is printed").isTrue();
            return m.group();
        }
    }

    @Test
    void theFirstSecurityOfficerAndAnAdministratorEnrolWithTheirOneTimeCodes() {
        String database = TestDatabase.freshName();
        try {
            String officer = "officer-" + UUID.randomUUID() + "@example.test";
            Run bootstrap = admin(database, "bootstrap", "--email", officer);
            assertThat(bootstrap.status()).as(bootstrap.err()).isEqualTo(AdminCommand.DONE);
            assertThat(admin(database, "bootstrap", "--email", "another-" + officer)
                            .status())
                    .as("only the first security officer is made this way")
                    .isEqualTo(AdminCommand.REFUSED);
            String administrator = "admin-" + UUID.randomUUID() + "@example.test";
            Run establishment = admin(
                    database,
                    "establishment",
                    "create",
                    "--finess",
                    org.carnet.directory.Finess.of("75", 4242).value(),
                    "--name",
                    "Centre de test du premier démarrage",
                    "--address",
                    "1 rue du Test",
                    "--city",
                    "Testville",
                    "--postcode",
                    "99100",
                    "--admin-email",
                    administrator);
            assertThat(establishment.status()).as(establishment.err()).isEqualTo(AdminCommand.DONE);

            try (ConfigurableApplicationContext carnet = new SpringApplicationBuilder(
                            CarnetApplication.class, MovableTime.class)
                    .profiles("test")
                    .initializers(new TestDatabase())
                    .run(
                            "--server.port=0",
                            "--spring.datasource.hikari.maximum-pool-size=5",
                            "--carnet.demo.enabled=false",
                            "--" + TestDatabase.SHARED_NAME + "=" + database)) {
                int port = Integer.parseInt(carnet.getEnvironment().getProperty("local.server.port", "0"));
                MovableClock clock = carnet.getBean(MovableClock.class);

                // The officer: code (typed in lower case, with spaces), password, then TOTP, then signed in.
                PageClient officerPages = new PageClient(port);
                officerPages.get("/enrol");
                PageClient.Page enrolled = officerPages.post(
                        "/enrol",
                        Map.of(
                                "code",
                                bootstrap
                                        .code()
                                        .toLowerCase(java.util.Locale.ROOT)
                                        .replace('-', ' '),
                                "password",
                                PASSWORD));
                assertThat(enrolled.location()).endsWith("/account/security/totp");
                assertThat(officerPages.get("/security/audit").status())
                        .as("no access before the second factor")
                        .isNotEqualTo(200);
                enrolTotp(officerPages, clock);
                assertThat(officerPages.get("/security/audit").status()).isEqualTo(200);
                Api.Response withPassword =
                        new Api(port).post("/api/v1/auth/token", Map.of("email", officer, "password", PASSWORD), null);
                assertThat(withPassword.body().get("type").asString())
                        .as("the password the officer chose is theirs")
                        .endsWith("/second-factor-required");

                // Single use.
                PageClient again = new PageClient(port);
                again.get("/enrol");
                PageClient.Page reused = again.post(
                        "/enrol", Map.of("code", bootstrap.code(), "password", "another long password 2026"));
                assertThat(reused.status()).isEqualTo(200);
                assertThat(reused.body()).contains("id=\"code-error\"");

                // The administrator's code: refused after 24 hours, accepted just before.
                PageClient adminPages = new PageClient(port);
                adminPages.get("/enrol");
                clock.ahead = Duration.ofHours(24).plusMinutes(1);
                PageClient.Page expired =
                        adminPages.post("/enrol", Map.of("code", establishment.code(), "password", PASSWORD));
                assertThat(expired.body()).contains("id=\"code-error\"");
                clock.ahead = Duration.ofHours(23).plusMinutes(58);
                PageClient.Page inTime =
                        adminPages.post("/enrol", Map.of("code", establishment.code(), "password", PASSWORD));
                assertThat(inTime.location()).endsWith("/account/security/totp");
                enrolTotp(adminPages, clock);
                PageClient.Page establishmentPage = adminPages.get("/establishment");
                assertThat(establishmentPage.status()).isEqualTo(200);
                assertThat(establishmentPage.body()).contains("Centre de test du premier démarrage");
            }
        } finally {
            TestDatabase.drop(database);
        }
    }

    @Test
    void aWrongCommandLineIsAUsageError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = AdminCommand.run(
                CarnetApplication.class,
                new String[] {"admin", "bootstrap"},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).isEqualTo(AdminCommand.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("usage: admin bootstrap");
    }

    private static void enrolTotp(PageClient pages, Clock clock) {
        PageClient.Page form = pages.get("/account/security/totp");
        Matcher secret = SECRET.matcher(form.body());
        assertThat(secret.find()).as("the enrolment page shows the secret").isTrue();
        PageClient.Page confirmed = pages.post(
                "/account/security/totp",
                Map.of("code", TotpCodes.at(secret.group(1).replace(" ", ""), clock.instant())));
        assertThat(confirmed.body()).contains("id=\"recovery-codes\"");
    }

    private static Run admin(String database, String... words) {
        List<String> args = new ArrayList<>(List.of("admin"));
        args.addAll(List.of(words));
        args.addAll(TestDatabase.commandLine(database));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = AdminCommand.run(
                CarnetApplication.class,
                args.toArray(String[]::new),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
