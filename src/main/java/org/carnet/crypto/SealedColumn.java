package org.carnet.crypto;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Where a sealed value lives: its table, column and row. It is the associated data of the
 * ciphertext, so a value copied to another row or column no longer opens.
 */
public record SealedColumn(String table, String column, UUID row) {

    public SealedColumn {
        if (table == null || column == null || row == null) {
            throw new IllegalArgumentException("table, column and row are required");
        }
    }

    byte[] associatedData() {
        return (table + "." + column + "/" + row).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return table + "." + column;
    }
}
