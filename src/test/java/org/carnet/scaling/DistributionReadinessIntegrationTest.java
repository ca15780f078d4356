package org.carnet.scaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.RequiresPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The schema stays ready to be distributed by establishment (docs/scaling.md): every table is declared
 * establishment-owned (distributed by {@code establishment_id}), part of the shared directory (a
 * reference table) or platform-wide, so a new table forces the choice; an establishment-owned table
 * leads its primary key with {@code establishment_id} and has no unique index or foreign key that a
 * distributed database could not enforce within one establishment, except the gaps listed here and in
 * docs/scaling.md, which must still exist (so that the list stays true as they are closed).
 */
@CarnetIntegrationTest
@RequiresPostgres
class DistributionReadinessIntegrationTest {

    /** Distributed by establishment. */
    static final Set<String> ESTABLISHMENT_OWNED = Set.of(
            "absences",
            "agendas",
            "appointments",
            "break_glass_openings",
            "consultation_document_chunks",
            "consultation_documents",
            "consultation_keys",
            "consultation_messages",
            // The establishment key's versions, wrapped (docs/e2e.md, "The establishment key").
            "establishment_key_wraps",
            "exports",
            "opening_hours",
            "patient_files",
            // Who left the establishment: read by the access decision for its own practitioners.
            "practitioner_departures",
            "questionnaire_motives",
            "questionnaire_responses",
            "questionnaires",
            "reminder_settings",
            "slots",
            "teleconsultations",
            "third_party_client_changes",
            "third_party_client_grants",
            "third_party_client_patient_counts",
            "third_party_client_patients",
            "third_party_client_pseudonyms",
            "third_party_client_requests",
            "third_party_client_tokens",
            "third_party_clients");

    /** The public directory, read by every establishment's queries: reference tables (copied to every worker). */
    static final Set<String> REFERENCE = Set.of("establishments", "practitioners", "visit_motives");

    /** Platform-wide: accounts, sign-in, keys, audit, messages, sessions; not distributed by establishment. */
    static final Set<String> PLATFORM = Set.of(
            // A person's devices and their account key, wrapped (docs/e2e.md): a person's, no establishment's.
            "account_devices",
            "account_key_wraps",
            "access_tokens",
            "audit_chain_heads",
            "audit_checkpoints",
            "audit_log",
            "authorization_server_keys",
            // Found by a keyed hash of who asked and their key: the row names no establishment nor account.
            "booking_request_keys",
            "booking_requests",
            "breach_baselines",
            "breach_detector",
            "breach_incident_establishments",
            "breach_incident_events",
            "breach_incidents",
            "breach_notifications",
            "breach_sign_in_failures",
            "breach_unknown_ids",
            "client_assertion_jtis",
            "data_keys",
            "email_confirmations",
            "enrolment_codes",
            // Read whole by every node (a handful of rows): which establishments are read-only.
            "establishment_read_only",
            "event_publication",
            "flyway_schema_history",
            "inbox_messages",
            "key_directory_entries",
            "known_devices",
            "message_verifications",
            "notices",
            "notification_preferences",
            "outbox_messages",
            "patient_accounts",
            // A patient account's way to its files, sealed under the account's key: the patient's, not an
            // establishment's (it names none in clear).
            "patient_file_links",
            "rate_limit_buckets",
            "recovery_codes",
            "relatives",
            // Nodes' notes to each other of practitioners whose slots changed (search pages to forget).
            "search_invalidations",
            "shredded_key_owners",
            "spring_session",
            "spring_session_attributes",
            "user_accounts",
            "user_credentials",
            "user_entities");

    /**
     * Unique indexes of establishment-owned tables without {@code establishment_id}: things found by their
     * id alone today (docs/scaling.md, "Not ready yet"). Each must become routable before distribution.
     */
    static final Set<String> UNIQUE_WITHOUT_ESTABLISHMENT = Set.of(
            "agendas.agendas_practitioner",
            "appointments.appointments_id",
            "break_glass_openings.break_glass_openings_pkey",
            "exports.exports_id",
            "exports.exports_link",
            "patient_files.patient_files_id",
            "questionnaires.questionnaires_id",
            "slots.slots_id",
            "teleconsultations.teleconsultations_appointment",
            "third_party_client_tokens.third_party_client_tokens_hash",
            "third_party_clients.third_party_clients_id");

