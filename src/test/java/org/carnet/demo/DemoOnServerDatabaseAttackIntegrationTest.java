package org.carnet.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.carnet.CarnetApplication;
import org.carnet.support.Api;
import org.carnet.support.PageClient;
import org.carnet.support.RequiresPostgres;
import org.carnet.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The README publishes the demo accounts' passwords and second-factor secrets. Carnet started on
 * PostgreSQL as an operator would (no {@code carnet.demo.enabled}, none of the tests' profile) must not
 * have them; set explicitly, they come with a banner on every page and a warning in the log.
 */
@RequiresPostgres
@ExtendWith(OutputCaptureExtension.class)
class DemoOnServerDatabaseAttackIntegrationTest {

    @Test
    void theReadmeDemoAccountsDoNotSignInOnAFreshPostgresStart(CapturedOutput output) {
        try (ConfigurableApplicationContext carnet = start()) {
            Api api = ReadmeDemoAccounts.api(carnet);
            for (ReadmeDemoAccounts.Account account : ReadmeDemoAccounts.ALL) {
                assertThat(ReadmeDemoAccounts.signIn(api, account))
                        .as("a README demo account on a fresh PostgreSQL start")
                        .isEqualTo(401);
            }
            assertThat(carnet.getBean(JdbcClient.class)
                            .sql("SELECT COUNT(*) FROM establishments")
                            .query(Integer.class)
                            .single())
                    .isZero();
            PageClient pages = new PageClient(ReadmeDemoAccounts.port(carnet));
            assertThat(pages.get("/login").body()).doesNotContain("demo-banner");
        }
        assertThat(output.getAll()).doesNotContain("Demo data is enabled");
    }

    @Test
    void demoDataSetExplicitlyOnPostgresShowsABannerOnEveryPageAndWarnsInTheLog(CapturedOutput output) {
        try (ConfigurableApplicationContext carnet = start(
                "--carnet.demo.enabled=true",
                "--carnet.demo.establishments=1",
                "--carnet.demo.practitioners-per-establishment=1")) {
            assertThat(output.getAll()).contains("Demo data is enabled on a server database");
            PageClient pages = new PageClient(ReadmeDemoAccounts.port(carnet));
            for (String page : List.of("/", "/login", "/register", "/enrol")) {
                assertThat(pages.get(page).body()).as(page).contains("id=\"demo-banner\"");
            }
            assertThat(ReadmeDemoAccounts.signIn(ReadmeDemoAccounts.api(carnet), ReadmeDemoAccounts.ALL.get(0)))
                    .isEqualTo(200);
        }
    }

    /** Carnet on a fresh PostgreSQL database, configured only by these arguments (no test profile). */
    private static ConfigurableApplicationContext start(String... args) {
        List<String> all = new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.main.banner-mode=off",
                "--spring.datasource.hikari.maximum-pool-size=5",
                "--carnet.test.requires-postgres=true"));
        all.addAll(List.of(args));
        return new SpringApplicationBuilder(CarnetApplication.class)
                .initializers(new TestDatabase())
                .run(all.toArray(String[]::new));
    }
}
