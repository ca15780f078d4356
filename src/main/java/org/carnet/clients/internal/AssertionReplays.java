package org.carnet.clients.internal;

import static org.carnet.clients.internal.ClientStore.utc;

import java.time.Instant;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code jti} of every client assertion seen, kept until the assertion expires, in the database so
 * that an assertion used on one node is refused on every other.
 */
@Repository
public class AssertionReplays {

    private final JdbcClient jdbc;

    AssertionReplays(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Records the assertion's use: true the first time, false for a replay (one statement, so two nodes agree). */
    public boolean firstUse(UUID clientId, String jti, Instant expiresAt) {
        return jdbc.sql("INSERT INTO client_assertion_jtis (client_id, jti, expires_at) VALUES (?, ?, ?)"
                                + " ON CONFLICT DO NOTHING")
                        .param(clientId)
                        .param(jti)
                        .param(utc(expiresAt))
                        .update()
                == 1;
    }

    /** Forgets the jtis of assertions expired before {@code before}: such an assertion is refused anyway. */
    public int prune(Instant before) {
        return jdbc.sql("DELETE FROM client_assertion_jtis WHERE expires_at < ?")
                .param(utc(before))
                .update();
    }
}
