package org.carnet.breach;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.carnet.breach.internal.IncidentRecorder;
import org.carnet.breach.internal.RuleHit;
import org.carnet.identity.Logins;
import org.carnet.shared.Action;
import org.carnet.shared.Actor;
import org.carnet.shared.Field;
import org.carnet.shared.Purpose;
import org.carnet.shared.Resource;
import org.carnet.shared.Role;
import org.carnet.support.Professionals;
import org.carnet.support.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A benchmark, not a test (its name matches no test pattern; run it by name, on PostgreSQL): how long
 * an incident's exact scope takes over a large access log (issue 17: 10 million entries, under a
 * second). The log gets {@code carnet.bench.scope-entries} entries (10,000,000) spread over
 * {@code carnet.bench.scope-establishments} (1,000) establishments' chains, inserted in bulk and then
 * sealed by Carnet's own sealer (so every chain is real and verifies); in the first establishment a
 * program read 2,500 patients' identities 5,000 times. An incident about that program is recorded as
 * the rules would, then its scope is computed five times: verification of the establishment's chain,
 * then the program's entries read through the log's actor index. Prints each time, the median, and
 * beside them the verification alone and a plain count of the program's entries.
 *
 * <pre>
 * ./mvnw -B -ntp verify -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dit.test=IncidentScopeBenchmark -Ppostgres
 * </pre>
 */
class IncidentScopeBenchmark {

    private static final long ENTRIES = Long.getLong("carnet.bench.scope-entries", 10_000_000L);
    private static final int ESTABLISHMENTS = Integer.getInteger("carnet.bench.scope-establishments", 1_000);
    private static final int PATIENTS = 2_500;
    private static final int READS = 5_000;
    private static final long BATCH = 500_000;

