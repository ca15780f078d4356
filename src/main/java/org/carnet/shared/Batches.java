package org.carnet.shared;

import java.util.function.IntSupplier;
import org.springframework.transaction.support.TransactionTemplate;

/** Background work done in batches of one short transaction each. */
public final class Batches {

    private Batches() {}

    /** Runs {@code batch} (how many rows it changed) in a transaction of its own until one changes none; the total. */
    public static long untilNoneLeft(TransactionTemplate transactions, IntSupplier batch) {
        long total = 0;
        while (true) {
            Integer changed = transactions.execute(status -> batch.getAsInt());
            if (changed == null || changed == 0) {
                return total;
            }
            total += changed;
        }
    }
}