    /** Establishment-owned tables whose primary key does not lead with the establishment yet. */
    static final Set<String> PRIMARY_KEY_WITHOUT_ESTABLISHMENT = Set.of("break_glass_openings");

    /** Foreign keys from an establishment-owned table to a platform table (a distributed database refuses them). */
    static final Set<String> KEYS_TO_PLATFORM = Set.of("patient_files->patient_accounts");

    @Autowired
    JdbcClient jdbc;

    @Test
    void everyTableIsDeclaredOnceAndTheDeclarationsNameRealTables() {
        List<String> tables = jdbc.sql("SELECT table_name FROM information_schema.tables"
                        + " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'")
                .query(String.class)
                .list();
        Set<String> declared = new HashSet<>(ESTABLISHMENT_OWNED);
        declared.addAll(REFERENCE);
        declared.addAll(PLATFORM);
        assertThat(ESTABLISHMENT_OWNED.size() + REFERENCE.size() + PLATFORM.size())
                .as("a table declared twice")
                .isEqualTo(declared.size());
        assertThat(tables)
                .as("tables of the schema, each declared establishment-owned, reference or platform (docs/scaling.md)")
                .containsExactlyInAnyOrderElementsOf(declared);
    }

    @Test
    void establishmentOwnedTablesLeadTheirPrimaryKeyWithTheEstablishment() {
        Set<String> without = new HashSet<>();
        for (String table : ESTABLISHMENT_OWNED) {
            List<String> key = jdbc.sql("SELECT a.attname FROM pg_index i"
                            + " JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, position) ON true"
                            + " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum"
                            + " WHERE i.indrelid = ?::regclass AND i.indisprimary ORDER BY k.position")
                    .param(table)
                    .query(String.class)
                    .list();
            assertThat(key).as("primary key of %s", table).isNotEmpty();
            if (!key.get(0).equals("establishment_id")) {
                without.add(table);
            }
        }
        assertThat(without)
                .as("primary keys not led by establishment_id (docs/scaling.md lists the gaps)")
                .containsExactlyInAnyOrderElementsOf(PRIMARY_KEY_WITHOUT_ESTABLISHMENT);
    }

    @Test
    void uniqueIndexesOfEstablishmentOwnedTablesIncludeTheEstablishmentSaveTheListedGaps() {
        List<String> withoutEstablishment = jdbc.sql("SELECT c.relname || '.' || x.relname FROM pg_index i"
                        + " JOIN pg_class c ON c.oid = i.indrelid JOIN pg_class x ON x.oid = i.indexrelid"
                        + " WHERE i.indisunique AND c.relnamespace = current_schema()::regnamespace"
                        + " AND c.relname::text = ANY (?) AND NOT EXISTS (SELECT 1 FROM unnest(i.indkey) k(attnum)"
                        + "   JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum"
                        + "   WHERE a.attname = 'establishment_id')")
                .param(ESTABLISHMENT_OWNED.toArray(String[]::new))
                .query(String.class)
                .list();
        assertThat(withoutEstablishment)
                .as("unique indexes a distributed database could not enforce (docs/scaling.md lists the gaps)")
                .containsExactlyInAnyOrderElementsOf(UNIQUE_WITHOUT_ESTABLISHMENT);
    }

    @Test
    void foreignKeysOfEstablishmentOwnedTablesStayWithinTheEstablishmentOrPointAtTheDirectory() {
        List<String[]> keys = jdbc.sql("SELECT c.conrelid::regclass::text, c.confrelid::regclass::text,"
                        + " pg_get_constraintdef(c.oid) FROM pg_constraint c"
                        + " WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace")
                .query((row, n) -> new String[] {row.getString(1), row.getString(2), row.getString(3)})
                .list();
        Set<String> toPlatform = new HashSet<>();
        for (String[] key : keys) {
            if (!ESTABLISHMENT_OWNED.contains(key[0]) || REFERENCE.contains(key[1])) {
                continue;
            }
            if (ESTABLISHMENT_OWNED.contains(key[1])) {
                assertThat(key[2])
                        .as("a key between two establishment-owned tables carries the establishment")
                        .startsWith("FOREIGN KEY (establishment_id");
            } else {
                toPlatform.add(key[0] + "->" + key[1]);
            }
        }
        assertThat(toPlatform)
                .as("keys from establishment-owned tables to platform tables (docs/scaling.md lists the gaps)")
                .containsExactlyInAnyOrderElementsOf(KEYS_TO_PLATFORM);
    }
}