    @Test
    void scopeOverALargeLog() throws Exception {
        String database = TestDatabase.freshName();
        // Detection off: the rules would read the whole generated log; this incident is recorded by hand.
        try (ConfigurableApplicationContext carnet =
                TestDatabase.startCarnet(database, "--carnet.breach.enabled=false")) {
            JdbcTemplate jdbc = carnet.getBean(JdbcTemplate.class);
            List<UUID> establishments = new ArrayList<>();
            for (int i = 0; i < ESTABLISHMENTS; i++) {
                establishments.add(UUID.randomUUID());
            }
            UUID concerned = establishments.get(0);
            UUID program = UUID.randomUUID();
            UUID practitioner = UUID.randomUUID();

            long started = System.nanoTime();
            // Everyone else's work: practitioners reading their agendas, in every establishment, over a day.
            jdbc.execute("CREATE TEMP TABLE bench_establishments (n INTEGER PRIMARY KEY, id UUID NOT NULL)");
            List<Object[]> rows = new ArrayList<>();
            for (int i = 0; i < ESTABLISHMENTS; i++) {
                rows.add(new Object[] {i, establishments.get(i)});
            }
            jdbc.batchUpdate("INSERT INTO bench_establishments (n, id) VALUES (?, ?)", rows);
            long background = ENTRIES - READS;
            for (long first = 0; first < background; first += BATCH) {
                long last = Math.min(background, first + BATCH) - 1;
                jdbc.update(
                        "INSERT INTO audit_log (chain_key, occurred_at, establishment_id, actor_type, actor_id,"
                                + " actor_role, patient_id, action, resource, fields, purpose, outcome)"
                                + " SELECT e.id, now() - (g % 86000) * interval '1 second', e.id, 'USER', ?,"
                                + " 'PRACTITIONER', md5(g::text)::uuid, ?, ?, ?, ?, 'ALLOWED'"
                                + " FROM generate_series(?::bigint, ?::bigint) AS g"
                                + " JOIN bench_establishments e ON e.n = g % ?",
                        practitioner,
                        Action.READ.name(),
                        Resource.APPOINTMENT.code(),
                        Field.SLOT.code() + "," + Field.STATUS.code(),
                        Purpose.CARE.code(),
                        first,
                        last,
                        ESTABLISHMENTS);
            }
            // The program's reads in the first establishment: 2,500 patients, twice each.
            jdbc.update(
                    "INSERT INTO audit_log (chain_key, occurred_at, establishment_id, actor_type, actor_id,"
                            + " actor_role, patient_id, action, resource, fields, purpose, outcome)"
                            + " SELECT ?, now() - (g % 3600) * interval '1 second', ?, 'CLIENT', ?, 'CLIENT',"
                            + " md5('patient' || (g % ?))::uuid, ?, ?, ?, ?, 'ALLOWED' FROM generate_series(1, ?) AS g",
                    concerned,
                    concerned,
                    program,
                    PATIENTS,
                    Action.READ.name(),
                    Resource.PATIENT_FILE.code(),
                    Field.FIRST_NAME.code() + "," + Field.LAST_NAME.code() + "," + Field.BIRTH_DATE.code(),
                    Purpose.AGENDA.code(),
                    READS);
            jdbc.execute("ANALYZE audit_log");
            double inserted = (System.nanoTime() - started) / 1e9;

            // Carnet's sealer finds the entries at its next sweep and seals every chain.
            started = System.nanoTime();
            long unsealed;
            do {
                Thread.sleep(2_000);
                unsealed = jdbc.queryForObject("SELECT count(*) FROM audit_log WHERE seq IS NULL", Long.class);
            } while (unsealed > 0);
            double sealed = (System.nanoTime() - started) / 1e9;
            long total = jdbc.queryForObject("SELECT count(*) FROM audit_log", Long.class);
            long chain =
                    jdbc.queryForObject("SELECT count(*) FROM audit_log WHERE chain_key = ?", Long.class, concerned);
            System.out.printf(
                    "IncidentScopeBenchmark: %,d entries in %,d chains inserted in %.1f s, sealed in %.1f s;"
                            + " the concerned establishment's chain holds %,d%n",
                    total, ESTABLISHMENTS, inserted, sealed, chain);

            UUID incident = carnet.getBean(IncidentRecorder.class)
                    .record(new RuleHit(
                            Rule.DISTINCT_PATIENTS,
                            "client:" + program,
                            program,
                            null,
                            Set.of(concerned),
                            Instant.now(),
                            "benchmark"));
            Professionals.Login login = new Professionals(
                            carnet.getBean(Logins.class), carnet.getBean(TransactionTemplate.class))
                    .staff(Role.SECURITY_OFFICER, null);
            Actor.Person officer =
                    carnet.getBean(Logins.class).byId(login.userId()).orElseThrow();
            IncidentScopes scopes = carnet.getBean(IncidentScopes.class);
            org.carnet.audit.AuditVerifier verifier = carnet.getBean(org.carnet.audit.AuditVerifier.class);

            List<Double> scopeSeconds = new ArrayList<>();
            List<Double> verifySeconds = new ArrayList<>();
            List<Double> countSeconds = new ArrayList<>();
            IncidentScope scope = null;
            for (int run = 0; run < 5; run++) {
                long t = System.nanoTime();
                scope = scopes.scope(officer, incident, null, null);
                scopeSeconds.add((System.nanoTime() - t) / 1e9);
                t = System.nanoTime();
                verifier.verifyChains(Set.of(concerned));
                verifySeconds.add((System.nanoTime() - t) / 1e9);
                t = System.nanoTime();
                jdbc.queryForObject(
                        "SELECT count(DISTINCT patient_id) FROM audit_log WHERE actor_id = ? AND occurred_at >= ?",
                        Long.class,
                        program,
                        java.sql.Timestamp.from(Instant.now().minus(java.time.Duration.ofDays(2))));
                countSeconds.add((System.nanoTime() - t) / 1e9);
            }
            System.out.printf(
                    "IncidentScopeBenchmark: scope %s s, median %.3f s; verifying the chain alone median %.3f s;"
                            + " a plain count of the program's patients median %.3f s%n",
                    scopeSeconds.stream().map(s -> String.format("%.3f", s)).toList(),
                    median(scopeSeconds),
                    median(verifySeconds),
                    median(countSeconds));
            // A time is only worth printing if the scope is the right one, over verified chains.
            assertThat(scope.verification().intact()).isTrue();
            // Its chain as generated, and the few entries the scopes added to it (each reading is an access).
            assertThat(scope.verification().entriesChecked()).isBetween(chain, chain + 20);
            assertThat(scope.patients()).hasSize(PATIENTS);
        } finally {
            TestDatabase.drop(database);
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
