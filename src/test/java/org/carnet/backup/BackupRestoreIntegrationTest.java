package org.carnet.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.carnet.audit.AuditChains;
import org.carnet.audit.AuditCommand;
import org.carnet.crypto.KeyProvider;
import org.carnet.directory.Directory;
import org.carnet.directory.VisitMotive;
import org.carnet.scheduling.Agendas;
import org.carnet.support.Api;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.CiEnvironment;
import org.carnet.support.Fixtures;
import org.carnet.support.Gpg;
import org.carnet.support.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.env.Environment;
import org.springframework.test.annotation.DirtiesContext;

/**
 * {@code backup create} then {@code backup restore} into a fresh database, through the command line's
 * entry point, on the database of the run (H2, or PostgreSQL with {@code pg_dump} and {@code psql}): the
 * restored Carnet has the same rows in every table, and its audit log verifies against the witness
 * directory under Carnet's restricted role. The backup file holds no personal value readable without
 * the operator's key; a damaged, altered or forged backup, or a non-empty target, is refused and
 * leaves the target as it was.
 */
@CarnetIntegrationTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DirtiesContext
class BackupRestoreIntegrationTest {

    private static final String PASSPHRASE = "a synthetic operator passphrase";

    @Value("${local.server.port}")
    int port;

    @Autowired
    Directory directory;

    @Autowired
    Agendas agendas;

    @Autowired
    AuditChains chains;

    @Autowired
    KeyProvider keys;

    @Autowired
    Environment environment;

    @Autowired
    org.carnet.scheduling.Bookings bookings;

    @Autowired
    org.carnet.identity.Logins logins;

    @TempDir
    static Path files;

    TestOperator operator;
    final List<String> targets = new ArrayList<>();
    final List<String> personal = new ArrayList<>();

    @BeforeAll
    void carnetWithPersonalDataAndAWitnessedAuditLog() {
        if (TestDatabase.postgresRun() && !PostgresDump.toolsAvailable(null)) {
            String reason = "SKIPPED: pg_dump or psql not found on the PATH (install the PostgreSQL client;"
                    + " required under CI)";
            System.out.println(reason);
            if (CiEnvironment.isCi()) {
                Assertions.fail(reason);
            }
            Assumptions.abort(reason);
        }
        operator = TestOperator.in(files, PASSPHRASE);
        Api api = new Api(port);
        Fixtures.Agenda agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        VisitMotive motive = directory.addMotive(agenda.practitioner().id(), "Motifbackupprobe", 30, false);
        String email = "backup-probe-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        Map<String, Object> registration = Fixtures.aRegistration();
        registration.putAll(Map.of(
                "email", email,
                "firstName", "Bkqzyxfirst",
                "lastName", "Bkqzyxlast",
                "birthDate", "1936-10-27",
                "phone", "+33 6 97 75 53 31",
                "nir", "295109912611193"));
        Fixtures.Patient patient = Fixtures.registered(api, registration);
        List<String> slots = Fixtures.freeSlotIdsFromTomorrow(api, agenda);
        // A comment stored as before it moved into the encrypted exchange (the API refuses one now).
        new org.carnet.support.StoredComments(bookings, logins)
                .book(patient.account(), slots.get(0), motive.id(), "Bkcommentprobe douleur", null);
        assertThat(api.get("/api/v1/me", patient.token()).status()).isEqualTo(200);
        personal.addAll(List.of(
                email, "Bkqzyxfirst", "Bkqzyxlast", "1936-10-27", "97 75 53 31", "295109912611193", "Bkcommentprobe"));
        // Every entry sealed and a checkpoint signed and written to the witness, as the node does on its own.
        chains.sealPending();
        assertThat(chains.checkpoint()).isPositive();
    }

    @AfterAll
    void dropTargets() {
        targets.forEach(TestDatabase::drop);
    }

