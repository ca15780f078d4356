package org.carnet.scheduling.internal;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.carnet.crypto.FieldSealer;
import org.carnet.crypto.KeyOwner;
import org.carnet.crypto.KeyShredding;
import org.carnet.shared.Batches;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Moves what appointments and idempotency keys written before V42 say in clear about whose they are: an
 * appointment's {@code patient_account_id} to its sealed {@code patient_account}, and each {@code
 * booking_requests} row to {@code booking_request_keys}, found by a keyed hash of its requester and key. Batches
 * of one short transaction each; each row changes only if it is still as read, so a node stopped halfway or two
 * nodes at once leave each row either as it was or moved once. An appointment of an establishment whose keys
 * were destroyed loses its clear id. Runs on every node some seconds after it starts, then every hour (rows a
 * node of the older version wrote during a rolling upgrade).
 */
@Component
public class AppointmentUnlinking {

    private static final Logger log = LoggerFactory.getLogger(AppointmentUnlinking.class);
    static final int BATCH_SIZE = 200;

    /** What a run moved: appointments whose account id it sealed, idempotency keys it re-keyed. */
    public record Result(long appointments, long bookingRequests) {}

    private record Row(UUID establishmentId, UUID id, UUID accountId) {}

    private record Request(UUID requesterId, String key, byte[] hash, UUID appointmentId, OffsetDateTime createdAt) {}

    private final JdbcClient jdbc;
    private final FieldSealer sealer;
    private final BookingRequests requests;
    private final KeyShredding shredding;
    private final TransactionTemplate transactions;

    AppointmentUnlinking(
            JdbcClient jdbc,
            FieldSealer sealer,
            BookingRequests requests,
            KeyShredding shredding,
            TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.sealer = sealer;
        this.requests = requests;
        this.shredding = shredding;
        this.transactions = transactions;
    }

    @Scheduled(
            initialDelayString = "${carnet.patients.reindex-delay:PT30S}",
            fixedDelayString = "${carnet.patients.reindex-interval:PT1H}")
    void unlinkLeftRows() {
        Result result = unlink(BATCH_SIZE);
        if (result.appointments() + result.bookingRequests() > 0) {
            log.info(
                    "Rows that named a patient account in clear: {} appointments sealed, {} idempotency keys re-keyed",
                    result.appointments(),
                    result.bookingRequests());
        }
    }

    /** Moves every row left, in batches of {@code batchSize}. */
    public Result unlink(int batchSize) {
        return new Result(
                Batches.untilNoneLeft(transactions, () -> appointments(batchSize)),
                Batches.untilNoneLeft(transactions, () -> bookingRequests(batchSize)));
    }

    private int appointments(int size) {
        List<Row> rows = jdbc.sql("SELECT establishment_id, id, patient_account_id FROM appointments"
                        + " WHERE patient_account_id IS NOT NULL ORDER BY establishment_id, id LIMIT ?")
                .param(size)
                .query((rs, n) ->
                        new Row(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class)))
                .list();
        int moved = 0;
        for (Row row : rows) {
            KeyOwner owner = KeyOwner.establishment(row.establishmentId());
            byte[] sealed = shredding.isShredded(owner)
                    ? null
                    : sealer.seal(
                            owner,
                            AppointmentStore.SEALED.column("patient_account", row.id()),
                            row.accountId().toString());
            // param by param: Spring 7.0 declares null (SQL NULL) for param(Object), not for params(Object...)
            moved += jdbc.sql("UPDATE appointments SET patient_account = ?, patient_account_id = NULL"
                            + " WHERE establishment_id = ? AND id = ? AND patient_account_id = ?")
                    .param(sealed)
                    .param(row.establishmentId())
                    .param(row.id())
                    .param(row.accountId())
                    .update();
        }
        return moved;
    }

    private int bookingRequests(int size) {
        List<Request> rows = jdbc.sql("SELECT patient_account_id, idempotency_key, request_hash, appointment_id,"
                        + " created_at FROM booking_requests ORDER BY patient_account_id, idempotency_key LIMIT ?")
                .param(size)
                .query((rs, n) -> new Request(
                        rs.getObject(1, UUID.class),
                        rs.getString(2),
                        rs.getBytes(3),
                        rs.getObject(4, UUID.class),
                        rs.getObject(5, OffsetDateTime.class)))
                .list();
        int moved = 0;
        for (Request row : rows) {
            int deleted = jdbc.sql("DELETE FROM booking_requests WHERE patient_account_id = ? AND idempotency_key = ?")
                    .params(row.requesterId(), row.key())
                    .update();
            if (deleted == 1) {
                jdbc.sql("INSERT INTO booking_request_keys (request_key, request_hash, appointment_id, created_at)"
                                + " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")
                        .params(
                                requests.requestKey(row.requesterId(), row.key()),
                                row.hash(),
                                row.appointmentId(),
                                row.createdAt())
                        .update();
                moved++;
            }
        }
        return moved;
    }
}
