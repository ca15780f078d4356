package org.carnet.exports;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.carnet.crypto.FieldSealer;
import org.carnet.crypto.KeyOwner;
import org.carnet.crypto.SealedColumn;
import org.carnet.directory.Directory;
import org.carnet.patients.PatientFiles;
import org.carnet.scheduling.Agendas;
import org.carnet.shared.Actor;
import org.carnet.shared.EstablishmentId;
import org.carnet.shared.Role;
import org.carnet.support.Fixtures;
import org.carnet.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A benchmark, not a test (its name matches no test pattern; run it by name): an export of an
 * establishment of {@code carnet.bench.export-patients} (150,000) synthetic patients, each with one
 * appointment, its time and the JVM's heap while it streams (sampled every 20 ms), beside the time to
 * merely read the same rows; then {@code leak-trace} of its 150,000-row {@code patients.csv} beside the
 * time to merely read that file. Each measured {@code carnet.bench.runs} (3) times; prints every run.
 *
 * <pre>
 * ./mvnw -B -ntp verify -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dit.test=ExportBenchmark -Ppostgres
 * </pre>
 */
class ExportBenchmark {

    private static final int PATIENTS = Integer.getInteger("carnet.bench.export-patients", 150_000);
    private static final int RUNS = Integer.getInteger("carnet.bench.runs", 3);

