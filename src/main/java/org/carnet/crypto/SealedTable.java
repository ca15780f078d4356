package org.carnet.crypto;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * A table whose columns hold values sealed by {@link FieldSealer}, declared once by the module that
 * owns it: which column names the row (the associated data's row), which column names the owner of
 * the data key, and which columns are sealed. Stores build every {@link SealedColumn} through it;
 * key rotation, crypto-shredding, exports and the no-plaintext test walk {@link SealedTables}.
 *
 * @param ownerTypes the kinds of key owner its rows may have (an inbox's: a patient or a professional)
 */
public record SealedTable(
        String table, String rowColumn, String ownerColumn, Set<KeyOwner.Type> ownerTypes, List<String> columns) {

    public SealedTable {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(rowColumn, "rowColumn");
        Objects.requireNonNull(ownerColumn, "ownerColumn");
        ownerTypes = Set.copyOf(ownerTypes);
        columns = List.copyOf(columns);
        if (ownerTypes.isEmpty() || columns.isEmpty()) {
            throw new IllegalArgumentException("A sealed table names its key owners and its sealed columns");
        }
    }

    /** A table of rows owned by one kind of key owner. */
    public static SealedTable of(String table, String ownerColumn, KeyOwner.Type ownerType, String... columns) {
        return new SealedTable(table, "id", ownerColumn, Set.of(ownerType), List.of(columns));
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