    @Test
    void aRestoredBackupHasTheSameRowsAndAnAuditLogThatVerifiesAgainstTheWitness() throws Exception {
        Map<String, Long> before = counts(sourceUrl(), ownerUser(), ownerPassword());
        Path backup = files.resolve("carnet.backup.pgp");

        assertThat(backup("create", backup, source())).isEqualTo(BackupCommand.DONE);
        assertThat(counts(sourceUrl(), ownerUser(), ownerPassword()))
                .as("the source did not change while it was backed up")
                .isEqualTo(before);

        String name = freshTarget();
        assertThat(backup("restore", backup, target(name))).isEqualTo(BackupCommand.DONE);

        assertThat(before).containsKeys("audit_log", "appointments", "flyway_schema_history");
        assertThat(before.get("audit_log")).isPositive();
        assertThat(counts(targetUrl(name), ownerUser(), ownerPassword())).isEqualTo(before);

        // The restored Carnet's audit log, checked as `audit verify` does, under Carnet's own (restricted) role.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> verify = new ArrayList<>(List.of("audit", "verify"));
        verify.addAll(target(name));
        assertThat(AuditCommand.run(
                        verify.toArray(String[]::new), new PrintStream(out, true), new PrintStream(err, true)))
                .as(err.toString())
                .isEqualTo(AuditCommand.INTACT);
        assertThat(out.toString()).startsWith("audit verify: OK, ").doesNotContain("WARNING");

        if (TestDatabase.postgresRun()) {
            // The grants came back: Carnet's role reads and appends, and still cannot rewrite the audit log.
            try (Connection app = DriverManager.getConnection(
                            targetUrl(name), TestDatabase.applicationRole(), TestDatabase.PG_APP_PASSWORD);
                    Statement statement = app.createStatement()) {
                try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM appointments")) {
                    rs.next();
                    assertThat(rs.getLong(1)).isEqualTo(before.get("appointments"));
                }
                assertThat(Assertions.assertThrows(
                                        SQLException.class, () -> statement.executeUpdate("DELETE FROM audit_log"))
                                .getSQLState())
                        .isEqualTo("42501");
            }
        }
    }

    @Test
    void theBackupFileHoldsNoPersonalValueInClearAndItsDumpNoneEither() throws Exception {
        Path backup = files.resolve("no-plaintext.backup.pgp");
        assertThat(backup("create", backup, source())).isEqualTo(BackupCommand.DONE);

        String bytes = new String(Files.readAllBytes(backup), StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
        // Not even the schema shows: the whole dump is encrypted, not only the sealed columns.
        assertThat(bytes)
                .doesNotContain("create table")
                .doesNotContain("audit_log")
                .doesNotContain("insert into");
        for (String value : personal) {
            for (String form : forms(value)) {
                assertThat(bytes.contains(form.toLowerCase(Locale.ROOT)))
                        .as("a personal value (or its base64) in the backup file")
                        .isFalse();
            }
        }
        // Opened with the operator's key, it is the database's dump, which holds only sealed values itself.
        String dump;
        try (InputStream in = Files.newInputStream(backup)) {
            BackupEnvelope.Opened opened = BackupEnvelope.open(
                    in, OperatorKeys.privateKeys(operator.privateKey(), operator.passphraseFile(), null), this::signer);
            dump = new String(opened.content().readAllBytes(), StandardCharsets.UTF_8);
            opened.verify();
        }
        assertThat(dump.contains("audit_log") && dump.contains("appointments"))
                .as("the decrypted file is the dump")
                .isTrue();
        for (String value : personal) {
            assertThat(dump.toLowerCase(Locale.ROOT).contains(value.toLowerCase(Locale.ROOT)))
                    .as("a personal value in the dump")
                    .isFalse();
        }
    }

    @Test
    void aDamagedOrAlteredBackupIsRefusedAndLeavesTheTargetEmpty() throws Exception {
        Path backup = files.resolve("to-alter.backup.pgp");
        assertThat(backup("create", backup, source())).isEqualTo(BackupCommand.DONE);
        byte[] whole = Files.readAllBytes(backup);

        // A byte changed in the middle (the dump cannot be read on), in the last bytes (the dump is read to its
        // end, then the integrity check fails), and a backup cut short.
        byte[] middle = whole.clone();
        middle[middle.length / 2] ^= 0x01;
        byte[] tail = whole.clone();
        tail[tail.length - 1] ^= 0x01;
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length * 3 / 4);
        for (byte[] altered : List.of(middle, tail, cut)) {
            Path file = Files.write(files.resolve("altered-" + UUID.randomUUID() + ".pgp"), altered);
            String name = freshTarget();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            assertThat(backup("restore", file, target(name), err)).isEqualTo(BackupCommand.REFUSED);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("REFUSED");
            assertThat(objects(name)).as("objects left in the target").isZero();
        }
    }

    @Test
    void aBackupEncryptedToTheOperatorButSignedByAnotherKeyIsRefused() throws Exception {
        // Anyone may encrypt to the operator's public key: only Carnet's signature makes it a Carnet backup.
        Path forged = files.resolve("forged.backup.pgp");
        KeyPairGenerator ed25519 = KeyPairGenerator.getInstance("Ed25519");
        try (OutputStream out = Files.newOutputStream(forged);
                OutputStream sealed = BackupEnvelope.seal(
                        out,
                        OperatorKeys.recipient(operator.publicKey(), Instant.now()),
                        ed25519.generateKeyPair(),
                        TestDatabase.postgresRun() ? "postgresql" : "h2",
                        keys.checkpointSigningKeyId(),
                        Instant.now())) {
            sealed.write("CREATE TABLE forged (id INTEGER);\n".getBytes(StandardCharsets.UTF_8));
        }
        String name = freshTarget();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        assertThat(backup("restore", forged, target(name), err)).isEqualTo(BackupCommand.REFUSED);

        assertThat(err.toString(StandardCharsets.UTF_8)).contains("signed by another key");
        assertThat(objects(name)).isZero();
    }

    @Test
    void aRestoreIntoADatabaseThatIsNotEmptyIsRefusedAndChangesNothing() throws Exception {
        Path backup = files.resolve("into-itself.backup.pgp");
        assertThat(backup("create", backup, source())).isEqualTo(BackupCommand.DONE);
        Map<String, Long> before = counts(sourceUrl(), ownerUser(), ownerPassword());
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        assertThat(backup("restore", backup, source(), err)).isEqualTo(BackupCommand.REFUSED);

        assertThat(err.toString(StandardCharsets.UTF_8)).contains("not empty");
        assertThat(counts(sourceUrl(), ownerUser(), ownerPassword())).isEqualTo(before);
    }

    @Test
    void theOperatorsGpgOpensTheBackupAndChecksCarnetsSignatureAndItsKeyRestoresIt() throws Exception {
        if (!Files.isExecutable(Gpg.GPG) && !CiEnvironment.isCi()) {
            String reason = "SKIPPED: needs " + Gpg.GPG + " (apt-get install gnupg; required under CI)";
            System.out.println(reason);
            Assumptions.abort(reason);
        }
        try (Gpg gpg = Gpg.fresh()) {
            // A key pair as an operator makes it (ed25519 and cv25519), without passphrase here.
            String publicKey = gpg.generate("Backup operator <ops@carnet.invalid>", "default", "default");
            TestOperator keys = new TestOperator(
                    Files.writeString(files.resolve("gpg-public.asc"), publicKey),
                    Files.write(
                            files.resolve("gpg-private.asc"),
                            gpg.run(null, "--armor", "--export-secret-keys", "ops@carnet.invalid")
                                    .stdout()),
                    Files.writeString(files.resolve("gpg-passphrase"), ""));
            Path backup = files.resolve("for-gpg.backup.pgp");
            assertThat(backup("create", backup, source(), new ByteArrayOutputStream(), keys))
                    .isEqualTo(BackupCommand.DONE);

            gpg.run(
                    new Api(port).get("/api/v1/exports/signing-key", null).raw().getBytes(StandardCharsets.US_ASCII),
                    "--import");
            Gpg.Result opened = gpg.run(Files.readAllBytes(backup), "--status-fd", "2", "--decrypt");
            assertThat(opened.exitCode()).as(opened.stderr()).isZero();
            assertThat(opened.stderr()).contains("DECRYPTION_OKAY").contains("GOODSIG");
            String dump = opened.out().toLowerCase(Locale.ROOT);
            assertThat(dump.contains("create") && dump.contains("audit_log"))
                    .as("gpg's output is the dump")
                    .isTrue();

            String name = freshTarget();
            assertThat(backup("restore", backup, target(name), new ByteArrayOutputStream(), keys))
                    .isEqualTo(BackupCommand.DONE);
            assertThat(objects(name)).isPositive();
        }
    }

    // --- the command line and the databases

    private int backup(String command, Path file, List<String> database) {
        return backup(command, file, database, new ByteArrayOutputStream());
    }

    private int backup(String command, Path file, List<String> database, ByteArrayOutputStream err) {
        return backup(command, file, database, err, operator);
    }

    private int backup(String command, Path file, List<String> database, ByteArrayOutputStream err, TestOperator keys) {
        List<String> args = new ArrayList<>(List.of("backup", command, file.toString()));
        args.addAll(database);
        args.add("--carnet.backup.recipient-key=" + keys.publicKey());
        args.add("--carnet.backup.private-key=" + keys.privateKey());
        args.add("--carnet.backup.passphrase-file=" + keys.passphraseFile());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status =
                BackupCommand.run(args.toArray(String[]::new), new PrintStream(out, true), new PrintStream(err, true));
        System.out.println(out.toString().strip() + " " + err.toString().strip());
        return status;
    }

    private List<String> source() {
        List<String> args = new ArrayList<>();
        args.add("--spring.datasource.url=" + sourceUrl());
        args.add("--spring.datasource.username=" + environment.getProperty("spring.datasource.username", ""));
        args.add("--spring.datasource.password=" + environment.getProperty("spring.datasource.password", ""));
        if (environment.containsProperty("spring.flyway.user")) {
            args.add("--spring.flyway.user=" + ownerUser());
            args.add("--spring.flyway.password=" + ownerPassword());
        }
        args.add("--carnet.data-dir=" + environment.getRequiredProperty("carnet.data-dir"));
        args.add("--carnet.audit.witness.directory="
                + environment.getRequiredProperty("carnet.audit.witness.directory"));
        return args;
    }

    /** A fresh, empty database with Carnet's keys and witness: where an operator restores to. */
    private String freshTarget() {
        String name = TestDatabase.freshName();
        targets.add(name);
        TestDatabase.commandLine(name); // creates it on PostgreSQL
        return name;
    }

    private List<String> target(String name) {
        List<String> args = new ArrayList<>();
        for (String arg : TestDatabase.commandLine(name)) {
            if (!arg.startsWith("--carnet.data-dir=") && !arg.startsWith("--carnet.audit.witness.directory=")) {
                args.add(arg);
            }
        }
        if (!TestDatabase.postgresRun()) {
            args.add("--spring.datasource.username=" + environment.getProperty("spring.datasource.username", ""));
            args.add("--spring.datasource.password=" + environment.getProperty("spring.datasource.password", ""));
        }
        args.add("--carnet.data-dir=" + environment.getRequiredProperty("carnet.data-dir"));
        args.add("--carnet.audit.witness.directory="
                + environment.getRequiredProperty("carnet.audit.witness.directory"));
        return args;
    }

    private String sourceUrl() {
        return environment.getRequiredProperty("spring.datasource.url");
    }

    private String targetUrl(String name) {
        return TestDatabase.commandLine(name).stream()
                .filter(arg -> arg.startsWith("--spring.datasource.url="))
                .findFirst()
                .orElseThrow()
                .substring("--spring.datasource.url=".length());
    }

    private String ownerUser() {
        return environment.getProperty("spring.flyway.user", environment.getProperty("spring.datasource.username", ""));
    }

    private String ownerPassword() {
        return environment.getProperty(
                "spring.flyway.password", environment.getProperty("spring.datasource.password", ""));
    }

    private long objects(String name) {
        DatabaseLogin login = new DatabaseLogin(targetUrl(name), ownerUser(), ownerPassword());
        return login.postgres() ? new PostgresDump(login, null).objects() : new H2Dump(login).objects();
    }

    /** Rows per table of the database's current schema. */
    private static Map<String, Long> counts(String url, String user, String password) throws SQLException {
        Map<String, Long> counts = new TreeMap<>();
        try (Connection connection = DriverManager.getConnection(url, user, password)) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = connection
                    .getMetaData()
                    .getTables(null, connection.getSchema(), "%", new String[] {"TABLE", "BASE TABLE"})) {
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME"));
                }
            }
            try (Statement statement = connection.createStatement()) {
                for (String table : tables) {
                    try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM \"" + table + "\"")) {
                        rs.next();
                        counts.put(table.toLowerCase(Locale.ROOT), rs.getLong(1));
                    }
                }
            }
        }
        return counts;
    }

    private java.security.PublicKey signer(String keyId) {
        return keys.checkpointSigningKey().getPublic();
    }

    /** A value as it would appear in clear, and its base64 at each of the three alignments. */
    private static List<String> forms(String value) {
        List<String> forms = new ArrayList<>(List.of(value));
        for (int shift = 0; shift < 3 && shift < value.length(); shift++) {
            String part = value.substring(shift);
            String encoded = Base64.getEncoder().encodeToString(part.getBytes(StandardCharsets.UTF_8));
            int whole = part.getBytes(StandardCharsets.UTF_8).length / 3 * 4;
            if (whole >= 8) {
                forms.add(encoded.substring(0, whole));
            }
        }
        return forms;
    }
}
