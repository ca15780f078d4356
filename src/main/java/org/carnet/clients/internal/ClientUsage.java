package org.carnet.clients.internal;

import static org.carnet.clients.internal.ClientStore.utc;

import java.sql.DatabaseMetaData;
import java.time.Instant;
import java.util.UUID;
import javax.sql.DataSource;
import org.carnet.shared.EstablishmentId;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The counters behind per-program quotas, in the database so that every node counts into the same
 * rows: requests per window ({@code third_party_client_requests}) and the distinct patients shown per
 * window ({@code third_party_client_patients}, counted in {@code third_party_client_patient_counts}).
 * Each count is a conditional increment ({@code … WHERE n < limit}): the database's row lock makes it
 * exact whatever the number of nodes, and the usual case costs one statement. Nothing here is personal:
 * ids, times and counts.
 */
@Repository
public class ClientUsage {

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final boolean postgres;

    ClientUsage(JdbcClient jdbc, TransactionTemplate transactions, DataSource dataSource)
            throws MetaDataAccessException {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.postgres = "PostgreSQL"
                .equals(JdbcUtils.extractDatabaseMetaData(dataSource, DatabaseMetaData::getDatabaseProductName));
    }

    /**
     * Counts one request of the program in the window starting at {@code window}, if fewer than {@code
     * limit} were counted there; false (and nothing counted) when the window is full.
     */
    public boolean countRequest(EstablishmentId establishment, UUID client, Instant window, int limit) {
        return Boolean.TRUE.equals(transactions.execute(status -> {
            if (postgres) {
                // Every request of a program increments its window's one row, so each waited for the previous
                // one's flush to disk while holding that row: one flush per request, in line. A request count
                // is not worth a flush (a database crash may forget the last fraction of a second of counts: a
                // program gets a few more requests that minute); this transaction's alone, not the connection's.
                jdbc.sql("SET LOCAL synchronous_commit TO OFF").update();
            }
            return increment("third_party_client_requests", "requests", establishment, client, window, limit);
        }));
    }

    /**
     * Counts the patient for the program in the window starting at {@code window}: true when it was
     * already counted there (no new count) or fits under {@code limit}; false when it is a new patient
     * beyond it. On false the caller's transaction must roll back (the patient's row was written).
     */
    public boolean admitPatient(EstablishmentId establishment, UUID client, Instant window, UUID patient, int limit) {
        int added = jdbc.sql("INSERT INTO third_party_client_patients (establishment_id, client_id, window_start,"
                        + " patient_id) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")
                .params(establishment.value(), client, utc(window), patient)
                .update();
        return added == 0
                || increment("third_party_client_patient_counts", "patients", establishment, client, window, limit);
    }

    /** One conditional update; only the window's first count (or a full window) needs the insert. */
    private boolean increment(
            String table, String column, EstablishmentId establishment, UUID client, Instant window, int limit) {
        String update = "UPDATE " + table + " SET " + column + " = " + column + " + 1"
                + " WHERE establishment_id = ? AND client_id = ? AND window_start = ? AND " + column + " < ?";
        Object[] params = {establishment.value(), client, utc(window), limit};
        if (jdbc.sql(update).params(params).update() == 1) {
            return true;
        }
        int inserted = jdbc.sql("INSERT INTO " + table + " (establishment_id, client_id, window_start, " + column
                        + ") VALUES (?, ?, ?, 1) ON CONFLICT DO NOTHING")
                .params(establishment.value(), client, utc(window))
                .update();
        // Not inserted: the row exists, full, or another node made it meanwhile (then try once more).
        return inserted == 1 || jdbc.sql(update).params(params).update() == 1;
    }

    /** Forgets the windows that started before {@code before}. */
    public void prune(Instant before) {
        for (String table : new String[] {
            "third_party_client_requests", "third_party_client_patient_counts", "third_party_client_patients"
        }) {
            jdbc.sql("DELETE FROM " + table + " WHERE window_start < ?")
                    .param(utc(before))
                    .update();
        }
    }
}
