package org.carnet.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;
import org.apache.commons.codec.digest.DigestUtils;
import org.carnet.support.Api;
import org.carnet.support.CarnetIntegrationTest;
import org.carnet.support.Fixtures;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What a node remembers for a couple of seconds to spare a round trip per request
 * (carnet.api.token-cache), and what must still take effect at once. A bearer token checked in the
 * database is answered for from memory: revoking it on this node refuses it at once, revoking it on
 * another node (here: straight in the database, as another node's sign-out does) refuses it here once
 * that memory has run out. A login seen with a confirmed address is remembered as confirmed, until its
 * address changes.
 */
@CarnetIntegrationTest
class RememberedChecksIntegrationTest {

    @Value("${local.server.port}")
    int port;

    @Value("${carnet.api.token-cache}")
    Duration tokenCache;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    EmailConfirmations confirmations;

    @Autowired
    Logins logins;

    @Autowired
    TransactionTemplate transactions;

    Api api;

    @BeforeEach
    void setUp() {
        api = new Api(port);
    }

    @Test
    void aTokenSignedOutOnThisNodeIsRefusedOnTheVeryNextRequest() {
        String token = Fixtures.aPatientToken(api);
        assertThat(api.get("/api/v1/me", token).status()).isEqualTo(200); // now remembered as live

        assertThat(api.delete("/api/v1/auth/token", token).status()).isEqualTo(204);

        assertThat(api.get("/api/v1/me", token).status()).isEqualTo(401);
    }

    @Test
    void aTokenRevokedByAnotherNodeIsRefusedHereWithinTheCacheDuration() throws InterruptedException {
        String token = Fixtures.aPatientToken(api);
        assertThat(api.get("/api/v1/me", token).status()).isEqualTo(200);
        long checked = System.nanoTime();

        jdbc.sql("UPDATE access_tokens SET revoked = TRUE WHERE token_hash = ?")
                .param(DigestUtils.sha256(token))
                .update();

        // Within the cache's duration the token may still be answered for from memory (that is the
        // point of it: no round trip). A request sent past the cache's duration (plus a margin for the clock reads)
        // must be refused;
        // what counts is when it was sent, not when a slow machine answered it.
        long deadline = checked + tokenCache.toNanos() + Duration.ofSeconds(1).toNanos();
        long sent = System.nanoTime();
        int status = api.get("/api/v1/me", token).status();
        boolean answeredFromMemory = status == 200;
        while (status == 200) {
            assertThat(sent)
                    .as("the revoked token still works %s after it was checked", tokenCache)
                    .isLessThan(deadline);
            Thread.sleep(100);
            sent = System.nanoTime();
            status = api.get("/api/v1/me", token).status();
        }
        assertThat(status).isEqualTo(401);
        if (System.nanoTime() - checked < tokenCache.toNanos() / 2) {
            assertThat(answeredFromMemory)
                    .as("a token checked moments ago is answered for without the database")
                    .isTrue();
        }
    }

    @Test
    void aChangedAddressIsUnconfirmedAtOnceHoweverRecentlyItWasSeenConfirmed() {
        Fixtures.Patient patient = Fixtures.aPatient(api);
        UUID login = jdbc.sql("SELECT id FROM user_accounts WHERE subject_id = ?")
                .param(patient.account())
                .query(UUID.class)
                .single();
        assertThat(confirmations.confirmed(login)).isTrue(); // now remembered

        transactions.executeWithoutResult(
                status -> logins.changeEmail(login, "moved-" + UUID.randomUUID() + "@example.test"));

        assertThat(confirmations.confirmed(login)).isFalse();
    }
}
