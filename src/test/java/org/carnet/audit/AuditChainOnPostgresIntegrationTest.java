package org.carnet.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.RequiresPostgres;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What only PostgreSQL does to a chain: an update writes a new row version elsewhere in the table,
 * so the table stops holding the chain in position order, and verification reads it in table order.
 */
@CarnetIntegrationTest
@RequiresPostgres
class AuditChainOnPostgresIntegrationTest {

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
    void aChainWhoseRowsTheDatabaseMovedIsConfirmedInTableOrderWithoutAWalk() {
        UUID chain = fixtures.aChainOf(6);

        jdbc.sql("UPDATE audit_log SET seq = seq WHERE chain_key = ? AND seq IN (1, 2, 4)")
                .param(chain)
                .update();

        assertThat(positionsInTableOrder(chain))
                .as("the premise: the table holds the chain out of position order")
                .containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L, 6L)
                .isNotEqualTo(List.of(1L, 2L, 3L, 4L, 5L, 6L));
        // Statistics, as a live log has them: the planner then reads this small table from start to end
        // instead of through the (chain, position) index, which would hand the rows over in order.
        jdbc.sql("ANALYZE audit_log").update();
        chains.sealPending(); // nothing older left unsealed, which alone would make verification walk a chain
        AuditVerification verification = verifier.verify();
        assertThat(verification.breaks()).noneMatch(b -> b.chainKey().equals(chain));
        assertThat(verification.chainsWalked()).isZero();
    }

    private List<Long> positionsInTableOrder(UUID chain) {
        return jdbc.sql("SELECT seq FROM audit_log WHERE chain_key = ? ORDER BY ctid")
                .param(chain)
                .query(Long.class)
                .list();
    }
}
