package org.carnet.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.carnet.directory.Directory;
import org.carnet.identity.Logins;
import org.carnet.notifications.Channel;
import org.carnet.notifications.Inbox;
import org.carnet.notifications.Recipient;
import org.carnet.notifications.internal.Envelope;
import org.carnet.notifications.internal.Outbox;
import org.carnet.scheduling.Agendas;
import org.carnet.shared.Role;
import org.carnet.support.Api;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.carnet.support.Professionals;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Issue 16 item 2: rotation without downtime. A new master key re-wraps every data key and a new data key
 * version re-seals an establishment's values, in small batches, while Carnet keeps serving: everything opens
 * throughout and after, another establishment is untouched, a booking made during the rotation ends under the
 * new version, a node that runs beside takes the new keys, and a rotation stopped halfway is finished by the
 * next run. A patient account's, a login's and a professional's values, partly in the inbox and outbox they share
 * with each other, are re-sealed too, and only theirs.
 */
@CarnetIntegrationTest
@TestPropertySource(properties = {"carnet.crypto.rotation.batch-size=3", "carnet.crypto.rotation.settle=PT1S"})
class KeyRotationIntegrationTest {

    @Value("${local.server.port}")
    int port;

    @Autowired
    Directory directory;

    @Autowired
    Agendas agendas;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MasterKeyRotation masterKeyRotation;

    @Autowired
    DataKeyRotation dataKeyRotation;

    @Autowired
    DataKeys dataKeys;

    @Autowired
    BlindIndex blindIndex;

    @Autowired
    FieldSealer sealer;

    @Autowired
    SealedTables sealedTables;

    @Autowired
    ConfiguredKeyProvider keyProvider;

    @Autowired
    CryptoProperties cryptoProperties;

    @Autowired
    SecureRandom random;

    @Autowired
    Clock clock;

    @Autowired
    Inbox inbox;

    @Autowired
    Outbox outbox;

    @Autowired
    Logins logins;

    @Autowired
    TransactionTemplate transactions;

    private Api api;
    private Fixtures fixtures;

    @BeforeEach
    void setUp() {
        api = new Api(port);
        fixtures = new Fixtures(directory, agendas);
    }

    @Test
    void aNewMasterKeyRewrapsEveryDataKeyAndANodeStartedBeforeStillOpensEverything() throws Exception {
        Fixtures.Agenda agenda = fixtures.aPractitionerWithSlots();
        Fixtures.Patient patient = Fixtures.aPatient(api);
        UUID appointment = book(patient, agenda, 0);
        String motive = motive(appointment, patient);
        byte[] index = blindIndex.ofEstablishment(agenda.establishment().id(), "rotation-probe", "value");
        // A node running beside this one, which read the keystore before the rotation.
        ConfiguredKeyProvider otherNode = new ConfiguredKeyProvider(cryptoProperties, random);
        String before = keyProvider.currentMasterKeyId();
        List<MasterKeyRotation.Progress> progress = new CopyOnWriteArrayList<>();

        MasterKeyRotation.Result result = masterKeyRotation.rotate(progress::add);

        String after = result.masterKey();
        assertThat(after).isNotEqualTo(before).isEqualTo(keyProvider.currentMasterKeyId());
        assertThat(masterKeysOfTheRows()).containsExactly(after);
        assertThat(result.wrappedBy()).containsOnlyKeys(after);
        assertThat(progress).hasSizeGreaterThan(1);
        assertThat(progress.get(progress.size() - 1).left()).isZero();
        assertThat(aliases()).contains(before, after);
        // Every data key unwraps on the node that started before, which rereads the keystore when a row names
        // a key it does not know, and wraps its own new data keys with the new one soon after.
        DataKeys otherNodesKeys = new DataKeys(jdbc, otherNode, random, clock);
        everyDataKeyUnwrapsOn(otherNodesKeys);
        // The establishment's blind-index key was re-wrapped with them, and is the same key.
        assertThat(new BlindIndex(otherNode, otherNodesKeys)
                        .ofEstablishment(agenda.establishment().id(), "rotation-probe", "value"))
                .isEqualTo(index);
        otherNode.rereadMasterKeys();
        assertThat(otherNode.currentMasterKeyId()).isEqualTo(after);
        // And the data opens as before; a new patient's keys are made and used under the new master key.
        assertThat(motive(appointment, patient)).isEqualTo(motive).isNotNull();
        Fixtures.Patient newcomer = Fixtures.aPatient(api);
        assertThat(motive(book(newcomer, agenda, 1), newcomer)).isEqualTo(motive);
        assertThat(masterKeysOfTheRows()).containsExactly(after);
    }

