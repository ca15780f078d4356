package org.carnet.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.carnet.directory.Directory;
import org.carnet.support.Api;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.carnet.support.RequiresPostgres;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Many clients at once against one slot, on PostgreSQL: the database lets exactly one win. */
@CarnetIntegrationTest
@RequiresPostgres
class BookingConcurrencyIntegrationTest {

    @Value("${local.server.port}")
    int port;

    @Autowired
    Directory directory;

    @Autowired
    Agendas agendas;

    @Autowired
    JdbcClient jdbc;

    Api api;
    Fixtures.Agenda agenda;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
    }

    @Test
    void twoHundredPatientsRaceForOneSlotAndExactlyOneGetsIt() throws Exception {
        List<String> tokens = parallel(
                4,
                java.util.stream.IntStream.range(0, 200)
                        .<Callable<String>>mapToObj(i -> this::aPatientToken)
                        .toList());
        String slotId = aFreeSlot();
        Map<String, Object> body =
                Map.of("slotId", slotId, "motiveId", agenda.motive().id().toString());

        CountDownLatch start = new CountDownLatch(1);
        List<Integer> statuses = parallel(
                200,
                tokens.stream()
                        .<Callable<Integer>>map(token -> () -> {
                            start.await();
                            return api.post("/api/v1/appointments", body, token).status();
                        })
                        .toList(),
                start);

        assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
        assertThat(statuses).filteredOn(s -> s == 409).hasSize(199);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM appointments WHERE slot_id = ?")
                        .param(UUID.fromString(slotId))
                        .query(Integer.class)
                        .single())
                .isEqualTo(1);
        assertThat(jdbc.sql("SELECT status FROM slots WHERE id = ?")
                        .param(UUID.fromString(slotId))
                        .query(String.class)
                        .single())
                .isEqualTo("BOOKED");
    }

    @Test
    void fiftyRetriesWithOneIdempotencyKeyMakeOneAppointment() throws Exception {
        String token = aPatientToken();
        String slotId = aFreeSlot();
        Map<String, Object> body =
                Map.of("slotId", slotId, "motiveId", agenda.motive().id().toString());
        Map<String, String> key = Map.of("Idempotency-Key", "same-" + UUID.randomUUID());

        CountDownLatch start = new CountDownLatch(1);
        List<Api.Response> responses = parallel(
                50,
                java.util.stream.IntStream.range(0, 50)
                        .<Callable<Api.Response>>mapToObj(i -> () -> {
                            start.await();
                            return api.post("/api/v1/appointments", body, token, key);
                        })
                        .toList(),
                start);

        assertThat(responses).extracting(Api.Response::status).containsOnly(201);
        assertThat(responses)
                .extracting(r -> r.body().get("id").asString())
                .containsOnly(responses.get(0).body().get("id").asString());
        assertThat(api.get("/api/v1/me/appointments", token).body()).hasSize(1);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM appointments WHERE slot_id = ?")
                        .param(UUID.fromString(slotId))
                        .query(Integer.class)
                        .single())
                .isEqualTo(1);
    }

    private String aPatientToken() {
        return Fixtures.aPatientToken(api);
    }

    private String aFreeSlot() {
        return Fixtures.freeSlotIdsFromTomorrow(api, agenda).get(0);
    }

    private static <T> List<T> parallel(int threads, List<Callable<T>> tasks) throws Exception {
        return parallel(threads, tasks, null);
    }

    /** Runs the tasks on that many threads; with a latch, opens it once every task is submitted. */
    private static <T> List<T> parallel(int threads, List<Callable<T>> tasks, CountDownLatch start) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(pool.submit(task));
            }
            if (start != null) {
                start.countDown();
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
