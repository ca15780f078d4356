package org.carnet.crypto;

import java.util.Comparator;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Every table that holds sealed values, as their owning modules declared them (each a bean of type
 * {@link SealedTable}): the one list that key rotation, crypto-shredding, exports and the
 * no-plaintext test walk.
 */
@Component
public class SealedTables {

    private final List<SealedTable> tables;

    SealedTables(List<SealedTable> tables) {
        this.tables =
                tables.stream().sorted(Comparator.comparing(SealedTable::table)).toList();
        long distinct = this.tables.stream().map(SealedTable::table).distinct().count();
        if (distinct != this.tables.size()) {
            throw new IllegalStateException("A sealed table is declared twice");
        }
    }

    public List<SealedTable> all() {
        return tables;
    }
}