    @Test
    void aMasterKeyRotationStoppedHalfwayIsFinishedByTheNextRunWithoutAThirdKey() throws Exception {
        Fixtures.aPatient(api); // a few more data keys than one batch
        String before = keyProvider.currentMasterKeyId();
        AtomicBoolean crashed = new AtomicBoolean();

        assertThatThrownBy(() -> masterKeyRotation.rotate(progress -> {
                    crashed.set(true);
                    throw new IllegalStateException("simulated crash after the first batch");
                }))
                .hasMessageContaining("simulated crash");

        assertThat(crashed).isTrue();
        String started = keyProvider.currentMasterKeyId();
        assertThat(started).isNotEqualTo(before);
        assertThat(masterKeysOfTheRows()).as("half done: both keys wrap some").contains(before, started);
        everyDataKeyUnwrapsOn(new DataKeys(jdbc, keyProvider, random, clock));

        MasterKeyRotation.Result finished = masterKeyRotation.rotate(progress -> {});

        assertThat(finished.resumed()).isTrue();
        assertThat(finished.masterKey()).isEqualTo(started);
        assertThat(masterKeysOfTheRows()).containsExactly(started);
        assertThat(aliases().stream().filter(alias -> alias.startsWith("master-")))
                .as("no third key made by the second run")
                .hasSize(Integer.parseInt(started.substring("master-".length())));
        everyDataKeyUnwrapsOn(new DataKeys(jdbc, keyProvider, random, clock));
    }

    @Test
    void aNewDataKeyVersionReSealsEveryValueOfTheEstablishmentAndNoneOfAnother() {
        Fixtures.Agenda rotated = fixtures.aPractitionerWithSlots();
        Fixtures.Agenda other = fixtures.aPractitionerWithSlots();
        Map<UUID, Fixtures.Patient> appointments = new HashMap<>();
        for (int i = 0; i < 4; i++) {
            Fixtures.Patient patient = Fixtures.aPatient(api);
            appointments.put(book(patient, rotated, i), patient);
            book(patient, other, i);
        }
        KeyOwner owner = KeyOwner.establishment(rotated.establishment().id());
        KeyOwner untouched = KeyOwner.establishment(other.establishment().id());
        Map<String, String> otherBefore = hex(sealedValues(untouched));
        assertThat(versionsOf(owner)).containsOnly(1);
        List<DataKeyRotation.Progress> progress = new CopyOnWriteArrayList<>();

        DataKeyRotation.Result result = dataKeyRotation.rotate(owner, progress::add);

        assertThat(result.version()).isEqualTo(2);
        assertThat(result.resumed()).isFalse();
        assertThat(result.resealed()).isEqualTo(sealedValues(owner).size());
        assertThat(versionsOf(owner))
                .as("read from the header of each value stored")
                .containsOnly(2);
        assertThat(dataKeyRotation.versions(owner).values().stream().flatMap(byVersion -> byVersion.keySet().stream()))
                .as("as the command prints them")
                .containsOnly(2);
        assertThat(progress).hasSizeGreaterThan(1);
        assertThat(hex(sealedValues(untouched)))
                .as("another establishment's values, byte for byte")
                .isEqualTo(otherBefore);
        everyValueOpens(owner);
        everyValueOpens(untouched);
        appointments.forEach((appointment, patient) ->
                assertThat(motive(appointment, patient)).isEqualTo("Consultation de test"));
    }

