package org.carnet.crypto;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code keys rotate-data}: gives an owner (an establishment, a patient account, a login, a professional) a new
 * data key version and re-seals every value sealed for it under that version, table by table as {@link
 * SealedTables} lists them (in a table shared by several kinds of owner, the rows of its kind and id only), in
 * batches of one short
 * transaction each, while bookings go on. The version each value was sealed with is in its header ({@link
 * FieldSealer#keyVersion}), so the work left is read from the values themselves: stopped halfway, the next
 * run for the same owner finishes this rotation before it would start another. Older versions stay in {@code
 * data_keys}: backups taken before still open. Callable from inside the server as well as from the command;
 * it runs in the caller's thread.
 */
@Service
public class DataKeyRotation {

    /** Where a rotation is: after a batch of a table, how many values it re-sealed so far and in which pass. */
    public record Progress(KeyOwner owner, int version, int pass, String table, long resealed) {}

    /**
     * What a finished rotation did.
     *
     * @param version the version every value of the owner is now sealed with
     * @param resumed whether it finished a rotation left unfinished rather than starting one
     * @param resealed how many values it re-sealed
     * @param passes how many passes over the owner's tables it made
     */
    public record Result(KeyOwner owner, int version, boolean resumed, long resealed, int passes) {}

    private final SealedTables tables;
    private final DataKeys dataKeys;
    private final FieldSealer sealer;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final RotationProperties settings;

    DataKeyRotation(
            SealedTables tables,
            DataKeys dataKeys,
            FieldSealer sealer,
            JdbcClient jdbc,
            TransactionTemplate transactions,
            RotationProperties settings) {
        this.tables = tables;
        this.dataKeys = dataKeys;
        this.sealer = sealer;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.settings = settings;
    }

    /**
     * Rotates the owner's data key, or finishes a rotation left unfinished (some value still sealed with an
     * older version than the newest), reporting after each batch. Finishes once the new version is at least
     * {@link RotationProperties#settle} old and no value is left under an older one.
     *
     * @throws IllegalArgumentException for an owner that has no data key
     * @throws KeyShreddedException for an owner whose keys were destroyed
     */
    public Result rotate(KeyOwner owner, Consumer<Progress> progress) {
        List<SealedTable> owned = tablesOf(owner);
        int latest = dataKeys.latestVersion(owner);
        if (latest == 0) {
            if (dataKeys.isShredded(owner)) {
                throw new KeyShreddedException(owner);
            }
            throw new IllegalArgumentException("No data key for this owner: nothing was ever sealed for it");
        }
        boolean resumed = left(owner, owned, latest) > 0;
        int version = resumed ? latest : dataKeys.addVersion(owner);
        long started = System.nanoTime();
        long resealed = 0;
        int pass = 0;
        while (true) {
            pass++;
            long done = 0;
            for (SealedTable table : owned) {
                done += pass(owner, table, version, pass, resealed + done, progress);
            }
            resealed += done;
            boolean settled = Duration.ofNanos(System.nanoTime() - started).compareTo(settings.settle()) >= 0;
            // Counted again rather than trusted from the pass: a row a booking changed meanwhile was skipped.
            if (settled && left(owner, owned, version) == 0) {
                return new Result(owner, version, resumed, resealed, pass);
            }
            if (done == 0) {
                // Other nodes may still seal with the older version until they see the new one.
                pause();
            }
        }
    }

    /** How many of the owner's values are sealed with each data key version, table by table. */
    public Map<String, Map<Integer, Long>> versions(KeyOwner owner) {
        Map<String, Map<Integer, Long>> counts = new LinkedHashMap<>();
        for (SealedTable table : tablesOf(owner)) {
            Map<Integer, Long> byVersion = new java.util.TreeMap<>();
            for (String column : table.columns()) {
                jdbc.sql("SELECT SUBSTRING(" + column + " FROM 2 FOR 4), COUNT(*) FROM " + table.table() + " WHERE "
                                + table.ownerCondition() + " AND " + column + " IS NOT NULL GROUP BY SUBSTRING("
                                + column + " FROM 2 FOR 4)")
                        .params(table.ownerParams(owner))
                        .query(rs -> {
                            byVersion.merge(ByteBuffer.wrap(rs.getBytes(1)).getInt(), rs.getLong(2), Long::sum);
                        });
            }
            counts.put(table.table(), byVersion);
        }
        return counts;
    }

    /** Seals with the version another node's rotation made, within {@link KeyShredding#REFRESH}. */
    @Scheduled(fixedDelay = 5_000, initialDelay = 5_000)
    void sealWithVersionsMadeElsewhere() {
        dataKeys.forgetRotated();
    }

    /**
     * The tables that may hold the owner's values; in a table shared with other kinds of key owner, its rows are
     * told apart by their owner's kind as well as its id ({@link SealedTable#ownerCondition}).
     */
    private List<SealedTable> tablesOf(KeyOwner owner) {
        return tables.all().stream()
                .filter(table -> table.ownerTypes().contains(owner.type()))
                .toList();
    }

    /** How many values of the owner are sealed with another version than this one. */
    private long left(KeyOwner owner, List<SealedTable> owned, int version) {
        long left = 0;
        for (SealedTable table : owned) {
            left += jdbc.sql("SELECT COUNT(*) FROM " + table.table() + " WHERE " + table.ownerCondition() + " AND ("
                            + staleCondition(table) + ")")
                    .params(withHeaders(table.ownerParams(owner), table, version))
                    .query(Long.class)
                    .single();
        }
        return left;
    }

    /** One pass over a table, batch by batch in order of rows; how many values it re-sealed. */
    private long pass(
            KeyOwner owner, SealedTable table, int version, int pass, long before, Consumer<Progress> progress) {
        long done = 0;
        @Nullable UUID after = null;
        while (true) {
            UUID from = after;
            Batch batch = transactions.execute(status -> batch(owner, table, version, from));
            if (batch == null) {
                throw new IllegalStateException("A re-sealing batch returned nothing");
            }
            done += batch.resealed();
            if (batch.resealed() > 0) {
                progress.accept(new Progress(owner, version, pass, table.table(), before + done));
            }
            if (batch.last() == null) {
                return done;
            }
            after = batch.last();
        }
    }

    private record Batch(long resealed, @Nullable UUID last) {}

    /**
     * Re-seals, in the caller's transaction, the values of up to one batch of the owner's rows after {@code
     * after} that hold a value under another version; a row changed meanwhile by a booking is left to the next
     * pass (the update names the values it read).
     */
    private Batch batch(KeyOwner owner, SealedTable table, int version, @Nullable UUID after) {
        String columns = String.join(", ", table.columns());
        List<Object> params = new ArrayList<>();
        String sql = "SELECT " + table.rowColumn() + ", " + columns + " FROM " + table.table() + " WHERE "
                + table.ownerCondition() + (after == null ? "" : " AND " + table.rowColumn() + " > ?")
                + " AND (" + staleCondition(table) + ") ORDER BY " + table.rowColumn() + " LIMIT ?";
        params.addAll(table.ownerParams(owner));
        if (after != null) {
            params.add(after);
        }
        params = withHeaders(params, table, version);
        params.add(settings.batchSize());
        List<Row> rows = jdbc.sql(sql)
                .params(params)
                .query((rs, n) -> {
                    List<byte @Nullable []> values = new ArrayList<>();
                    for (int i = 0; i < table.columns().size(); i++) {
                        values.add(rs.getBytes(i + 2));
                    }
                    return new Row(rs.getObject(1, UUID.class), values);
                })
                .list();
        long resealed = 0;
        for (Row row : rows) {
            resealed += reseal(owner, table, version, row);
        }
        return new Batch(
                resealed,
                rows.size() < settings.batchSize()
                        ? null
                        : rows.get(rows.size() - 1).id());
    }

    private record Row(UUID id, List<byte @Nullable []> values) {}

    private long reseal(KeyOwner owner, SealedTable table, int version, Row row) {
        List<String> set = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        List<Object> newValues = new ArrayList<>();
        List<Object> oldValues = new ArrayList<>();
        for (int i = 0; i < table.columns().size(); i++) {
            byte[] sealed = row.values().get(i);
            if (sealed == null || FieldSealer.keyVersion(sealed) == version) {
                continue;
            }
            String column = table.columns().get(i);
            set.add(column + " = ?");
            unchanged.add(column + " = ?");
            newValues.add(sealer.reseal(owner, table.column(column, row.id()), sealed, version));
            oldValues.add(sealed);
        }
        if (set.isEmpty()) {
            return 0;
        }
        List<Object> params = new ArrayList<>(newValues);
        params.add(row.id());
        params.addAll(table.ownerParams(owner));
        params.addAll(oldValues);
        int updated = jdbc.sql("UPDATE " + table.table() + " SET " + String.join(", ", set) + " WHERE "
                        + table.rowColumn() + " = ? AND " + table.ownerCondition() + " AND "
                        + String.join(" AND ", unchanged))
                .params(params)
                .update();
        return updated == 0 ? 0 : set.size();
    }

    /** Some column holds a value whose header names another version (the header: format byte, then version). */
    private static String staleCondition(SealedTable table) {
        return table.columns().stream()
                .map(column -> "SUBSTRING(" + column + " FROM 2 FOR 4) <> ?")
                .collect(Collectors.joining(" OR "));
    }

    /** The parameters before, then the version as a header holds it for each column of the condition. */
    private static List<Object> withHeaders(List<Object> before, SealedTable table, int version) {
        List<Object> params = new ArrayList<>(before);
        byte[] header = ByteBuffer.allocate(4).putInt(version).array();
        for (int i = 0; i < table.columns().size(); i++) {
            params.add(header);
        }
        return params;
    }

    private void pause() {
        try {
            Thread.sleep(Math.min(1_000, Math.max(1, settings.settle().toMillis())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while rotating a data key", e);
        }
    }
}
