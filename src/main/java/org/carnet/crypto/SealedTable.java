package org.carnet.crypto;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A table whose columns hold values sealed by {@link FieldSealer}, declared once by the module that
 * owns it: which column names the row (the associated data's row), which column names the owner of
 * the data key, and which columns are sealed. Stores build every {@link SealedColumn} through it;
 * key rotation, crypto-shredding, exports and the no-plaintext test walk {@link SealedTables}.
 *
 * <p>A table shared by several kinds of key owner (the inbox: patients and professionals) also names the
 * column that tells, row by row, which kind of owner sealed it, and what that column holds for each kind: an
 * owner's rows are then those with its kind and its id ({@link #ownerCondition}), never its id alone (a
 * staff member's login and their professional inbox have the same id and different keys).
 *
 * @param ownerTypes the kinds of key owner its rows may have (an inbox's: a patient or a professional)
 * @param ownerTypeColumn the column naming the kind of owner of each row; null when there is one kind
 * @param storedTypes what {@code ownerTypeColumn} holds for each kind in {@code ownerTypes}; empty when there
 *     is one kind
 */
public record SealedTable(
        String table,
        String rowColumn,
        String ownerColumn,
        Set<KeyOwner.Type> ownerTypes,
        List<String> columns,
        @Nullable String ownerTypeColumn,
        Map<KeyOwner.Type, String> storedTypes) {

    public SealedTable {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(rowColumn, "rowColumn");
        Objects.requireNonNull(ownerColumn, "ownerColumn");
        ownerTypes = Set.copyOf(ownerTypes);
        columns = List.copyOf(columns);
        storedTypes = Map.copyOf(storedTypes);
        if (ownerTypes.isEmpty() || columns.isEmpty()) {
            throw new IllegalArgumentException("A sealed table names its key owners and its sealed columns");
        }
        if (ownerTypes.size() > 1
                && (ownerTypeColumn == null || !storedTypes.keySet().equals(ownerTypes))) {
            throw new IllegalArgumentException(
                    table + " holds several kinds of key owner: it names the column that tells them apart");
        }
        if (ownerTypes.size() == 1 && (ownerTypeColumn != null || !storedTypes.isEmpty())) {
            throw new IllegalArgumentException(table + " holds one kind of key owner: no column tells kinds apart");
        }
    }

    /** A table of rows owned by one kind of key owner. */
    public SealedTable(
            String table, String rowColumn, String ownerColumn, Set<KeyOwner.Type> ownerTypes, List<String> columns) {
        this(table, rowColumn, ownerColumn, ownerTypes, columns, null, Map.of());
    }

    /** A table of rows owned by one kind of key owner. */
    public static SealedTable of(String table, String ownerColumn, KeyOwner.Type ownerType, String... columns) {
        return new SealedTable(table, "id", ownerColumn, Set.of(ownerType), List.of(columns));
    }

    /**
     * A table shared by several kinds of key owner.
     *
     * @param ownerTypeColumn the column naming each row's kind of owner
     * @param storedTypes what that column holds for each kind
     */
    public static SealedTable shared(
            String table,
            String rowColumn,
            String ownerColumn,
            String ownerTypeColumn,
            Map<KeyOwner.Type, String> storedTypes,
            List<String> columns) {
        return new SealedTable(
                table, rowColumn, ownerColumn, storedTypes.keySet(), columns, ownerTypeColumn, storedTypes);
    }

    /**
     * The SQL condition that selects the rows of one owner ({@code owner_id = ?}, or {@code owner_type = ? AND
     * owner_id = ?} in a shared table), whose parameters are {@link #ownerParams}.
     */
    public String ownerCondition() {
        return ownerTypeColumn == null ? ownerColumn + " = ?" : ownerTypeColumn + " = ? AND " + ownerColumn + " = ?";
    }

    /**
     * The parameters of {@link #ownerCondition} for this owner.
     *
     * @throws IllegalArgumentException for a kind of owner this table does not hold
     */
    public List<Object> ownerParams(KeyOwner owner) {
        if (!ownerTypes.contains(owner.type())) {
            throw new IllegalArgumentException(table + " holds no value of a " + owner.type() + " key owner");
        }
        return ownerTypeColumn == null
                ? List.of(owner.id())
                : List.of(Objects.requireNonNull(storedTypes.get(owner.type())), owner.id());
    }

    /**
     * Where a sealed value of this table lives.
     *
     * @throws IllegalArgumentException for a column not declared sealed
     */
    public SealedColumn column(String column, UUID row) {
        if (!columns.contains(column)) {
            throw new IllegalArgumentException(table + "." + column + " is not declared sealed");
        }
        return new SealedColumn(table, column, row);
    }
}
