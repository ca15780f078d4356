package org.carnet.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.carnet.CarnetApplication;
import org.carnet.clients.Programs;
import org.carnet.directory.Directory;
import org.carnet.identity.Logins;
import org.carnet.scheduling.Agendas;
import org.carnet.scheduling.Availability;
import org.carnet.scheduling.PhoneBookings;
import org.carnet.shared.Role;
import org.carnet.support.Api;
import org.carnet.support.Fixtures;
import org.carnet.support.Professionals;
import org.carnet.support.TestDatabase;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Issue 13, item 5: per-program quotas, counted in the database that two Carnet nodes share. Each node
 * runs on the same database (H2 in memory, or PostgreSQL) with its own clock, pinned by the test to the
 * same instant so that every request falls in one window.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FhirQuotasIntegrationTest {

    static final int REQUESTS_PER_MINUTE = 8;
    static final int PATIENTS_PER_HOUR = 3;

    /** A node's clock: the real time, or the instant the test pins it to. */
    static final class PinnedClock extends Clock {
        volatile @Nullable Instant pinned;

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
            Instant at = pinned;
            return at != null ? at : Instant.now();
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class PinnedTime {
        @Bean
        @Primary
        PinnedClock pinnedClock() {
            return new PinnedClock();
        }
    }

    String database;
    ConfigurableApplicationContext nodeA;
    ConfigurableApplicationContext nodeB;
    String baseA;
    String baseB;
    ConnectedPrograms programs;
    PracticeAgenda practice;

    @BeforeAll
    void twoNodesOnOneDatabase() {
        database = TestDatabase.freshName();
        nodeA = start(database);
        nodeB = start(database);
        baseA = "http://127.0.0.1:" + port(nodeA);
        baseB = "http://127.0.0.1:" + port(nodeB);
        Api api = new Api(port(nodeA));
        Professionals professionals =
                new Professionals(nodeA.getBean(Logins.class), nodeA.getBean(TransactionTemplate.class));
        practice = new PracticeAgenda(
                new Fixtures(nodeA.getBean(Directory.class), nodeA.getBean(Agendas.class)).aPractitionerWithSlots(),
                professionals,
                nodeA.getBean(Logins.class),
                nodeA.getBean(PhoneBookings.class),
                nodeA.getBean(Availability.class),
                nodeA.getBean(JdbcClient.class));
        String admin = api.token(professionals.staff(
                Role.ESTABLISHMENT_ADMIN, practice.agenda().establishment().id()));
        String officer = api.token(professionals.staff(Role.SECURITY_OFFICER, null));
        programs = new ConnectedPrograms(api, baseA, admin, officer);
    }

    @AfterAll
    void stop() {
        if (nodeB != null) {
            nodeB.close();
        }
        if (nodeA != null) {
            nodeA.close();
        }
        TestDatabase.drop(database);
    }

    @Test
    void theRequestAfterTheQuotaInAMinuteGets429WhicheverNodeItReaches() {
        ConnectedPrograms.Program program = programs.connect("system/Slot.rs system/Appointment.rs");
        String path = "/fhir/Appointment?date=ge2026-01-01&date=lt2026-02-01";
        pin(Instant.now());
        for (int i = 0; i < REQUESTS_PER_MINUTE; i++) {
            String base = i % 2 == 0 ? baseA : baseB;
            assertThat(Programs.get(base + path, program.token()).status())
                    .as("request %d of the minute", i + 1)
                    .isEqualTo(200);
        }
        for (String base : List.of(baseB, baseA)) {
            Programs.Answer refused = Programs.get(base + path, program.token());
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.body().get("resourceType").asString()).isEqualTo("OperationOutcome");
            long retryAfter =
                    Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
            assertThat(retryAfter).isBetween(1L, 60L);
        }
        // Another program has its own quota.
        ConnectedPrograms.Program other = programs.connect("system/Appointment.s");
        assertThat(Programs.get(baseB + path, other.token()).status()).isEqualTo(200);
        // The next minute, the program is served again.
        pin(pinned().plus(Duration.ofSeconds(60)));
        assertThat(Programs.get(baseB + path, program.token()).status()).isEqualTo(200);
        unpin();
    }

    @Test
    void aProgramOverItsDistinctPatientsIsRefusedNewPatientsButStillReadsThoseItRead() {
        List<PracticeAgenda.Booked> booked = practice.bookNewPatients(PATIENTS_PER_HOUR + 1);
        ConnectedPrograms.Program program = programs.connect("system/Appointment.rs");
        pin(Instant.now());
        for (int i = 0; i < PATIENTS_PER_HOUR; i++) {
            String base = i % 2 == 0 ? baseA : baseB;
            assertThat(Programs.get(base + "/fhir/Appointment/" + booked.get(i).appointmentId(), program.token())
                            .status())
                    .as("patient %d of the hour", i + 1)
                    .isEqualTo(200);
        }
        Programs.Answer refused = Programs.get(
                baseB + "/fhir/Appointment/" + booked.get(PATIENTS_PER_HOUR).appointmentId(), program.token());
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.body().get("resourceType").asString()).isEqualTo("OperationOutcome");
        assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow()))
                .isBetween(1L, 3600L);
        // A patient it was already shown this hour stays readable, on either node.
        assertThat(Programs.get(baseA + "/fhir/Appointment/" + booked.get(0).appointmentId(), program.token())
                        .status())
                .isEqualTo(200);
        // The refused read was not recorded as an access (nothing was served).
        assertThat(nodeA.getBean(JdbcClient.class)
                        .sql("SELECT COUNT(*) FROM audit_log WHERE patient_id = ? AND outcome = 'ALLOWED'"
                                + " AND actor_role = 'CLIENT'")
                        .param(booked.get(PATIENTS_PER_HOUR).fileId())
                        .query(Long.class)
                        .single())
                .isZero();
        unpin();
    }

    private void pin(Instant at) {
        nodeA.getBean(PinnedClock.class).pinned = at;
        nodeB.getBean(PinnedClock.class).pinned = at;
    }

    private Instant pinned() {
        return java.util.Objects.requireNonNull(nodeA.getBean(PinnedClock.class).pinned);
    }

    private void unpin() {
        nodeA.getBean(PinnedClock.class).pinned = null;
        nodeB.getBean(PinnedClock.class).pinned = null;
    }

    private static int port(ConfigurableApplicationContext node) {
        return Integer.parseInt(node.getEnvironment().getRequiredProperty("local.server.port"));
    }

    private static ConfigurableApplicationContext start(String database) {
        return new SpringApplicationBuilder(CarnetApplication.class, PinnedTime.class)
                .profiles("test")
                .initializers(new TestDatabase())
                .run(
                        "--server.port=0",
                        "--spring.datasource.hikari.maximum-pool-size=8",
                        "--" + TestDatabase.SHARED_NAME + "=" + database,
                        "--carnet.clients.quotas.requests-per-minute=" + REQUESTS_PER_MINUTE,
                        "--carnet.clients.quotas.patients-per-hour=" + PATIENTS_PER_HOUR);
    }
}
