package org.carnet.audit;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The {@link ChainCheck}s of the chains one thread reads together, and the room their waiting
 * entries may take between them: past it, the chain holding most gives up and will be walked in
 * position order instead. Not thread-safe.
 */
final class ChainChecks {

    private final Map<UUID, ChainCheck> checks = new LinkedHashMap<>();
    private final int room;
    private int waiting;

    /** @param room runs of waiting entries the checks may hold together (about 150 bytes each) */
    ChainChecks(int room) {
        this.room = room;
    }

    void add(UUID chain, ChainCheck check) {
        checks.put(chain, check);
    }

    Map<UUID, ChainCheck> byChain() {
        return checks;
    }

    boolean isEmpty() {
        return checks.isEmpty();
    }

    void accept(StoredEntry e, EntryHasher hasher) {
        ChainCheck check = of(e.chainKey());
        int before = check.waiting();
        check.accept(e, hasher);
        afterward(check, before);
    }

    void acceptUnsealed(UUID chain, long occurredAtMicros) {
        of(chain).acceptUnsealed(occurredAtMicros);
    }

    void acceptSealed(
            UUID chain, long seq, byte @Nullable [] prevHash, byte @Nullable [] entryHash, boolean hashHolds) {
        ChainCheck check = of(chain);
        int before = check.waiting();
        check.acceptSealed(seq, prevHash, entryHash, hashHolds);
        afterward(check, before);
    }

    private ChainCheck of(UUID chain) {
        ChainCheck check = checks.get(chain);
        if (check == null) {
            throw new IllegalStateException("a row of a chain this read did not ask for");
        }
        return check;
    }

    private void afterward(ChainCheck check, int waitingBefore) {
        waiting += check.waiting() - waitingBefore;
        if (waiting > room) {
            ChainCheck fullest = checks.values().stream()
                    .max(Comparator.comparingInt(ChainCheck::waiting))
                    .orElseThrow();
            waiting -= fullest.waiting();
            fullest.giveUp();
        }
    }
}
