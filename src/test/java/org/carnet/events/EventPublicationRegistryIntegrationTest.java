package org.carnet.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.carnet.CarnetApplication;
import org.carnet.directory.Directory;
import org.carnet.directory.VisitMotive;
import org.carnet.scheduling.Agendas;
import org.carnet.scheduling.AppointmentBooked;
import org.carnet.shared.AppointmentId;
import org.carnet.support.Api;
import org.carnet.support.Fixtures;
import org.carnet.support.TestDatabase;
import org.carnet.support.TestMailServer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * An event outlives a listener that fails and an application that stops: its publication stays in
 * the registry until the listener has handled it, retried every {@code carnet.events.retry-interval}
 * and republished when the application starts again on the same database. Each test starts Carnet
 * itself (with {@link TestDatabase}, on H2 or PostgreSQL as the run says), to stop and start it.
 */
class EventPublicationRegistryIntegrationTest {

    static final String LISTENER = "test.flaky-booking-listener";
    /** Resubmission held off past the test: only the start can deliver what the previous run left. */
    static final String HELD_OFF = "PT1H";

    /**
     * Listens to every booking and throws for as long as it is failing, as a listener whose mail
     * server or database is down would; counts its attempts and keeps what it handled. Read through
     * its methods: the bean is a proxy (asynchronous, transactional).
     */
    @TestConfiguration(proxyBeanMethods = false)
    static class FlakyBookingListener {
        final AtomicBoolean failing;
        final Map<AppointmentId, AtomicInteger> attempts = new ConcurrentHashMap<>();
        final Set<AppointmentId> handled = ConcurrentHashMap.newKeySet();
        /** Each booking's notices as its own transaction saw them just before it committed. */
        final Map<AppointmentId, Integer> noticesBeforeCommit = new ConcurrentHashMap<>();

        final JdbcClient jdbc;

        FlakyBookingListener(@Value("${carnet.test.flaky-listener-fails:true}") boolean failing, JdbcClient jdbc) {
            this.failing = new AtomicBoolean(failing);
            this.jdbc = jdbc;
        }

        /** Runs in the booking's transaction as it commits, after every synchronous listener. */
        @TransactionalEventListener(phase = TransactionPhase.BEFORE_COMMIT)
        void beforeCommit(AppointmentBooked booked) {
            noticesBeforeCommit.put(
                    booked.appointment(),
                    jdbc.sql("SELECT COUNT(*) FROM notices WHERE event_key = ?")
                            .param("appointment-booked:" + booked.appointment().value())
                            .query(Integer.class)
                            .single());
        }

        @Nullable
        Integer noticesBeforeCommit(AppointmentId appointment) {
            return noticesBeforeCommit.get(appointment);
        }

        @ApplicationModuleListener(id = LISTENER)
        void on(AppointmentBooked booked) {
            attempts.computeIfAbsent(booked.appointment(), id -> new AtomicInteger())
                    .incrementAndGet();
            if (failing.get()) {
                throw new IllegalStateException("the flaky test listener fails on purpose");
            }
            handled.add(booked.appointment());
        }

        int attemptsAt(AppointmentId appointment) {
            AtomicInteger count = attempts.get(appointment);
            return count == null ? 0 : count.get();
        }

        boolean handled(AppointmentId appointment) {
            return handled.contains(appointment);
        }

        void heal() {
            failing.set(false);
        }
    }

