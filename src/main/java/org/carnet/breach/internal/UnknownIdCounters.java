package org.carnet.breach.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.carnet.breach.BreachProperties;
import org.carnet.clients.ProgramAskedForUnknownId;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The distinct unknown ids each program asked for within the rule's sliding window, in {@code
 * breach_unknown_ids}, which every node adds to: a program probing through several nodes is counted
 * once. Each id is kept as the keyed hash the event carries, with the last time it was asked.
 */
@Component
class UnknownIdCounters {

    private final JdbcClient jdbc;
    private final BreachProperties properties;

    UnknownIdCounters(JdbcClient jdbc, BreachProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
    }

    /**
     * Records the ask; statement by statement, outside any transaction (on PostgreSQL a duplicate key
     * would abort one).
     *
     * @return the distinct unknown ids the program asked for within the window ending now, this one
     *     included, when this one is new in the window; 0 when it was already counted (asking the same
     *     unknown id again is a retry, not a probe)
     */
    int record(ProgramAskedForUnknownId asked) {
        OffsetDateTime at = asked.at().atOffset(ZoneOffset.UTC);
        OffsetDateTime from = asked.at().minus(properties.unknownIdsWindow()).atOffset(ZoneOffset.UTC);
        Optional<OffsetDateTime> last = jdbc.sql(
                        "SELECT asked_at FROM breach_unknown_ids WHERE client_id = ? AND probe = ?")
                .params(asked.clientId(), asked.probe())
                .query(OffsetDateTime.class)
                .optional();
        boolean fresh;
        if (last.isPresent()) {
            jdbc.sql("UPDATE breach_unknown_ids SET asked_at = ? WHERE client_id = ? AND probe = ? AND asked_at < ?")
                    .params(at, asked.clientId(), asked.probe(), at)
                    .update();
            fresh = last.get().isBefore(from);
        } else {
            try {
                jdbc.sql("INSERT INTO breach_unknown_ids (client_id, probe, asked_at) VALUES (?, ?, ?)")
                        .params(asked.clientId(), asked.probe(), at)
                        .update();
                fresh = true;
            } catch (DuplicateKeyException another) {
                // The same id asked at the same moment through another node: counted there.
                fresh = false;
            }
        }
        if (!fresh) {
            return 0;
        }
        return jdbc.sql("SELECT COUNT(*) FROM breach_unknown_ids WHERE client_id = ? AND asked_at >= ?")
                .params(asked.clientId(), from)
                .query(Integer.class)
                .single();
    }

    /** Forgets what the program asked for: a security officer reinstated it, its count starts again. */
    void forget(UUID clientId) {
        jdbc.sql("DELETE FROM breach_unknown_ids WHERE client_id = ?")
                .param(clientId)
                .update();
    }

    /** Drops what left the window. */
    void prune(Instant now) {
        jdbc.sql("DELETE FROM breach_unknown_ids WHERE asked_at < ?")
                .param(now.minus(properties.unknownIdsWindow()).atOffset(ZoneOffset.UTC))
                .update();
    }
}
