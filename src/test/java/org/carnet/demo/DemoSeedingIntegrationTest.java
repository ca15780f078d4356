package org.carnet.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.aopalliance.intercept.MethodInterceptor;
import org.carnet.CarnetApplication;
import org.carnet.directory.Directory;
import org.carnet.support.Api;
import org.carnet.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.aop.framework.Advised;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The demo directory is all or nothing: a first start stopped half-way through seeding leaves
 * nothing behind, and the next start seeds it whole, demo accounts included. And on the embedded
 * default (H2, {@code carnet.demo.enabled} unset) the README's accounts sign in.
 */
class DemoSeedingIntegrationTest {

    /** The tests' demo size (application-test.yml): 3 establishments of 4 practitioners. */
    static final int PRACTITIONERS = 12;

    /** Stops the seeding after five practitioners, as a Ctrl-C during the first start would. */
    @TestConfiguration(proxyBeanMethods = false)
    static class StoppedHalfWay {
        @Bean
        static BeanPostProcessor stopSeedingHalfWay() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String name) {
                    if (bean instanceof Directory && bean instanceof Advised advised) {
                        AtomicInteger practitioners = new AtomicInteger();
                        advised.addAdvice(0, (MethodInterceptor) call -> {
                            if (call.getMethod().getName().equals("addPractitioner")
                                    && practitioners.incrementAndGet() > 5) {
                                throw new IllegalStateException("seeding stopped half-way on purpose");
                            }
                            return call.proceed();
                        });
                    }
                    return bean;
                }
            };
        }
    }

    @Test
    void aSeedingStoppedHalfWayIsCompletedOnTheNextStart() {
        String database = TestDatabase.freshName();
        try {
            assertThatThrownBy(() -> start(database, StoppedHalfWay.class).close())
                    .hasStackTraceContaining("seeding stopped half-way on purpose");
            try (ConfigurableApplicationContext carnet = start(database)) {
                JdbcClient jdbc = carnet.getBean(JdbcClient.class);
                assertThat(jdbc.sql("SELECT COUNT(*) FROM practitioners")
                                .query(Integer.class)
                                .single())
                        .isEqualTo(PRACTITIONERS);
                Api api = ReadmeDemoAccounts.api(carnet);
                for (ReadmeDemoAccounts.Account account : ReadmeDemoAccounts.ALL) {
                    assertThat(ReadmeDemoAccounts.signIn(api, account))
                            .as("a README demo account after an interrupted first start")
                            .isEqualTo(200);
                }
            }
        } finally {
            TestDatabase.drop(database);
        }
    }

    @Test
    void theReadmeDemoAccountsSignInOnTheEmbeddedDefault() {
        String name = TestDatabase.freshName();
        // The embedded default as a newcomer runs it: H2, no carnet.demo.enabled, no test profile.
        try (ConfigurableApplicationContext carnet = new SpringApplicationBuilder(CarnetApplication.class)
                .run(
                        "--server.port=0",
                        "--spring.main.banner-mode=off",
                        "--carnet.data-dir="
                                + Path.of("target", "test-data", name).toAbsolutePath(),
                        "--spring.datasource.url=jdbc:h2:mem:" + name
                                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
                        "--carnet.demo.establishments=2",
                        "--carnet.demo.practitioners-per-establishment=2")) {
            Api api = ReadmeDemoAccounts.api(carnet);
            for (ReadmeDemoAccounts.Account account : ReadmeDemoAccounts.ALL) {
                assertThat(ReadmeDemoAccounts.signIn(api, account))
                        .as("a README demo account on the embedded default")
                        .isEqualTo(200);
            }
            assertThat(api.get("/", null).raw()).doesNotContain("demo-banner");
        }
    }

    private static ConfigurableApplicationContext start(String database, Class<?>... extra) {
        Class<?>[] sources = new Class<?>[extra.length + 1];
        sources[0] = CarnetApplication.class;
        System.arraycopy(extra, 0, sources, 1, extra.length);
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.datasource.hikari.maximum-pool-size=5",
                "--" + TestDatabase.SHARED_NAME + "=" + database));
        SpringApplicationBuilder builder = new SpringApplicationBuilder(sources).profiles("test");
        if (TestDatabase.postgresRun()) {
            builder.initializers(new TestDatabase());
        } else {
            // The embedded default is an H2 file, closed when Carnet stops and opened afresh at the next
            // start; an in-memory H2 kept open between the two starts is not what a restart is (and H2
            // 2.4 fails a check constraint on the slots inserted after the first start's rollback).
            Path dir = Path.of("target", "test-data", database).toAbsolutePath();
            args.add("--carnet.data-dir=" + dir);
            args.add("--spring.datasource.url=jdbc:h2:file:" + dir
                    + "/carnet;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
        }
        return builder.run(args.toArray(String[]::new));
    }
}