    @Test
    void bookingsMadeWhileTheRotationRunsEndUnderTheNewVersion() throws Exception {
        Fixtures.Agenda agenda = fixtures.aPractitionerWithSlots();
        List<String> slots = Fixtures.freeSlotIdsFromTomorrow(api, agenda);
        List<Fixtures.Patient> patients = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            patients.add(Fixtures.aPatient(api));
        }
        book(patients.get(0), agenda, 0);
        KeyOwner owner = KeyOwner.establishment(agenda.establishment().id());
        Map<UUID, Fixtures.Patient> booked = new java.util.concurrent.ConcurrentHashMap<>();
        List<Long> bookedAt = new CopyOnWriteArrayList<>();
        AtomicBoolean rotationStarted = new AtomicBoolean();
        ExecutorService bookers = Executors.newFixedThreadPool(3);
        List<Future<?>> running = new ArrayList<>();
        try {
            for (int i = 1; i < patients.size(); i++) {
                Fixtures.Patient patient = patients.get(i);
                String slot = slots.get(i);
                running.add(bookers.submit(() -> {
                    UUID id = Fixtures.book(api, patient, agenda, slot);
                    booked.put(id, patient);
                    if (rotationStarted.get()) {
                        bookedAt.add(System.nanoTime());
                    }
                    return id;
                }));
            }
            rotationStarted.set(true);
            long started = System.nanoTime();
            DataKeyRotation.Result result = dataKeyRotation.rotate(owner, progress -> {});
            long ended = System.nanoTime();
            for (Future<?> booking : running) {
                booking.get();
            }

            assertThat(bookedAt)
                    .as("bookings went on while the rotation ran")
                    .anySatisfy(at -> assertThat(at).isBetween(started, ended));
            assertThat(versionsOf(owner)).containsOnly(result.version());
            everyValueOpens(owner);
            booked.forEach((appointment, patient) ->
                    assertThat(motive(appointment, patient)).isEqualTo("Consultation de test"));
        } finally {
            bookers.shutdownNow();
        }
    }

    @Test
    void aNodeThatCachedTheOldVersionSealsWithTheNewOneOnceItLooksAgain() {
        Fixtures.Agenda agenda = fixtures.aPractitionerWithSlots();
        book(Fixtures.aPatient(api), agenda, 0);
        KeyOwner owner = KeyOwner.establishment(agenda.establishment().id());
        DataKeys otherNode = new DataKeys(jdbc, keyProvider, random, clock);
        assertThat(otherNode.current(owner).version()).isEqualTo(1);

        int version = dataKeys.addVersion(owner);

        assertThat(dataKeys.current(owner).version()).as("this node: at once").isEqualTo(version);
        assertThat(otherNode.current(owner).version())
                .as("the other node: still cached")
                .isEqualTo(1);
        otherNode.forgetRotated(); // what every node does every five seconds
        assertThat(otherNode.current(owner).version()).isEqualTo(version);
    }

    @Test
    void aDataKeyRotationStoppedHalfwayIsFinishedByTheNextRunUnderTheSameVersion() {
        Fixtures.Agenda agenda = fixtures.aPractitionerWithSlots();
        for (int i = 0; i < 3; i++) {
            book(Fixtures.aPatient(api), agenda, i);
        }
        KeyOwner owner = KeyOwner.establishment(agenda.establishment().id());

        assertThatThrownBy(() -> dataKeyRotation.rotate(owner, progress -> {
                    throw new IllegalStateException("simulated crash after the first batch");
                }))
                .hasMessageContaining("simulated crash");

        assertThat(versionsOf(owner)).as("half done").containsExactlyInAnyOrder(1, 2);
        everyValueOpens(owner);

        DataKeyRotation.Result finished = dataKeyRotation.rotate(owner, progress -> {});

        assertThat(finished.resumed()).isTrue();
        assertThat(finished.version()).isEqualTo(2);
        assertThat(dataKeys.latestVersion(owner)).as("no third version").isEqualTo(2);
        assertThat(versionsOf(owner)).containsOnly(2);
        everyValueOpens(owner);
    }

    @Test
    void anEstablishmentsBlindIndexKeyIsNeitherRotatedNorUsedToSeal() {
        UUID establishment = UUID.randomUUID();
        byte[] index = blindIndex.ofEstablishment(establishment, "rotation-probe", "value");
        KeyOwner indexKey = new KeyOwner(KeyOwner.Type.ESTABLISHMENT_INDEX, establishment);

        assertThatThrownBy(() -> dataKeyRotation.rotate(indexKey, progress -> {}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sealer.seal(indexKey, new SealedColumn("t", "c", establishment), "value"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(dataKeys.latestVersion(indexKey)).isEqualTo(1);
        assertThat(blindIndex.ofEstablishment(establishment, "rotation-probe", "value"))
                .isEqualTo(index);
    }

    @Test
    void anOwnerWithoutKeysIsRefused() {
        assertThatThrownBy(() -> dataKeyRotation.rotate(KeyOwner.establishment(UUID.randomUUID()), progress -> {}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> dataKeyRotation.rotate(KeyOwner.login(UUID.randomUUID()), progress -> {}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("No data key");
    }

    @Test
    void aPatientsALoginsAndAProfessionalsValuesAreReSealedInTheSharedTablesAndNoOneElses() {
        Fixtures.Agenda agenda = fixtures.aPractitionerWithSlots();
        Fixtures.Patient patient = Fixtures.aPatient(api);
        Fixtures.Patient otherPatient = Fixtures.aPatient(api);
        // A staff member: their login and their professional inbox have the same id and two different keys.
        UUID staff = new Professionals(logins, transactions)
                .staff(Role.STAFF, agenda.establishment().id())
                .userId();
        KeyOwner patientOwner = KeyOwner.patientAccount(patient.account());
        KeyOwner login = KeyOwner.login(staff);
        KeyOwner professional = KeyOwner.professional(staff);
        KeyOwner practitioner = KeyOwner.professional(agenda.practitioner().id());
        for (int i = 0; i < 4; i++) {
            inbox.post(Recipient.patient(patient.account()), "test-message", List.of("n" + i), "12345" + i);
            enqueue(patientOwner, i);
        }
        inbox.post(Recipient.patient(otherPatient.account()), "test-message", List.of("other"), null);
        enqueue(KeyOwner.patientAccount(otherPatient.account()), 0);
        for (int i = 0; i < 2; i++) {
            inbox.post(Recipient.professional(staff), "test-message", List.of("n" + i), null);
            enqueue(login, i);
            enqueue(professional, i);
        }
        inbox.post(Recipient.professional(agenda.practitioner().id()), "test-message", List.of("p"), null);

        for (KeyOwner owner : List.of(patientOwner, login, professional)) {
            Map<String, String> sharedBefore = sharedRows();
            Map<String, String> ownBefore = hex(sealedValues(owner));
            assertThat(versionsOf(owner)).containsOnly(1);

            DataKeyRotation.Result result = dataKeyRotation.rotate(owner, progress -> {});

            assertThat(result.version()).isEqualTo(2);
            assertThat(result.resealed()).isEqualTo(ownBefore.size());
            assertThat(versionsOf(owner)).as(owner.type() + ": every value").containsOnly(2);
            assertThat(dataKeyRotation.versions(owner).values().stream()
                            .flatMap(byVersion -> byVersion.keySet().stream()))
                    .containsOnly(2);
            everyValueOpens(owner);
            Map<String, String> sharedAfter = sharedRows();
            assertThat(sharedAfter.keySet()).isEqualTo(sharedBefore.keySet());
            List<String> whose = storedTypes(owner).stream()
                    .map(type -> " " + type + ":" + owner.id())
                    .toList();
            sharedBefore.forEach((row, value) -> {
                if (whose.stream().anyMatch(row::endsWith)) {
                    assertThat(sharedAfter.get(row)).as(row).isNotEqualTo(value);
                } else {
                    assertThat(sharedAfter.get(row))
                            .as("another owner's row, byte for byte: " + row)
                            .isEqualTo(value);
                }
            });
        }
        assertThat(ownTables(patientOwner)).contains("patient_accounts", "inbox_messages", "outbox_messages");
        assertThat(ownTables(login)).contains("user_accounts", "outbox_messages");
        assertThat(ownTables(professional)).contains("inbox_messages", "outbox_messages");
        for (KeyOwner untouched : List.of(KeyOwner.patientAccount(otherPatient.account()), practitioner)) {
            assertThat(versionsOf(untouched)).containsOnly(1);
            everyValueOpens(untouched);
        }
        // As the patient reads their inbox, through the inbox.
        assertThat(inbox.list(
                        Recipient.patient(patient.account()),
                        logins.loginOf(patient.account()).orElseThrow()))
                .filteredOn(message -> message.kind().equals("test-message"))
                .hasSize(4);
    }

    @Test
    void aPatientsRotationStoppedHalfwayIsFinishedByTheNextRun() {
        Fixtures.Patient patient = Fixtures.aPatient(api);
        KeyOwner owner = KeyOwner.patientAccount(patient.account());
        for (int i = 0; i < 5; i++) {
            inbox.post(Recipient.patient(patient.account()), "test-message", List.of("n" + i), null);
            enqueue(owner, i);
        }

        assertThatThrownBy(() -> dataKeyRotation.rotate(owner, progress -> {
                    throw new IllegalStateException("simulated crash after the first batch");
                }))
                .hasMessageContaining("simulated crash");

        assertThat(versionsOf(owner)).as("half done").containsExactlyInAnyOrder(1, 2);
        everyValueOpens(owner);

        DataKeyRotation.Result finished = dataKeyRotation.rotate(owner, progress -> {});

        assertThat(finished.resumed()).isTrue();
        assertThat(finished.version()).isEqualTo(2);
        assertThat(dataKeys.latestVersion(owner)).as("no third version").isEqualTo(2);
        assertThat(versionsOf(owner)).containsOnly(2);
        everyValueOpens(owner);
    }

    private void enqueue(KeyOwner owner, int n) {
        transactions.executeWithoutResult(status -> outbox.enqueue(
                owner,
                new Envelope(Channel.EMAIL, "rotation-" + n + "@example.test", "Test " + n, "Texte " + n, null)));
    }

    /**
     * Every row of the inbox and the outbox, named by table, id and the owner its own columns name (as the
     * tables' writers store them), with its sealed values.
     */
    private Map<String, String> sharedRows() {
        Map<String, String> rows = new java.util.TreeMap<>();
        jdbc.sql("SELECT id, recipient_type, recipient_id, body, verification_code FROM inbox_messages")
                .query(rs -> {
                    rows.put(
                            "inbox " + rs.getObject(1) + " " + rs.getString(2) + ":" + rs.getObject(3),
                            java.util.HexFormat.of().formatHex(rs.getBytes(4)) + "/"
                                    + (rs.getBytes(5) == null
                                            ? ""
                                            : java.util.HexFormat.of().formatHex(rs.getBytes(5))));
                });
        jdbc.sql("SELECT id, owner_type, owner_id, envelope FROM outbox_messages")
                .query(rs -> {
                    rows.put(
                            "outbox " + rs.getObject(1) + " " + rs.getString(2) + ":" + rs.getObject(3),
                            java.util.HexFormat.of().formatHex(rs.getBytes(4)));
                });
        return rows;
    }

    /** What the inbox ({@code recipient_type}) and the outbox ({@code owner_type}) store for this kind of owner. */
    private static List<String> storedTypes(KeyOwner owner) {
        return owner.type() == KeyOwner.Type.PATIENT_ACCOUNT
                ? List.of("PATIENT", "PATIENT_ACCOUNT")
                : List.of(owner.type().name());
    }

    private List<String> ownTables(KeyOwner owner) {
        return sealedValues(owner).keySet().stream()
                .map(where -> where.substring(0, where.indexOf('.')))
                .distinct()
                .toList();
    }

    private UUID book(Fixtures.Patient patient, Fixtures.Agenda agenda, int slot) {
        return Fixtures.book(
                api,
                patient,
                agenda,
                Fixtures.freeSlotIdsFromTomorrow(api, agenda).get(slot));
    }

    /** The appointment's motive as its patient reads it through the API (opened from its sealed column). */
    private String motive(UUID appointment, Fixtures.Patient patient) {
        Api.Response read = api.get("/api/v1/appointments/" + appointment, patient.token());
        if (read.status() != 200) {
            return null;
        }
        return read.body().get("motive").asString();
    }

    private List<String> masterKeysOfTheRows() {
        return jdbc.sql("SELECT DISTINCT master_key FROM data_keys")
                .query(String.class)
                .list();
    }

    private void everyDataKeyUnwrapsOn(DataKeys node) {
        jdbc.sql("SELECT owner_type, owner_id, version FROM data_keys")
                .query((rs, n) -> {
                    KeyOwner owner = new KeyOwner(KeyOwner.Type.valueOf(rs.getString(1)), rs.getObject(2, UUID.class));
                    return node.version(owner, rs.getInt(3));
                })
                .list();
    }

    private List<String> aliases() throws Exception {
        char[] password = KeystorePassword.resolve(cryptoProperties, random);
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(cryptoProperties.keystore())) {
            store.load(in, password);
        }
        return Collections.list(store.aliases());
    }

    /** Every sealed value of the owner as stored, by table, column and row. */
    private Map<String, byte[]> sealedValues(KeyOwner owner) {
        Map<String, byte[]> values = new java.util.TreeMap<>();
        for (SealedTable table : sealedTables.all()) {
            if (!table.ownerTypes().contains(owner.type())) {
                continue;
            }
            for (String column : table.columns()) {
                jdbc.sql("SELECT " + table.rowColumn() + ", " + column + " FROM " + table.table() + " WHERE "
                                + table.ownerCondition() + " AND " + column + " IS NOT NULL")
                        .params(table.ownerParams(owner))
                        .query(rs -> {
                            values.put(table.table() + "." + column + "/" + rs.getObject(1), rs.getBytes(2));
                        });
            }
        }
        return values;
    }

    private static Map<String, String> hex(Map<String, byte[]> values) {
        Map<String, String> hex = new java.util.TreeMap<>();
        values.forEach((where, value) -> hex.put(where, java.util.HexFormat.of().formatHex(value)));
        return hex;
    }

    private List<Integer> versionsOf(KeyOwner owner) {
        return sealedValues(owner).values().stream()
                .map(FieldSealer::keyVersion)
                .distinct()
                .toList();
    }

    /** Opens every value of the owner on a node started now, which caches nothing yet. */
    private void everyValueOpens(KeyOwner owner) {
        FieldSealer freshNode = new FieldSealer(new DataKeys(jdbc, keyProvider, random, clock), random);
        Map<String, byte[]> values = sealedValues(owner);
        assertThat(values).isNotEmpty();
        values.forEach((where, value) -> {
            String table = where.substring(0, where.indexOf('.'));
            String column = where.substring(where.indexOf('.') + 1, where.indexOf('/'));
            UUID row = UUID.fromString(where.substring(where.indexOf('/') + 1));
            assertThat(freshNode.open(owner, new SealedColumn(table, column, row), value))
                    .isNotNull();
        });
    }
}