    @Test
    void aFailingListenerLeavesThePublicationInTheRegistryAndGetsItAgainUntilItSucceeds() {
        String database = TestDatabase.freshName();
        try (ConfigurableApplicationContext carnet = start(database, true, "PT1S")) {
            Directory directory = carnet.getBean(Directory.class);
            Fixtures.Agenda agenda = new Fixtures(directory, carnet.getBean(Agendas.class)).aPractitionerWithSlots();
            VisitMotive motive = directory.addMotive(agenda.practitioner().id(), "Motifregistryprobe", 30, false);
            Map<String, Object> registration = Fixtures.aRegistration();
            registration.putAll(
                    Map.of("firstName", "Regfirstprobe", "lastName", "Reglastprobe", "birthDate", "1941-05-17"));
            Api api = api(carnet);
            Fixtures.Patient patient = Fixtures.registered(api, registration);
            // A comment stored as before it moved into the encrypted exchange (the API refuses one now).
            AppointmentId appointment = AppointmentId.of(new org.carnet.support.StoredComments(
                            carnet.getBean(org.carnet.scheduling.Bookings.class),
                            carnet.getBean(org.carnet.identity.Logins.class))
                    .book(
                            patient.account(),
                            Fixtures.freeSlotIdsFromTomorrow(api, agenda).get(0),
                            motive.id(),
                            "Commentregistryprobe",
                            null));
            FlakyBookingListener listener = carnet.getBean(FlakyBookingListener.class);
            JdbcClient jdbc = carnet.getBean(JdbcClient.class);
            // The booking's own notice is not a publication: it was written in the booking's transaction.
            assertThat(listener.noticesBeforeCommit(appointment)).isEqualTo(1);

            // Delivered once the booking committed, then resubmitted from the registry: failed both times.
            await().atMost(Duration.ofSeconds(30)).until(() -> listener.attemptsAt(appointment) >= 2);
            assertThat(listener.handled(appointment)).isFalse();
            List<Map<String, Object>> stored = publicationsOf(jdbc, appointment);
            assertThat(stored).singleElement().satisfies(row -> {
                assertThat(row.get("listener_id")).isEqualTo(LISTENER);
                assertThat(row.get("event_type")).isEqualTo(AppointmentBooked.class.getName());
                assertThat(row.get("completion_date")).isNull();
            });
            // The event is stored as plaintext JSON: ids and times, nothing the patient typed or is.
            String dump = stored.toString().toLowerCase(Locale.ROOT);
            for (String personal : List.of(
                    "Regfirstprobe",
                    "Reglastprobe",
                    "1941-05-17",
                    (String) registration.get("email"),
                    "11 22 33 44",
                    "Commentregistryprobe",
                    "Motifregistryprobe",
                    motive.id().toString())) {
                assertThat(dump.contains(personal.toLowerCase(Locale.ROOT)))
                        .as("the stored event holds a personal value")
                        .isFalse();
            }

            listener.heal();
            await().atMost(Duration.ofSeconds(30)).until(() -> listener.handled(appointment));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> publicationsOf(jdbc, appointment).isEmpty());
        } finally {
            TestDatabase.drop(database);
        }
    }

    @Test
    void aPublicationLeftIncompleteWhenTheApplicationStopsIsDeliveredWhenItStartsAgain() {
        String database = TestDatabase.freshName();
        try {
            AppointmentId appointment;
            try (ConfigurableApplicationContext first = start(database, true, HELD_OFF)) {
                appointment = aBooking(first);
                FlakyBookingListener failing = first.getBean(FlakyBookingListener.class);
                JdbcClient firstJdbc = first.getBean(JdbcClient.class);
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> failing.attemptsAt(appointment) >= 1
                                && "FAILED".equals(statusOf(firstJdbc, appointment)));
            }
            try (ConfigurableApplicationContext second = start(database, false, HELD_OFF)) {
                FlakyBookingListener healed = second.getBean(FlakyBookingListener.class);
                JdbcClient secondJdbc = second.getBean(JdbcClient.class);
                await().atMost(Duration.ofSeconds(30)).until(() -> healed.handled(appointment));
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> publicationsOf(secondJdbc, appointment).isEmpty());
            }
        } finally {
            TestDatabase.drop(database);
        }
    }

    /**
     * Carnet with the flaky listener, on a database (and keystore) that outlives it. A small
     * connection pool: the test contexts cached by other classes hold theirs meanwhile.
     */
    private static ConfigurableApplicationContext start(String database, boolean listenerFails, String retryInterval) {
        // As arguments: they must win over application.yml, as they would on a command line.
        return new SpringApplicationBuilder(CarnetApplication.class, FlakyBookingListener.class)
                .profiles("test")
                .initializers(new TestDatabase(), new TestMailServer())
                .run(
                        "--server.port=0",
                        "--spring.datasource.hikari.maximum-pool-size=8",
                        "--" + TestDatabase.SHARED_NAME + "=" + database,
                        "--carnet.events.retry-interval=" + retryInterval,
                        "--carnet.test.flaky-listener-fails=" + listenerFails);
    }

    private static Api api(ConfigurableApplicationContext context) {
        return new Api(Integer.parseInt(context.getEnvironment().getProperty("local.server.port")));
    }

    private static AppointmentId aBooking(ConfigurableApplicationContext context) {
        Fixtures.Agenda agenda =
                new Fixtures(context.getBean(Directory.class), context.getBean(Agendas.class)).aPractitionerWithSlots();
        Api api = api(context);
        String token = Fixtures.aPatientToken(api);
        Api.Response booked = api.post(
                "/api/v1/appointments",
                Map.of(
                        "slotId",
                        Fixtures.freeSlotIdsFromTomorrow(api, agenda).get(0),
                        "motiveId",
                        agenda.motive().id().toString()),
                token);
        assertThat(booked.status()).isEqualTo(201);
        return AppointmentId.of(UUID.fromString(booked.body().get("id").asString()));
    }

    /** Every column of the test listener's publications of this appointment's booking, as plain JDBC reads them. */
    private static List<Map<String, Object>> publicationsOf(JdbcClient jdbc, AppointmentId appointment) {
        return jdbc.sql("SELECT * FROM event_publication WHERE listener_id = ? AND serialized_event LIKE ?")
                .params(LISTENER, "%" + appointment.value() + "%")
                .query()
                .listOfRows();
    }

    private static String statusOf(JdbcClient jdbc, AppointmentId appointment) {
        List<Map<String, Object>> rows = publicationsOf(jdbc, appointment);
        return rows.size() == 1 ? String.valueOf(rows.get(0).get("status")) : null;
    }
}
