package org.carnet.crypto;

import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code keys rotate-master}: adds a new master key to its holder and re-wraps every data key under it, one
 * short transaction per batch. Data keys do not change, so nothing sealed changes and every node keeps
 * opening everything: a node unwraps each data key with the master key its row names, and reads the holder
 * again when it meets one it does not know. Stopped halfway (a crash, ^C), the next run finishes the same
 * rotation before it would start another.
 */
@Service
public class MasterKeyRotation {

    /** Where a rotation is: the new master key, how many data keys it wraps now, and how many are left. */
    public record Progress(String masterKey, long rewrapped, long left) {}

    /** What a finished rotation did: the current master key, and how many data keys each master key wraps. */
    public record Result(String masterKey, boolean resumed, long rewrapped, Map<String, Long> wrappedBy) {}

    private final ConfiguredKeyProvider keys;
    private final DataKeys dataKeys;
    private final TransactionTemplate transactions;
    private final RotationProperties settings;

    MasterKeyRotation(
            ConfiguredKeyProvider keys,
            DataKeys dataKeys,
            TransactionTemplate transactions,
            RotationProperties settings) {
        this.keys = keys;
        this.dataKeys = dataKeys;
        this.transactions = transactions;
        this.settings = settings;
    }

    /**
     * Rotates the master key, or finishes a rotation left unfinished (some data key still wrapped by another
     * master key than the newest), reporting after each batch.
     */
    public Result rotate(Consumer<Progress> progress) {
        String current = keys.currentMasterKeyId();
        boolean resumed = dataKeys.countWrappedByOthers(current) > 0;
        if (!resumed) {
            current = keys.rotateMasterKey();
        }
        long started = System.nanoTime();
        long rewrapped = 0;
        while (true) {
            long left = dataKeys.countWrappedByOthers(current);
            boolean settled = Duration.ofNanos(System.nanoTime() - started).compareTo(settings.settle()) >= 0;
            if (left == 0 && settled) {
                return new Result(current, resumed, rewrapped, dataKeys.countByMasterKey());
            }
            if (left == 0) {
                // Nodes that have not reread the holder yet may still wrap a new data key under the old one.
                pause();
                continue;
            }
            long passed = pass(current, rewrapped, left, progress);
            if (passed == 0) {
                throw new IllegalStateException(left + " data keys could not be re-wrapped, changed meanwhile");
            }
            rewrapped += passed;
        }
    }

    private long pass(String masterKey, long before, long left, Consumer<Progress> progress) {
        long done = 0;
        DataKeys.Position from = DataKeys.Position.START;
        while (from != null && left > 0) {
            DataKeys.Position start = from;
            DataKeys.Rewrapped batch =
                    transactions.execute(status -> dataKeys.rewrap(masterKey, start, settings.batchSize()));
            if (batch == null) {
                throw new IllegalStateException("A re-wrapping batch returned nothing");
            }
            done += batch.count();
            left = Math.max(0, left - batch.count());
            if (batch.count() > 0) {
                progress.accept(new Progress(masterKey, before + done, left));
            }
            from = batch.next();
        }
        return done;
    }

    private void pause() {
        try {
            Thread.sleep(Math.min(1_000, Math.max(1, settings.settle().toMillis())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while rotating the master key", e);
        }
    }
}
