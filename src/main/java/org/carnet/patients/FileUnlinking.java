package org.carnet.patients;

import java.util.List;
import java.util.UUID;
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
 * Moves the account ids that patient files written before V42 hold in clear ({@code patient_account_id}) to
 * their keyed hash and sealed value, and records the account's link to each file ({@link FileAccounts}), in
 * batches of one short transaction each. Each file changes in one update that requires its clear id still
 * there, with its link in the same transaction: a node stopped halfway leaves each file either as it was or
 * moved, and two nodes never move one file twice. A file of an establishment whose keys were destroyed cannot
 * be sealed again: its clear id is removed. Runs on every node some seconds after it starts, then every hour
 * (files written by a node of the older version during a rolling upgrade).
 */
@Component
public class FileUnlinking {

    private static final Logger log = LoggerFactory.getLogger(FileUnlinking.class);
    static final int BATCH_SIZE = 200;

    private record Row(UUID establishmentId, UUID fileId, UUID accountId) {}

    private final JdbcClient jdbc;
    private final FileAccounts fileAccounts;
    private final KeyShredding shredding;
    private final TransactionTemplate transactions;

    FileUnlinking(
            JdbcClient jdbc, FileAccounts fileAccounts, KeyShredding shredding, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.fileAccounts = fileAccounts;
        this.shredding = shredding;
        this.transactions = transactions;
    }

    @Scheduled(
            initialDelayString = "${carnet.patients.reindex-delay:PT30S}",
            fixedDelayString = "${carnet.patients.reindex-interval:PT1H}")
    void unlinkLeftFiles() {
        long moved = unlink(BATCH_SIZE);
        if (moved > 0) {
            log.info("Patient files whose account id was in clear: {} moved to a keyed hash and a sealed value", moved);
        }
    }

    /** Moves every file left with a clear account id, in batches of {@code batchSize}; how many. */
    public long unlink(int batchSize) {
        return Batches.untilNoneLeft(transactions, () -> batch(batchSize));
    }

    private int batch(int size) {
        List<Row> rows = jdbc.sql("SELECT establishment_id, id, patient_account_id FROM patient_files"
                        + " WHERE patient_account_id IS NOT NULL ORDER BY establishment_id, id LIMIT ?")
                .param(size)
                .query((rs, n) ->
                        new Row(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class)))
                .list();
        int moved = 0;
        for (Row row : rows) {
            if (shredding.isShredded(KeyOwner.establishment(row.establishmentId()))) {
                moved += jdbc.sql("UPDATE patient_files SET patient_account_id = NULL WHERE establishment_id = ?"
                                + " AND id = ? AND patient_account_id = ?")
                        .params(row.establishmentId(), row.fileId(), row.accountId())
                        .update();
                continue;
            }
            int updated = jdbc.sql(
                            "UPDATE patient_files SET account_index = ?, patient_account = ?,"
                                    + " patient_account_id = NULL WHERE establishment_id = ? AND id = ? AND patient_account_id = ?")
                    .params(
                            fileAccounts.index(row.establishmentId(), row.accountId()),
                            fileAccounts.sealedAccount(row.establishmentId(), row.fileId(), row.accountId()),
                            row.establishmentId(),
                            row.fileId(),
                            row.accountId())
                    .update();
            if (updated == 1) {
                fileAccounts.link(row.accountId(), new FileAccounts.FileRef(row.establishmentId(), row.fileId()));
                moved++;
            }
        }
        return moved;
    }
}
