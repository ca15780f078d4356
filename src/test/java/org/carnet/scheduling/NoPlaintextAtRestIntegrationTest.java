package org.carnet.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.carnet.crypto.SealedTable;
import org.carnet.crypto.SealedTables;
import org.carnet.directory.Directory;
import org.carnet.directory.VisitMotive;
import org.carnet.notifications.Inbox;
import org.carnet.notifications.Recipient;
import org.carnet.patients.PatientFiles;
import org.carnet.patients.Relative;
import org.carnet.patients.Relatives;
import org.carnet.shared.Actor;
import org.carnet.support.Api;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.carnet.support.PageClient;
import org.carnet.support.Professionals;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

/**
 * Registers a patient and books with distinctive values, then reads every column of every table
 * with plain JDBC: none of the values may appear, whatever the encoding or case.
 */
@CarnetIntegrationTest
class NoPlaintextAtRestIntegrationTest {

    @Value("${local.server.port}")
    int port;

    @Autowired
    Directory directory;

    @Autowired
    Agendas agendas;

    @Autowired
    DataSource dataSource;

    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    @Autowired
    org.carnet.identity.Logins logins;

    @Autowired
    org.springframework.transaction.support.TransactionTemplate transactions;

    @Autowired
    Relatives relatives;

    @Autowired
    Inbox inbox;

    @Autowired
    Bookings bookings;

    @Autowired
    PatientFiles patientFiles;

    @Autowired
    SealedTables sealedTables;

