package org.carnet.shared;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** Work to do once the caller's transaction has ended, whichever way; at once outside a transaction. */
public final class AfterTransaction {

    private AfterTransaction() {}

    /**
     * Runs {@code work} when the current transaction completes (committed or rolled back), or now when
     * there is none: for evicting from memory what the transaction changes, so that a read made before
     * its commit is not remembered after it.
     */
    public static void run(Runnable work) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            work.run();
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                work.run();
            }
        });
    }
}
