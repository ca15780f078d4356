package org.carnet.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import org.carnet.shared.Action;
import org.carnet.support.CarnetIntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Verification confirms intact chains in its one sequential read (binary COPY on PostgreSQL,
 * JDBC elsewhere), whatever the entries hold, and walks in position order only a chain that read
 * finds wrong.
 */
@CarnetIntegrationTest
@DirtiesContext // one test tampers with a chain
class AuditVerificationIntegrationTest {

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

    @org.junit.jupiter.api.BeforeEach
    void asTheOwner() {
        jdbc = org.carnet.support.TestDatabase.owner(environment);
    }

    @Test
    void entriesOfEveryShapeAreConfirmedWithoutAWalk() {
        UUID establishment = UUID.randomUUID();
        transactions.executeWithoutResult(status -> {
            auditLog.append(event(establishment, null, List.of(), "booking"));
            auditLog.append(event(establishment, UUID.randomUUID(), List.of("first_name"), "soins-à-domicile ü 𝄞"));
            auditLog.append(event(null, null, List.of("a".repeat(300), "motive"), "x".repeat(64)));
            auditLog.append(new AuditLog.Stored(
                    establishment,
                    new RecordedActor(RecordedActor.Type.CLIENT, UUID.randomUUID(), "CLIENT"),
                    UUID.randomUUID(),
                    null,
                    Action.EXECUTE,
                    "appointment",
                    List.of(),
                    "interop",
                    AccessEvent.Outcome.DENIED));
        });
        chains.sealPending();

        AuditVerification verification = verifier.verify();

        assertThat(verification.intact()).isTrue();
        assertThat(verification.chainsWalked()).isZero();
        assertThat(verification.entriesChecked()).isGreaterThanOrEqualTo(4);
    }

    @Test
    void aChainTheReadFindsWrongIsWalkedAndItsBreakNamed() {
        UUID establishment = UUID.randomUUID();
        transactions.executeWithoutResult(status -> {
            for (int i = 0; i < 3; i++) {
                auditLog.append(event(establishment, null, List.of("last_name"), "agenda"));
            }
        });
        chains.sealPending();
        jdbc.sql("UPDATE audit_log SET fields = 'nir' WHERE chain_key = ? AND seq = 2")
                .param(establishment)
                .update();

        AuditVerification verification = verifier.verify();

        assertThat(verification.chainsWalked()).isEqualTo(1);
        assertThat(verification.breaks()).singleElement().satisfies(broken -> {
            assertThat(broken.chainKey()).isEqualTo(establishment);
            assertThat(broken.kind()).isEqualTo(AuditBreak.Kind.EDITED);
            assertThat(broken.position()).isEqualTo(2);
        });
    }

    private static AuditLog.Stored event(UUID establishment, UUID onBehalfOf, List<String> fields, String purpose) {
        return new AuditLog.Stored(
                establishment,
                new RecordedActor(RecordedActor.Type.USER, UUID.randomUUID(), "PRACTITIONER"),
                onBehalfOf,
                UUID.randomUUID(),
                Action.READ,
                "patient-file",
                fields,
                purpose,
                AccessEvent.Outcome.ALLOWED);
    }
}
