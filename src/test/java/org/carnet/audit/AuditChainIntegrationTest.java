package org.carnet.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.carnet.support.CarnetIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Appends go into per-establishment chains; then the database is tampered with in plain SQL, the
 * way an administrator could, and the verifier names the first broken entry and what was done.
 */
@CarnetIntegrationTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DirtiesContext // the tampered chains must not reach other test classes
class AuditChainIntegrationTest {

    @Autowired
    AuditLog auditLog;

    @Autowired
    AuditChains chains;

    @Autowired
    AuditVerifier verifier;

    @Autowired
    TransactionTemplate transactions;

    /** The database as its owner sees it: how an insider, and these tests, tamper with it. */
    JdbcClient jdbc;

    @Autowired
    org.springframework.core.env.Environment environment;

    @Autowired
    Checkpoints checkpoints;

    AuditChainFixtures fixtures;

    @BeforeEach
    void fixtures() {
        jdbc = org.carnet.support.TestDatabase.owner(environment);
        fixtures = new AuditChainFixtures(auditLog, chains, verifier, transactions, jdbc, checkpoints);
    }

    @Test
    void entriesAreChainedPerEstablishmentAndVerify() {
        UUID a = fixtures.aChainOf(5);
        UUID b = fixtures.aChainOf(3);

        assertThat(fixtures.positions(a)).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(fixtures.positions(b)).containsExactly(1L, 2L, 3L);
        assertThat(fixtures.breakOf(a)).isEmpty();
        assertThat(fixtures.breakOf(b)).isEmpty();
        AuditVerification all = verifier.verify();
        assertThat(all.entriesChecked()).isGreaterThanOrEqualTo(8);
        assertThat(all.chains()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void concurrentAppendsToFewChainsAreAllSealedOnceAndInOrder() throws Exception {
        List<UUID> establishments = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        onThreads(8, thread -> {
            for (int i = 0; i < 25; i++) {
                fixtures.record(establishments.get((thread + i) % 3), 4);
                if (i % 10 == 0) {
                    chains.sealPending(); // racing the node's own sealer threads
                }
            }
        });

        assertThat(sealedInOrder(establishments)).isEqualTo(8 * 25 * 4);
    }

    @Test
    void sealersOfOverlappingSetsOfChainsNeitherWaitForEachOtherForEverNorSealTwice() throws Exception {
        // Many chains, new and old, each sealer taking whichever have unsealed entries: their sets overlap.
        List<UUID> establishments =
                java.util.stream.Stream.generate(UUID::randomUUID).limit(40).toList();
        establishments.subList(0, 20).forEach(e -> fixtures.record(e, 1));
        chains.sealPending();
        // A sealer that lost a deadlock throws, and onThreads with it.
        onThreads(6, thread -> {
            for (int i = 0; i < 20; i++) {
                fixtures.record(establishments.get((thread * 7 + i * 3) % 40), 2);
                fixtures.record(establishments.get((thread * 11 + i * 5 + 1) % 40), 1);
                chains.sealPending(); // racing the other threads and the node's own sealer threads
            }
        });

        assertThat(sealedInOrder(establishments)).isEqualTo(20 + 6 * 20 * 3);
    }

    /** Runs the body on that many threads at once, each given its number; fails with the first that threw. */
    private static void onThreads(int threads, java.util.function.IntConsumer body) throws Exception {
        var pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> body.accept(thread)));
            }
            for (var future : done) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    /** Seals what waits, then checks each chain holds positions 1 to n without a break; the entries in all. */
    private long sealedInOrder(List<UUID> establishments) {
        chains.sealPending();
        long total = 0;
        for (UUID chain : establishments) {
            List<Long> positions = fixtures.positions(chain);
            assertThat(positions)
                    .isEqualTo(java.util.stream.LongStream.rangeClosed(1, positions.size())
                            .boxed()
                            .toList());
            assertThat(fixtures.breakOf(chain)).isEmpty();
            total += positions.size();
        }
        return total;
    }

    @Test
    void aChangedFieldIsReportedAsEdited() {
        UUID chain = fixtures.aChainOf(5);
        long id = idAt(chain, 3);

        jdbc.sql("UPDATE audit_log SET purpose = 'research' WHERE id = ?")
                .param(id)
                .update();

        AuditBreak broken = fixtures.breakOf(chain).orElseThrow();
        assertThat(broken.kind()).isEqualTo(AuditBreak.Kind.EDITED);
        assertThat(broken.entryId()).isEqualTo(id);
        assertThat(broken.position()).isEqualTo(3);
    }