    @Test
    void exportAndLeakTrace() throws Exception {
        String database = TestDatabase.freshName();
        try (ConfigurableApplicationContext carnet = TestDatabase.startCarnet(database)) {
            JdbcTemplate jdbc = carnet.getBean(JdbcTemplate.class);
            Exports exports = carnet.getBean(Exports.class);
            LeakTracer tracer = carnet.getBean(LeakTracer.class);
            Fixtures.Agenda agenda = new Fixtures(carnet.getBean(Directory.class), carnet.getBean(Agendas.class))
                    .aPractitionerWithSlots();
            UUID establishment = agenda.establishment().id();
            UUID adminLogin = UUID.randomUUID();
            Actor.Person admin = new Actor.Person(
                    adminLogin, Role.ESTABLISHMENT_ADMIN, adminLogin, EstablishmentId.of(establishment));
            Actor.Person officer = new Actor.Person(UUID.randomUUID(), Role.SECURITY_OFFICER, UUID.randomUUID(), null);

            long started = System.nanoTime();
            SyntheticPatients.file(
                    carnet.getBean(PatientFiles.class),
                    carnet.getBean(TransactionTemplate.class),
                    establishment,
                    adminLogin,
                    SyntheticPatients.people(PATIENTS, 150));
            LocalDate first = appointments(carnet, jdbc, agenda);
            jdbc.execute("ANALYZE");
            System.out.printf(
                    "ExportBenchmark: %d patient files and appointments made in %.0f s (JVM max heap %d MiB, %d cores)%n",
                    PATIENTS,
                    (System.nanoTime() - started) / 1e9,
                    Runtime.getRuntime().maxMemory() >> 20,
                    Runtime.getRuntime().availableProcessors());

            TestRecipient recipient = new TestRecipient("Vendor <vendor@example.test>");
            Path encrypted = Files.createTempFile("export", ".gpg");
            for (int run = 1; run <= RUNS; run++) {
                // Merely reading the same rows: every patient file and appointment, as the export's queries see them.
                long read = System.nanoTime();
                long[] bytes = {0};
                jdbc.query(
                        "SELECT * FROM patient_files WHERE establishment_id = ?",
                        rs -> {
                            for (int c = 1; c <= rs.getMetaData().getColumnCount(); c++) {
                                byte[] value = rs.getBytes(c);
                                bytes[0] += value == null ? 0 : value.length;
                            }
                        },
                        establishment);
                jdbc.query(
                        "SELECT a.*, s.start_at, s.end_at FROM appointments a JOIN slots s ON s.establishment_id ="
                                + " a.establishment_id AND s.id = a.slot_id WHERE a.establishment_id = ?",
                        rs -> {
                            bytes[0] += rs.getBytes("motive").length;
                        },
                        establishment);
                double readSeconds = (System.nanoTime() - read) / 1e9;

                ExportView export = exports.request(
                        admin,
                        new NewExport(
                                "Vendor",
                                recipient.publicKey(),
                                // Not the access log: each run's reads would swell the next run's export.
                                EnumSet.complementOf(EnumSet.of(ExportScope.AUDIT_LOG)),
                                LocalDate.now().minusDays(1),
                                first.plusYears(5)));
                Exports.Approval approval = exports.approve(officer, export.id());
                MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
                System.gc();
                long before = memory.getHeapMemoryUsage().getUsed();
                AtomicLong peak = new AtomicLong(before);
                Thread sampler = new Thread(() -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                        try {
                            Thread.sleep(20);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                sampler.start();
                long exporting = System.nanoTime();
                // The encrypted file goes to a temporary file, as a recipient's download would; the last is opened
                // below.
                CountingStream out;
                try (OutputStream kept = Files.newOutputStream(encrypted)) {
                    out = new CountingStream(kept);
                    exports.download(approval.token(), "127.0.0.1", out);
                }
                double exportSeconds = (System.nanoTime() - exporting) / 1e9;
                sampler.interrupt();
                sampler.join();
                ExportView done = exports.get(officer, export.id());
                assertThat(done.rowsExported()).isGreaterThanOrEqualTo(2 * PATIENTS);
                System.out.printf(
                        "ExportBenchmark: run %d: export of %d patient files and %d appointments (all but the log):"
                                + " %.1f s, %d MiB written; heap before %d MiB, peak while streaming %d MiB;"
                                + " merely reading the same rows: %.1f s (%d MiB of columns)%n",
                        run,
                        PATIENTS,
                        PATIENTS,
                        exportSeconds,
                        out.count >> 20,
                        before >> 20,
                        peak.get() >> 20,
                        readSeconds,
                        bytes[0] >> 20);
            }

            String csv = ExportApiIntegrationTest.unzip(recipient.open(Files.readAllBytes(encrypted)))
                    .get("patients.csv");
            Files.delete(encrypted);
            Path file = Files.createTempFile("leaked", ".csv");
            try {
                Files.writeString(file, csv);
                assertThat(csv.lines().count()).isGreaterThan(PATIENTS);
                for (int run = 1; run <= RUNS; run++) {
                    long read = System.nanoTime();
                    String text = Files.readString(file, StandardCharsets.UTF_8);
                    double readSeconds = (System.nanoTime() - read) / 1e9;
                    long tracing = System.nanoTime();
                    Attribution attribution = tracer.trace(List.of(file));
                    double traceSeconds = (System.nanoTime() - tracing) / 1e9;
                    assertThat(attribution.attributed()).isTrue();
                    System.out.printf(
                            "ExportBenchmark: run %d: leak-trace of a %d-row CSV (%d MiB, %d exports to score): %.2f s;"
                                    + " merely reading the file: %.2f s%n",
                            run, csv.lines().count() - 1, text.length() >> 20, RUNS, traceSeconds, readSeconds);
                }
            } finally {
                Files.delete(file);
            }
        } finally {
            TestDatabase.drop(database);
        }
    }

    /** One booked appointment for each patient file, one a quarter of an hour; the first day. */
    private static LocalDate appointments(
            ConfigurableApplicationContext carnet, JdbcTemplate jdbc, Fixtures.Agenda agenda) {
        FieldSealer sealer = carnet.getBean(FieldSealer.class);
        UUID establishment = agenda.establishment().id();
        UUID practitioner = agenda.practitioner().id();
        KeyOwner owner = KeyOwner.establishment(establishment);
        List<UUID> files = jdbc.queryForList(
                "SELECT id FROM patient_files WHERE establishment_id = ? ORDER BY id", UUID.class, establishment);
        Instant start =
                LocalDate.now().plusYears(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        List<Object[]> slots = new ArrayList<>();
        List<Object[]> appointments = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            UUID slot = UUID.randomUUID();
            UUID appointment = UUID.randomUUID();
            OffsetDateTime at = start.plus(15L * i, ChronoUnit.MINUTES).atOffset(ZoneOffset.UTC);
            slots.add(new Object[] {establishment, slot, practitioner, at, at.plusMinutes(15), "BOOKED", appointment});
            appointments.add(new Object[] {
                establishment,
                appointment,
                slot,
                practitioner,
                files.get(i),
                sealer.seal(owner, new SealedColumn("appointments", "motive", appointment), "synthetic"),
                "BOOKED",
                now
            });
            if (slots.size() == 1_000 || i == files.size() - 1) {
                jdbc.batchUpdate(
                        "INSERT INTO slots (establishment_id, id, practitioner_id, start_at, end_at, status,"
                                + " appointment_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
                        slots);
                jdbc.batchUpdate(
                        "INSERT INTO appointments (establishment_id, id, slot_id, practitioner_id, patient_file_id,"
                                + " motive, status, booked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        appointments);
                slots.clear();
                appointments.clear();
            }
        }
        return LocalDate.ofInstant(start, ZoneOffset.UTC);
    }

    /** Counts what the export writes, and keeps it when asked. */
    private static final class CountingStream extends OutputStream {
        private final OutputStream kept;

        long count;

        CountingStream(OutputStream kept) {
            this.kept = kept;
        }

        @Override
        public void write(int b) throws java.io.IOException {
            count++;
            kept.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws java.io.IOException {
            count += len;
            kept.write(b, off, len);
        }
    }
}
