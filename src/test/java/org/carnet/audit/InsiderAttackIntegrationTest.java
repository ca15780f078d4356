package org.carnet.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.TestDatabase;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What a database insider (the owner of the tables, or a superuser) can do to the audit log in
 * plain SQL, each attack named by the verifier against the witness kept outside the database. The
 * node's own sealer is off, so that an entry can be caught before its seal; each test seals, signs
 * and writes the node's positions itself.
 */
@CarnetIntegrationTest
@TestPropertySource(properties = "carnet.audit.sealer-enabled=false")
@DirtiesContext // the tampered chains must not reach other test classes
class InsiderAttackIntegrationTest {

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
        assertThat(chains.witnessed()).isTrue();
    }

    @Test
    void deletingARecentEntryAndPuttingBackTheOlderHeadIsNamedTruncated() {
        UUID chain = fixtures.aChainOf(4);
        Object[] headAtFour = fixtures.headRow(chain);
        fixtures.record(chain, 1);
        chains.sealPending();
        chains.flushWitness();

        jdbc.sql("DELETE FROM audit_log WHERE chain_key = ? AND seq = 5")
                .param(chain)
                .update();
        fixtures.putBackHeadRow(chain, headAtFour);

        AuditBreak broken = fixtures.breakOf(chain).orElseThrow();
        assertThat(broken.kind()).isEqualTo(AuditBreak.Kind.TRUNCATED);
        assertThat(broken.describe()).contains("truncated").contains("ends at position 4");
    }

    @Test
    void deletingARecentEntryInsideTheChainIsNamedDeleted() {
        UUID chain = fixtures.aChainOf(5);

        jdbc.sql("DELETE FROM audit_log WHERE chain_key = ? AND seq = 4")
                .param(chain)
                .update();

        AuditBreak broken = fixtures.breakOf(chain).orElseThrow();
        assertThat(broken.kind()).isEqualTo(AuditBreak.Kind.DELETED);
        assertThat(broken.describe()).contains("deleted").contains("position 4 is missing");
    }

    @Test
    void backDatingEntriesBeforeAPruneRemovesNothingAndIsNamed() {
        UUID chain = fixtures.aChainOf(4);
        fixtures.witnessedLongAgo(chain, 1, hashAt(chain, 1));

        // The first three made to look older than the retention: pruning by their time would remove them
        // and sign a fresh START after them.
        jdbc.sql("UPDATE audit_log SET occurred_at = ? WHERE chain_key = ? AND seq <= 3")
                .params(OffsetDateTime.now(ZoneOffset.UTC).minusYears(20), chain)
                .update();
        chains.prune();

        // Pruned by position, behind the witnessed checkpoint only: the back-dated entries are still there.
        assertThat(fixtures.positions(chain)).containsExactly(2L, 3L, 4L);
        AuditBreak broken = fixtures.breakOf(chain).orElseThrow();
        assertThat(broken.kind()).isEqualTo(AuditBreak.Kind.EDITED);
        assertThat(broken.position()).isEqualTo(2);
        assertThat(broken.describe()).contains("back-dated");
    }

    @Test
    void editingAChainHeadIsNamed() {
        UUID chain = fixtures.aChainOf(3);

        jdbc.sql("UPDATE audit_chain_heads SET seq = 2, head_hash = ? WHERE chain_key = ?")
                .params(hashAt(chain, 2), chain)
                .update();

        AuditBreak broken = fixtures.breakOf(chain).orElseThrow();
        assertThat(broken.kind()).isEqualTo(AuditBreak.Kind.BAD_HEAD);
        assertThat(broken.describe()).contains("bad head").contains("head was edited");
    }

    @Test
    void deletingTheChainHeadIsNamed() {
        UUID chain = fixtures.aChainOf(3);
        chains.flushWitness();

        jdbc.sql("DELETE FROM audit_chain_heads WHERE chain_key = ?")
                .param(chain)
                .update();

        AuditBreak broken = fixtures.breakOf(chain).orElseThrow();
        assertThat(broken.kind()).isEqualTo(AuditBreak.Kind.BAD_HEAD);
        assertThat(broken.describe()).contains("head is missing");
    }

    @Test
    void deletingCheckpointsIsNamed() {
        UUID chain = fixtures.aChainOf(3);
        chains.checkpoint();

        jdbc.sql("DELETE FROM audit_checkpoints WHERE chain_key = ?")
                .param(chain)
                .update();

        AuditBreak broken = fixtures.breakOf(chain).orElseThrow();
        assertThat(broken.kind()).isEqualTo(AuditBreak.Kind.MISSING_CHECKPOINT);
        assertThat(broken.describe()).contains("checkpoints were deleted").contains("position 3");
    }

    @Test
    void truncatingAChainsTailWithItsCheckpointsIsNamed() {
        UUID chain = fixtures.aChainOf(3);
        Object[] headAtThree = fixtures.headRow(chain);
        fixtures.record(chain, 3);
        chains.sealPending();
        chains.checkpoint();
        chains.flushWitness();

        jdbc.sql("DELETE FROM audit_log WHERE chain_key = ? AND seq > 3")
                .param(chain)
                .update();
        jdbc.sql("DELETE FROM audit_checkpoints WHERE chain_key = ? AND seq > 3")
                .param(chain)
                .update();
        fixtures.putBackHeadRow(chain, headAtThree);

        AuditBreak broken = fixtures.breakOf(chain).orElseThrow();
        assertThat(broken.kind()).isEqualTo(AuditBreak.Kind.TRUNCATED);
        assertThat(broken.describe()).contains("truncated").contains("ends at position 3");
    }

    @Test
    void droppingAnUnsealedEntryIsNamed() {
        UUID chain = UUID.randomUUID();
        fixtures.record(chain, 3);
        chains.flushWitness();
        List<Long> ids = jdbc.sql("SELECT id FROM audit_log WHERE chain_key = ? ORDER BY id")
                .param(chain)
                .query(Long.class)
                .list();
        assertThat(ids).hasSize(3);
        assertThat(fixtures.breakOf(chain)).isEmpty(); // three entries waiting for their seal, in time

        jdbc.sql("DELETE FROM audit_log WHERE id = ?").param(ids.get(2)).update();

        AuditBreak broken = fixtures.breakOf(chain).orElseThrow();
        assertThat(broken.kind()).isEqualTo(AuditBreak.Kind.DROPPED);
        assertThat(broken.describe()).contains("dropped before their seal").startsWith("chain " + chain);
        assertThat(broken.detail()).startsWith("1 of the 3 entries");
    }

    @Test
    void anUntouchedChainVerifiesAgainstTheWitness() {
        UUID chain = fixtures.aChainOf(3);
        fixtures.record(chain, 2);
        chains.sealPending();
        chains.checkpoint();
        chains.flushWitness();

        assertThat(fixtures.breakOf(chain)).isEmpty();
        assertThat(verifier.verify().witnessed()).isTrue();
    }

    @Autowired
    JdbcClient application;

    @Test
    void onPostgresTheApplicationsRoleMayOnlyReadAndAppendTheAuditLog() {
        Assumptions.assumeTrue(TestDatabase.postgresRun(), "the restricted role exists on PostgreSQL only");
        UUID chain = fixtures.aChainOf(2);
        chains.checkpoint();
        assertThat(application.sql("SELECT current_user").query(String.class).single())
                .isEqualTo(TestDatabase.PG_APP_ROLE);

        for (String refused : List.of(
                "UPDATE audit_log SET purpose = 'research' WHERE chain_key = ?",
                "UPDATE audit_log SET occurred_at = occurred_at WHERE chain_key = ?",
                "UPDATE audit_log SET seq = seq + 10 WHERE chain_key = ?",
                "DELETE FROM audit_log WHERE chain_key = ?",
                "UPDATE audit_checkpoints SET seq = 1 WHERE chain_key = ?",
                "DELETE FROM audit_checkpoints WHERE chain_key = ?",
                "DELETE FROM audit_chain_heads WHERE chain_key = ?",
                "SELECT carnet_audit_prune(?, 2)")) {
            assertThatThrownBy(
                            () -> application.sql(refused).param(chain).query().listOfRows())
                    .as(refused)
                    .isInstanceOf(DataAccessException.class)
                    .satisfies(e -> assertThat(sqlState(e)).as(refused).isEqualTo("42501"));
        }
        assertThatThrownBy(() -> application.sql("TRUNCATE audit_log").update())
                .isInstanceOf(DataAccessException.class)
                .satisfies(e -> assertThat(sqlState(e)).isEqualTo("42501"));
        assertThat(fixtures.positions(chain)).containsExactly(1L, 2L);
        assertThat(fixtures.breakOf(chain)).isEmpty();
    }

    private static String sqlState(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql) {
                return sql.getSQLState();
            }
        }
        return "none";
    }

    private byte[] hashAt(UUID chain, long seq) {
        return jdbc.sql("SELECT entry_hash FROM audit_log WHERE chain_key = ? AND seq = ?")
                .params(chain, seq)
                .query(byte[].class)
                .single();
    }
}