    @Test
    void aDeletedRowIsReported() {
        UUID chain = fixtures.aChainOf(5);

        jdbc.sql("DELETE FROM audit_log WHERE id = ?").param(idAt(chain, 2)).update();

        AuditBreak broken = fixtures.breakOf(chain).orElseThrow();
        assertThat(broken.kind()).isEqualTo(AuditBreak.Kind.DELETED);
        assertThat(broken.position()).isEqualTo(3);
        assertThat(broken.detail()).contains("position 2");
    }

    @Test
    void twoSwappedRowsAreReportedAsReordered() {
        UUID chain = fixtures.aChainOf(5);
        long second = idAt(chain, 2);
        long fourth = idAt(chain, 4);

        jdbc.sql("UPDATE audit_log SET seq = -1 WHERE id = ?").param(second).update();
        jdbc.sql("UPDATE audit_log SET seq = 2 WHERE id = ?").param(fourth).update();
        jdbc.sql("UPDATE audit_log SET seq = 4 WHERE id = ?").param(second).update();

        AuditBreak broken = fixtures.breakOf(chain).orElseThrow();
        assertThat(broken.kind()).isEqualTo(AuditBreak.Kind.REORDERED);
        assertThat(broken.entryId()).isEqualTo(fourth);
        assertThat(broken.position()).isEqualTo(2);
    }

    @Test
    void aForgedRowSlippedIntoTheChainIsReportedAsInserted() {
        UUID chain = fixtures.aChainOf(5);
        byte[] prev = hashAt(chain, 2);
        jdbc.sql("UPDATE audit_log SET seq = seq + 1000 WHERE chain_key = ? AND seq >= 3")
                .param(chain)
                .update();
        jdbc.sql("UPDATE audit_log SET seq = seq - 999 WHERE chain_key = ? AND seq >= 1003")
                .param(chain)
                .update();
        byte[] forgedHash = new byte[33];
        forgedHash[0] = 1;
        jdbc.sql("INSERT INTO audit_log (chain_key, occurred_at, establishment_id, actor_type, actor_id, actor_role,"
                        + " patient_id, action, resource, fields, purpose, outcome, seq, prev_hash, entry_hash)"
                        + " VALUES (?, ?, ?, 'USER', ?, 'PRACTITIONER', ?, 'READ', 'patient-file', 'nir', 'care',"
                        + " 'ALLOWED', 3, ?, ?)")
                .params(
                        chain,
                        OffsetDateTime.now(ZoneOffset.UTC),
                        chain,
                        UUID.randomUUID(),
                        UUID.randomUUID(),
                        prev,
                        forgedHash)
                .update();

        AuditBreak broken = fixtures.breakOf(chain).orElseThrow();
        assertThat(broken.kind()).isEqualTo(AuditBreak.Kind.INSERTED);
        assertThat(broken.position()).isEqualTo(3);
        assertThat(broken.entryId()).isNotIn(ids(chain).subList(0, 5));
    }

    @Test
    void aTailCutAfterACheckpointWithTheHeadMovedBackIsReportedAsAnEditedHead() {
        UUID chain = fixtures.aChainOf(5);
        chains.checkpoint();

        jdbc.sql("DELETE FROM audit_log WHERE chain_key = ? AND seq > 3")
                .param(chain)
                .update();
        jdbc.sql("UPDATE audit_chain_heads SET seq = 3, head_hash = ? WHERE chain_key = ?")
                .params(hashAt(chain, 3), chain)
                .update();

        AuditBreak broken = fixtures.breakOf(chain).orElseThrow();
        assertThat(broken.kind()).isEqualTo(AuditBreak.Kind.BAD_HEAD);
        assertThat(broken.detail()).contains("head was edited");
    }

    @Test
    void anExportedCheckpointFileCatchesATailCutWhoseCheckpointsWereDeletedToo() throws Exception {
        UUID chain = fixtures.aChainOf(2);
        Object[] headAtTwo = fixtures.headRow(chain);
        fixtures.record(chain, 2);
        chains.sealPending();
        chains.checkpoint();
        Path witness = Files.createTempFile("carnet-checkpoints", ".txt");
        chains.exportCheckpoints(witness);
        assertThat(Files.readString(witness)).contains("public-key ", chain.toString());

        jdbc.sql("DELETE FROM audit_log WHERE chain_key = ? AND seq > 2")
                .param(chain)
                .update();
        fixtures.putBackHeadRow(chain, headAtTwo);
        jdbc.sql("DELETE FROM audit_checkpoints WHERE chain_key = ?")
                .param(chain)
                .update();

        AuditBreak broken = verifier.verify(witness).breaks().stream()
                .filter(b -> b.chainKey().equals(chain))
                .findFirst()
                .orElseThrow();
        assertThat(broken.kind()).isEqualTo(AuditBreak.Kind.TRUNCATED);
        Files.delete(witness);
    }