    @Test
    void aDumpOfEveryTableHoldsNoPersonalValue() throws SQLException {
        Api api = new Api(port);
        Fixtures.Agenda agenda = new Fixtures(directory, agendas).aPractitionerWithSlots();
        VisitMotive motive = directory.addMotive(agenda.practitioner().id(), "Motifsecretprobe", 30, false);

        String email = "plaintext-probe-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
        Map<String, Object> registration = Fixtures.aRegistration();
        registration.putAll(Map.of(
                "email", email,
                "firstName", "Qzyxwvfirst",
                "lastName", "Qzyxwvlast",
                "birthDate", "1937-11-29",
                "phone", "+33 6 98 76 54 31",
                "nir", "295109912611193"));
        Fixtures.Patient registered = Fixtures.registered(api, registration);
        UUID accountId = registered.account();
        String token = registered.token();
        UUID relativeId = relatives.add(
                accountId,
                "Relfirstprobe",
                "Rellastprobe",
                LocalDate.parse("2019-07-14"),
                Relative.Relationship.CHILD,
                new Actor.Person(UUID.randomUUID(), org.carnet.shared.Role.PATIENT, accountId, null));
        inbox.post(
                Recipient.patient(accountId), "appointment-absence", List.of(Instant.now(), "Inboxprobe Practitioner"));
        fileTheProbePatient(agenda.establishment().id());
        // The same patient, by the same name and birth date, in another establishment's files.
        UUID elsewhere = new Fixtures(directory, agendas)
                .aPractitionerWithSlots()
                .establishment()
                .id();
        fileTheProbePatient(elsewhere);
        List<String> slotIds = Fixtures.freeSlotIdsFromTomorrow(api, agenda);
        String slotId = slotIds.get(0);
        assertThat(api.post(
                                "/api/v1/appointments",
                                Map.of(
                                        "slotId",
                                        slotIds.get(1),
                                        "motiveId",
                                        motive.id().toString(),
                                        "relativeId",
                                        relativeId.toString()),
                                token)
                        .status())
                .isEqualTo(201);
        // A comment stored as the API took them before it moved into the encrypted exchange (a legacy one).
        new org.carnet.support.StoredComments(bookings, logins)
                .book(accountId, slotId, motive.id(), "Commentprobe douleur", null);
        assertThat(api.get("/api/v1/me", token).body().get("lastName").asString())
                .isEqualTo("Qzyxwvlast");

        // A page session (stored in the database), a staff login with its name and second factor, and a
        // break-the-glass reason are in the dump too.
        PageClient pages = new PageClient(port);
        pages.signIn(email, (String) registration.get("password"), null);
        assertThat(pages.get("/me/appointments").status()).isEqualTo(200);
        pages.get("/account/security");
        String staffSecret = transactions.execute(status -> {
            UUID staff = logins.createStaff(
                    org.carnet.shared.Role.STAFF,
                    agenda.establishment().id(),
                    "Qzyxwvstaff",
                    "staff-probe-" + UUID.randomUUID() + "@example.test",
                    "a long synthetic test password");
            logins.presetSecondFactor(staff, "QZYXWVSECRETQZYXWVSECRETQZYXWVSE");
            return "QZYXWVSECRETQZYXWVSECRETQZYXWVSE";
        });
        Professionals.Login colleague = new Professionals(logins, transactions)
                .practitioner(
                        directory
                                .addPractitioner(
                                        agenda.establishment().id(),
                                        org.carnet.directory.Rpps.of(8_000_000_000L + System.nanoTime() % 1_000_000),
                                        "Collegue",
                                        "Sanssoin",
                                        org.carnet.directory.Specialty.DERMATOLOGUE)
                                .id(),
                        agenda.establishment().id());
        PageClient colleaguePages = new PageClient(port);
        colleaguePages.signIn(colleague.email(), colleague.password(), colleague.totpSecret());
        String patientId = api.get("/api/v1/me", token).body().get("id").asString();
        colleaguePages.get("/agenda/patients/" + patientId);
        assertThat(colleaguePages
                        .post(
                                "/agenda/patients/" + patientId + "/break-the-glass",
                                Map.of("reason", "Raisonprobe urgence vitale"))
                        .body())
                .contains("Qzyxwvlast");

        List<String> personal = List.of(
                "Qzyxwvstaff",
                staffSecret,
                "Raisonprobe",
                email,
                "Qzyxwvfirst",
                "Qzyxwvlast",
                "1937-11-29",
                "98 76 54 31",
                "295109912611193",
                "2951099126111",
                "Commentprobe",
                "Relfirstprobe",
                "Rellastprobe",
                "2019-07-14",
                "Inboxprobe",
                "Phonefirstprobe",
                "Phonelastprobe",
                "1944-03-21",
                "87 65 43 29",
                "appointment-absence");

        // The bookings' confirmations are in the outbox (sealed), whether sent yet or not.
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(30))
                .until(() -> jdbc.sql("SELECT COUNT(*) FROM outbox_messages WHERE owner_id = ?")
                                .param(accountId)
                                .query(Integer.class)
                                .single()
                        >= 2);
        Map<String, String> dump = dumpEveryTable();
        assertThat(dump)
                .containsKeys(
                        "outbox_messages",
                        "message_verifications",
                        "notices",
                        "patient_accounts",
                        "patient_files",
                        "appointments",
                        "audit_log",
                        "user_accounts",
                        "spring_session_attributes",
                        "break_glass_openings",
                        "recovery_codes",
                        "relatives",
                        "inbox_messages");
        dump.forEach((table, content) -> {
            for (String value : personal) {
                assertThat(content.contains(value.toLowerCase(Locale.ROOT)))
                        .as("table %s holds a personal value in plaintext", table)
                        .isFalse();
            }
        });
        // The motive's label is public in the directory, but which motive a patient chose is not.
        dump.forEach((table, content) -> {
            if (!table.equals("visit_motives")) {
                assertThat(content.contains("motifsecretprobe"))
                        .as("table %s tells the motive of an appointment", table)
                        .isFalse();
            }
        });
        assertThat(dump.get("appointments")).doesNotContain(motive.id().toString());
        // Nor can it join two establishments' files on their blind indexes: each has its own key.
        assertThat(jdbc.sql("SELECT COUNT(*) FROM patient_files a JOIN patient_files b ON a.establishment_id <>"
                                + " b.establishment_id AND (a.last_name_index = b.last_name_index"
                                + " OR a.birth_date_index = b.birth_date_index)")
                        .query(Integer.class)
                        .single())
                .as("patient files of two establishments joined on a blind index")
                .isZero();
    }

    /**
     * Rows that still put a patient's account beside an establishment in a key-less dump, each with its
     * reason; docs/security.md ("What a dump without the keys can still join") lists them.
     */
    private static final Set<String> KNOWN_ACCOUNT_LINKS = Set.of(
            // The audit log names the patient an access was about, in the establishment's chain: the
            // patient's own access history reads it by account. A per-establishment reference is the next step.
            "audit_log",
            // The patient's appointment, read by the account's own bookings list, names the account id through
            // the audit rows only; these two are the teleconsultation's recipients and senders (issue 14's tables).
            "teleconsultations",
            "consultation_keys");

    /**
     * What a dump without the keys can still join: a patient books in two establishments (one with an
     * Idempotency-Key, one for a relative), and no row of any table may hold the patient's account id beside
     * an id of the establishment side (the establishment, the appointment, its slot or the patient's file
     * there), in clear, as a UUID or as text. Such a row would tell, without any key, which pseudonymous
     * patient sees whom, where and when, across establishments: the 2020 leak minus the names.
     */
    @Test
    void aDumpWithoutTheKeysCannotLinkAPatientToTheirEstablishments() throws SQLException {
        Api api = new Api(port);
        Fixtures fixtures = new Fixtures(directory, agendas);
        Fixtures.Agenda first = fixtures.aPractitionerWithSlots();
        Fixtures.Agenda second = fixtures.aPractitionerWithSlots();
        Fixtures.Patient patient = Fixtures.registered(api, Fixtures.aRegistration());
        UUID relativeId = relatives.add(
                patient.account(),
                "Relfirst",
                "Rellast",
                LocalDate.parse("2018-05-02"),
                Relative.Relationship.CHILD,
                new Actor.Person(UUID.randomUUID(), org.carnet.shared.Role.PATIENT, patient.account(), null));
        Set<String> establishmentSide = new java.util.HashSet<>();
        for (Fixtures.Agenda agenda : List.of(first, second)) {
            String slotId = Fixtures.freeSlotIdsFromTomorrow(api, agenda).get(0);
            Map<String, Object> booking = new java.util.HashMap<>(
                    Map.of("slotId", slotId, "motiveId", agenda.motive().id().toString()));
            if (agenda == second) {
                booking.put("relativeId", relativeId.toString());
            }
            Api.Response booked = api.post(
                    "/api/v1/appointments",
                    booking,
                    patient.token(),
                    Map.of("Idempotency-Key", "probe-" + UUID.randomUUID()));
            assertThat(booked.status()).isEqualTo(201);
            establishmentSide.add(agenda.establishment().id().toString());
            establishmentSide.add(slotId);
            establishmentSide.add(booked.body().get("id").asString());
        }
        establishmentSide.addAll(jdbc.sql(
                        "SELECT CAST(patient_file_id AS VARCHAR(36)) FROM appointments WHERE id IN" + " (:ids)")
                .param("ids", establishmentSide.stream().map(UUID::fromString).toList())
                .query(String.class)
                .list());
        assertThat(establishmentSide).hasSize(8);
        // The patient reads their appointments and files: the way back from the account still works with keys.
        assertThat(api.get("/api/v1/me/appointments", patient.token()).body().size())
                .isEqualTo(2);
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(30))
                .until(() -> jdbc.sql("SELECT COUNT(*) FROM outbox_messages WHERE owner_id = ?")
                                .param(patient.account())
                                .query(Integer.class)
                                .single()
                        >= 2);

        String account = patient.account().toString();
        Set<String> links = new java.util.TreeSet<>();
        try (Connection connection = dataSource.getConnection()) {
            for (String table : org.carnet.support.Canaries.tables(connection)) {
                try (Statement statement = connection.createStatement();
                        ResultSet rs = statement.executeQuery("SELECT * FROM " + table)) {
                    ResultSetMetaData meta = rs.getMetaData();
                    while (rs.next()) {
                        Set<String> values = new java.util.HashSet<>();
                        for (int i = 1; i <= meta.getColumnCount(); i++) {
                            Object value = rs.getObject(i);
                            if (value instanceof byte[] bytes) {
                                values.add(new String(bytes, StandardCharsets.ISO_8859_1));
                            } else if (value != null) {
                                values.add(value.toString().toLowerCase(Locale.ROOT));
                            }
                        }
                        boolean holdsAccount = values.stream().anyMatch(v -> v.contains(account));
                        boolean holdsEstablishmentSide = values.stream()
                                .anyMatch(v -> establishmentSide.stream().anyMatch(v::contains));
                        if (holdsAccount && holdsEstablishmentSide) {
                            links.add(table.toLowerCase(Locale.ROOT));
                        }
                    }
                }
            }
        }
        assertThat(links)
                .as(
                        "tables whose rows put the patient's account beside an establishment, an appointment, a slot or a file")
                .isSubsetOf(KNOWN_ACCOUNT_LINKS);
    }

    /**
     * Binary columns that hold no personal value: keyed hashes (blind indexes), hashes, wrapped keys,
     * signatures, public keys and session attributes (ids only, as the dump above shows).
     */
    private static final Set<String> NOT_SEALED_BINARY = Set.of(
            "audit_checkpoints.signature",
            "audit_chain_heads.signature",
            "data_keys.wrapped_key",
            "spring_session_attributes.attribute_bytes",
            "user_credentials.public_key",
            "user_credentials.attestation_object",
            "user_credentials.attestation_client_data_json",
            "user_entities.id",
            "audit_log.prev_hash",
            // A keyed hash (the platform's blind-index key) of who sent an idempotency key, and the key.
            "booking_request_keys.request_key",
            // Carnet's Ed25519 signature of a key directory entry (public keys only).
            "key_directory_entries.server_signature",
            // A teleconsultation document's chunk: end-to-end ciphertext (A256GCM under the consultation key,
            // which the server never holds); TeleconsultationExchangeIntegrationTest looks for its canary.
            "consultation_document_chunks.ciphertext",
            // Bucket4j's token counts; the row's id is a keyed hash of the source address.
            "rate_limit_buckets.state");

    /**
     * Text columns whose names sound personal but whose values are public or not a person's: the
     * directory's establishments, practitioners and motives are published.
     */
    private static final Set<String> PUBLIC_TEXT = Set.of(
            "establishments.name",
            "establishments.address",
            "practitioners.first_name",
            "practitioners.last_name",
            "visit_motives.label",
            // Which questionnaire (a public form) a motive (public) asks for: the directory's, no patient's.
            "questionnaire_motives.visit_motive_id",
            "user_entities.name",
            "user_entities.display_name",
            "user_credentials.label",
            // Ids only: the login id a session belongs to, and the names of its attributes.
            "spring_session.principal_name",
            "spring_session_attributes.attribute_name",
            // The network an access came from (its address cut to /24 or /48: audit.SourcePrefix), readable for
            // investigating a breach; never the address itself.
            "audit_log.source_address",
            // Flags and times about a value, never the value: when an address was confirmed, whether a NIR
            // is claimed by two accounts (for staff to check an identity document).
            "user_accounts.email_confirmed_at",
            "patient_accounts.nir_claimed_twice",
            "patient_files.nir_to_check");

    private static final Set<String> PERSONAL_WORDS = Set.of(
            "name",
            "email",
            "mail",
            "phone",
            "birth",
            "nir",
            "ins",
            "address",
            "comment",
            "motive",
            "reason",
            "body",
            "relationship",
            "label",
            "sex",
            "text",
            "answer",
            "message",
            "note");

    @Test
    void everyPersonalColumnIsDeclaredSealed() throws SQLException {
        Map<String, Set<String>> sealed = new java.util.HashMap<>();
        for (SealedTable table : sealedTables.all()) {
            sealed.put(table.table(), Set.copyOf(table.columns()));
        }
        Map<String, Integer> columns = new java.util.TreeMap<>();
        try (Connection connection = dataSource.getConnection();
                ResultSet rs = connection.getMetaData().getColumns(null, null, "%", "%")) {
            while (rs.next()) {
                String schema = rs.getString("TABLE_SCHEM");
                if (schema != null && schema.equalsIgnoreCase("public")) {
                    // UUIDs are binary to some drivers; only byte strings can hold a sealed value.
                    boolean uuid = rs.getString("TYPE_NAME").equalsIgnoreCase("uuid");
                    columns.put(
                            (rs.getString("TABLE_NAME") + "." + rs.getString("COLUMN_NAME")).toLowerCase(Locale.ROOT),
                            uuid ? Types.OTHER : rs.getInt("DATA_TYPE"));
                }
            }
        }
        List<String> undeclared = new ArrayList<>();
        columns.forEach((column, type) -> {
            String table = column.substring(0, column.indexOf('.'));
            String name = column.substring(column.indexOf('.') + 1);
            boolean declared = sealed.getOrDefault(table, Set.of()).contains(name);
            boolean binary = type == Types.BINARY
                    || type == Types.VARBINARY
                    || type == Types.LONGVARBINARY
                    || type == Types.BLOB;
            boolean index = name.endsWith("_index") || name.endsWith("_hash");
            if (binary && !declared && !index && !NOT_SEALED_BINARY.contains(column)) {
                undeclared.add(column + " (binary)");
            }
            // Short words must be a whole part of the name (nir, sex); longer ones anywhere in it (nickname).
            boolean soundsPersonal = java.util.Arrays.stream(name.split("_"))
                    .anyMatch(part -> PERSONAL_WORDS.stream()
                            .anyMatch(word -> word.length() <= 3 ? part.equals(word) : part.contains(word)));
            if (!binary && soundsPersonal && !PUBLIC_TEXT.contains(column)) {
                undeclared.add(column + " (plain text)");
            }
        });
        assertThat(undeclared)
                .as("columns that may hold personal data but are neither declared sealed nor known harmless")
                .isEmpty();
        // And every declared column really is a sealed (binary) column of its table.
        sealedTables
                .all()
                .forEach(table -> table.columns()
                        .forEach(column -> assertThat(columns.get(table.table() + "." + column))
                                .as(table.table() + "." + column)
                                .isIn(Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB)));
        assertThat(sealedTables.all())
                .extracting(SealedTable::table)
                .contains(
                        "patient_accounts",
                        "patient_files",
                        "relatives",
                        "appointments",
                        "inbox_messages",
                        "outbox_messages",
                        "break_glass_openings",
                        "user_accounts");
    }

    /** Every table's rows as one lower-cased string per table: text columns as text, binary ones byte by byte. */
    private Map<String, String> dumpEveryTable() throws SQLException {
        Map<String, String> dump = new java.util.TreeMap<>();
        try (Connection connection = dataSource.getConnection()) {
            for (String table : org.carnet.support.Canaries.tables(connection)) {
                StringBuilder content = new StringBuilder();
                try (Statement statement = connection.createStatement();
                        ResultSet rs = statement.executeQuery("SELECT * FROM " + table)) {
                    ResultSetMetaData meta = rs.getMetaData();
                    while (rs.next()) {
                        for (int i = 1; i <= meta.getColumnCount(); i++) {
                            int type = meta.getColumnType(i);
                            if (type == Types.BINARY
                                    || type == Types.VARBINARY
                                    || type == Types.LONGVARBINARY
                                    || type == Types.BLOB) {
                                byte[] bytes = rs.getBytes(i);
                                if (bytes != null) {
                                    content.append(new String(bytes, StandardCharsets.ISO_8859_1));
                                    content.append(new String(bytes, StandardCharsets.UTF_8));
                                }
                            } else {
                                content.append(rs.getString(i));
                            }
                            content.append('|');
                        }
                    }
                }
                dump.put(table.toLowerCase(Locale.ROOT), content.toString().toLowerCase(Locale.ROOT));
            }
        }
        return dump;
    }

    /** The probe patient filed over the phone by a secretary of this establishment. */
    private void fileTheProbePatient(UUID establishment) {
        patientFiles.create(
                establishment,
                "Phonefirstprobe",
                "Phonelastprobe",
                LocalDate.parse("1944-03-21"),
                org.carnet.patients.Sex.F,
                "+33 1 87 65 43 29",
                null,
                new Actor.Person(
                        UUID.randomUUID(),
                        org.carnet.shared.Role.STAFF,
                        UUID.randomUUID(),
                        org.carnet.shared.EstablishmentId.of(establishment)));
    }
}
