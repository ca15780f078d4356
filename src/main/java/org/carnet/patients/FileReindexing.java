package org.carnet.patients;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.carnet.crypto.FieldSealer;
import org.carnet.crypto.KeyOwner;
import org.carnet.crypto.KeyShredding;
import org.carnet.patients.internal.FileIndexes;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Re-indexes under their establishment's own blind-index key the patient files indexed under the platform's
 * key (format 1, written before establishments had one), in batches of one short transaction each, in order of
 * establishment and file. What is left is read from the indexes' own format byte, so a node stopped halfway
 * leaves each file either as it was or re-indexed, and the next pass finishes. A file's two indexes change in
 * one update that names the indexes it read: a file changed meanwhile is left to the next pass. The files of an
 * establishment whose keys were destroyed cannot be opened: their format-1 indexes, which whoever holds the
 * platform key could still match, are removed. Runs on every node some seconds after it starts, then every
 * hour (files written by a node of the older version during a rolling upgrade); look-ups match both formats.
 */
@Component
class FileReindexing {

    private static final Logger log = LoggerFactory.getLogger(FileReindexing.class);
    private static final byte[] PLATFORM_FORMAT = {1};
    static final int BATCH_SIZE = 200;

    /**
     * What a run did.
     *
     * @param reindexed files re-indexed under their establishment's key
     * @param cleared files of destroyed establishments whose format-1 indexes were removed
     * @param skipped files whose sealed name or birth date did not open (left as they were)
     * @param finished whether it went through the whole table (rather than stopping after its batches)
     */
    record Result(long reindexed, long cleared, long skipped, boolean finished) {}

    private record Position(UUID establishmentId, UUID fileId) {}

    private record Batch(
            long reindexed,
            long cleared,
            long skipped,
            @Nullable Position next) {}

    private record Row(
            UUID establishmentId,
            UUID fileId,
            byte[] lastName,
            byte[] birthDate,
            byte @Nullable [] lastNameIndex,
            byte @Nullable [] birthDateIndex) {}

    private final JdbcClient jdbc;
    private final FieldSealer sealer;
    private final FileIndexes indexes;
    private final KeyShredding shredding;
    private final TransactionTemplate transactions;

    FileReindexing(
            JdbcClient jdbc,
            FieldSealer sealer,
            FileIndexes indexes,
            KeyShredding shredding,
            TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.sealer = sealer;
        this.indexes = indexes;
        this.shredding = shredding;
        this.transactions = transactions;
    }

    @Scheduled(
            initialDelayString = "${carnet.patients.reindex-delay:PT30S}",
            fixedDelayString = "${carnet.patients.reindex-interval:PT1H}")
    void reindexLeftFiles() {
        Result result = reindex(BATCH_SIZE, Integer.MAX_VALUE);
        if (result.reindexed() + result.cleared() + result.skipped() > 0) {
            log.info(
                    "Patient files indexed under their establishment's key: {} re-indexed, {} of destroyed"
                            + " establishments cleared, {} skipped (their values did not open)",
                    result.reindexed(),
                    result.cleared(),
                    result.skipped());
        }
    }

    /** Goes through the files left in format 1, at most {@code maxBatches} batches of {@code batchSize}. */
    Result reindex(int batchSize, int maxBatches) {
        long reindexed = 0;
        long cleared = 0;
        long skipped = 0;
        @Nullable Position after = null;
        for (int n = 0; n < maxBatches; n++) {
            Position from = after;
            Batch batch = transactions.execute(status -> batch(from, batchSize));
            if (batch == null) {
                throw new IllegalStateException("A re-indexing batch returned nothing");
            }
            reindexed += batch.reindexed();
            cleared += batch.cleared();
            skipped += batch.skipped();
            if (batch.next() == null) {
                return new Result(reindexed, cleared, skipped, true);
            }
            after = batch.next();
        }
        return new Result(reindexed, cleared, skipped, false);
    }

    private Batch batch(@Nullable Position after, int size) {
        List<Object> params = new ArrayList<>(List.of(PLATFORM_FORMAT, PLATFORM_FORMAT));
        String keyset = "";
        if (after != null) {
            keyset = " AND (establishment_id > ? OR (establishment_id = ? AND id > ?))";
            params.addAll(List.of(after.establishmentId(), after.establishmentId(), after.fileId()));
        }
        params.add(size);
        List<Row> rows = jdbc.sql("SELECT establishment_id, id, last_name, birth_date, last_name_index,"
                        + " birth_date_index FROM patient_files WHERE (SUBSTRING(last_name_index FROM 1 FOR 1) = ?"
                        + " OR SUBSTRING(birth_date_index FROM 1 FOR 1) = ?)" + keyset
                        + " ORDER BY establishment_id, id LIMIT ?")
                .params(params)
                .query((rs, n) -> new Row(
                        rs.getObject(1, UUID.class),
                        rs.getObject(2, UUID.class),
                        rs.getBytes(3),
                        rs.getBytes(4),
                        rs.getBytes(5),
                        rs.getBytes(6)))
                .list();
        Map<UUID, Boolean> destroyed = new HashMap<>();
        long reindexed = 0;
        long cleared = 0;
        long skipped = 0;
        for (Row row : rows) {
            KeyOwner owner = KeyOwner.establishment(row.establishmentId());
            if (destroyed.computeIfAbsent(row.establishmentId(), id -> shredding.isShredded(owner))) {
                cleared += update(row, null, null);
                continue;
            }
            String lastName;
            LocalDate birthDate;
            try {
                lastName = sealer.open(owner, PatientFiles.SEALED.column("last_name", row.fileId()), row.lastName());
                birthDate = LocalDate.parse(
                        sealer.open(owner, PatientFiles.SEALED.column("birth_date", row.fileId()), row.birthDate()));
            } catch (RuntimeException e) {
                // Altered or misplaced: left as it is (still found by its format-1 indexes), and said once per pass.
                log.warn("Patient file {} not re-indexed: its sealed values do not open", row.fileId());
                skipped++;
                continue;
            }
            reindexed += update(
                    row,
                    indexes.lastName(row.establishmentId(), lastName),
                    indexes.birthDate(row.establishmentId(), birthDate));
        }
        Row last = rows.isEmpty() ? null : rows.get(rows.size() - 1);
        return new Batch(
                reindexed,
                cleared,
                skipped,
                rows.size() < size || last == null ? null : new Position(last.establishmentId(), last.fileId()));
    }

    /** Both indexes at once, only if they are still those read. */
    private int update(Row row, byte @Nullable [] lastNameIndex, byte @Nullable [] birthDateIndex) {
        // param by param: Spring 7.0 declares null (SQL NULL) for param(Object), not for params(Object...)
        return jdbc.sql("UPDATE patient_files SET last_name_index = ?, birth_date_index = ? WHERE establishment_id = ?"
                        + " AND id = ? AND last_name_index IS NOT DISTINCT FROM ?"
                        + " AND birth_date_index IS NOT DISTINCT FROM ?")
                .param(lastNameIndex)
                .param(birthDateIndex)
                .param(row.establishmentId())
                .param(row.fileId())
                .param(row.lastNameIndex())
                .param(row.birthDateIndex())
                .update();
    }
}