    @Test
    void aTamperedCheckpointFailsItsSignature() {
        UUID chain = fixtures.aChainOf(3);
        chains.checkpoint();

        jdbc.sql("UPDATE audit_checkpoints SET seq = 2 WHERE chain_key = ?")
                .param(chain)
                .update();

        AuditBreak broken = fixtures.breakOf(chain).orElseThrow();
        assertThat(broken.kind()).isEqualTo(AuditBreak.Kind.BAD_CHECKPOINT);
    }

    @Test
    void pruningKeepsTheChainVerifiableFromASignedStart() {
        UUID chain = fixtures.aChainOf(3);
        fixtures.witnessedLongAgo(chain, 3, hashAt(chain, 3));
        fixtures.record(chain, 2);
        chains.sealPending();
        assertThat(fixtures.positions(chain)).containsExactly(1L, 2L, 3L, 4L, 5L);

        assertThat(chains.prune()).isGreaterThanOrEqualTo(3);

        assertThat(fixtures.positions(chain)).containsExactly(4L, 5L);
        assertThat(fixtures.breakOf(chain)).isEmpty();
        jdbc.sql("DELETE FROM audit_checkpoints WHERE chain_key = ? AND kind = 'START'")
                .param(chain)
                .update();
        // The witness still holds the START checkpoint: the chain still starts there, and the loss is named.
        assertThat(fixtures.breakOf(chain).orElseThrow().kind()).isEqualTo(AuditBreak.Kind.MISSING_CHECKPOINT);
    }

    @Test
    @Order(1) // before any other test of this class has tampered with the database
    void theCommandLineExitsZeroWhenIntactAndOneNamingTheBreak() {
        // Through the same entry point as `java -jar carnet.jar audit verify`, on this test's database.
        UUID chain = fixtures.aChainOf(3);
        var out = new java.io.ByteArrayOutputStream();
        var err = new java.io.ByteArrayOutputStream();
        String[] args = {
            "audit",
            "verify",
            "--spring.datasource.url=" + datasourceUrl,
            "--spring.datasource.username=" + datasourceUser,
            "--carnet.data-dir=" + dataDir,
            "--carnet.audit.witness.directory=" + witnessDir
        };
        assertThat(AuditCommand.run(args, new java.io.PrintStream(out, true), new java.io.PrintStream(err, true)))
                .as(err.toString())
                .isEqualTo(AuditCommand.INTACT);
        assertThat(out.toString()).startsWith("audit verify: OK, ").contains(" entries checked in ");
        out.reset();
        String[] unwitnessed = java.util.Arrays.copyOf(args, args.length - 1);
        assertThat(AuditCommand.run(
                        unwitnessed, new java.io.PrintStream(out, true), new java.io.PrintStream(err, true)))
                .isEqualTo(AuditCommand.INTACT);
        assertThat(out.toString()).startsWith("audit verify: WARNING: NO WITNESS");
        out.reset();

        jdbc.sql("UPDATE audit_log SET fields = 'nir' WHERE id = ?")
                .param(idAt(chain, 2))
                .update();
        int status = AuditCommand.run(args, new java.io.PrintStream(out, true), new java.io.PrintStream(err, true));

        assertThat(status).as(err.toString()).isEqualTo(AuditCommand.BROKEN);
        assertThat(out.toString()).contains("BROKEN").contains("edited").contains("entry " + idAt(chain, 2));
        assertThat(AuditCommand.run(
                        new String[] {"audit", "verify", "--nonsense"}, System.out, new java.io.PrintStream(err)))
                .isEqualTo(AuditCommand.USAGE);
    }

    @Value("${spring.datasource.url}")
    String datasourceUrl;

    @Value("${spring.datasource.username}")
    String datasourceUser;

    @Value("${carnet.data-dir}")
    String dataDir;

    @Value("${carnet.audit.witness.directory}")
    String witnessDir;

    // --- helpers --------------------------------------------------------------------------------

    private List<Long> ids(UUID chain) {
        return jdbc.sql("SELECT id FROM audit_log WHERE chain_key = ? ORDER BY id")
                .param(chain)
                .query(Long.class)
                .list();
    }

    private long idAt(UUID chain, long seq) {
        return jdbc.sql("SELECT id FROM audit_log WHERE chain_key = ? AND seq = ?")
                .params(chain, seq)
                .query(Long.class)
                .single();
    }

    private byte[] hashAt(UUID chain, long seq) {
        return jdbc.sql("SELECT entry_hash FROM audit_log WHERE chain_key = ? AND seq = ?")
                .params(chain, seq)
                .query(byte[].class)
                .single();
    }
}
