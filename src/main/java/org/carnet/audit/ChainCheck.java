package org.carnet.audit;

import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Confirms one chain intact from its rows in whatever order the table hands them over, so that
 * verification can read the log in one sequential scan instead of one index walk per chain (which
 * visits every heap page once per entry on it). Each sealed entry's hash, position and checkpoint
 * are checked on arrival, its hash against its stored predecessor hash; its link to its
 * predecessor as soon as both have arrived. Entries that arrive ahead of their turn wait, as runs
 * of consecutive, already linked positions (first position, its predecessor hash, last position,
 * its hash), until the gap before them fills: the memory held grows with the disorder of the
 * table, not with the length of the chain.
 *
 * <p>It only confirms: anything out of the ordinary, a break or, when the caller runs short of
 * room for waiting entries, {@link #giveUp()}, makes the chain {@linkplain #needsWalk() need a walk} by {@link ChainVerifier}, which names
 * the break. So it must never accept what the walk would refuse; {@code ChainTamperingTest} holds it
 * to that. Not thread-safe.
 */
final class ChainCheck {

    /** Consecutive entries that arrived ahead of their turn, already linked to each other. */
    private static final class Run {
        final long first;
        final byte @Nullable [] firstPrevHash;
        long last;
        byte @Nullable [] lastHash;

        Run(long first, byte @Nullable [] firstPrevHash, long last, byte @Nullable [] lastHash) {
            this.first = first;
            this.firstPrevHash = firstPrevHash;
            this.last = last;
            this.lastHash = lastHash;
        }
    }

    private final UUID chain;
    private final NavigableMap<Long, byte[]> signed;
    private final ChainVerifier.@Nullable Head head;
    private final long unsealedBeforeMicros;
    /** The runs waiting for an earlier entry, by first position. */
    private final TreeMap<Long, Run> waiting = new TreeMap<>();

    private long expected;
    private byte @Nullable [] prev;
    private long checked;
    private long pending;
    private boolean needsWalk;

    ChainCheck(
            UUID chain,
            ChainVerifier.Start start,
            NavigableMap<Long, byte[]> signed,
            ChainVerifier.@Nullable Head head,
            Instant unsealedBefore) {
        this.chain = chain;
        this.signed = signed;
        this.head = head;
        // Rounded up, so that an entry (whole microseconds) is earlier exactly when its time is.
        this.unsealedBeforeMicros = StoredEntry.micros(unsealedBefore) + (unsealedBefore.getNano() % 1000 == 0 ? 0 : 1);
        this.expected = start.seq() + 1;
        this.prev = start.hash();
    }

    /** Takes the chain's next row in table order. */
    void accept(StoredEntry e, EntryHasher hasher) {
        Long seq = e.seq();
        if (seq == null) {
            acceptUnsealed(e.occurredAtMicros());
        } else {
            acceptSealed(seq, e.prevHash(), e.entryHash(), hasher.holds(e));
        }
    }

    /** Takes an entry not sealed yet, committed at this time (microseconds since the epoch). */
    void acceptUnsealed(long occurredAtMicros) {
        if (needsWalk) {
            return;
        }
        pending++;
        needsWalk = occurredAtMicros < unsealedBeforeMicros;
    }

    /**
     * Takes a sealed entry: its position, its stored hashes, and whether its stored hash is the one
     * its content has at that position after its stored predecessor hash.
     */
    void acceptSealed(long seq, byte @Nullable [] prevHash, byte @Nullable [] entryHash, boolean hashHolds) {
        if (needsWalk) {
            return;
        }
        byte[] checkpoint = signed.get(seq);
        if (!hashHolds
                || seq < expected
                || (head != null && seq > head.seq())
                || (checkpoint != null && !Arrays.equals(checkpoint, entryHash))) {
            needsWalk = true;
            return;
        }
        checked++;
        Run run;
        if (seq == expected) {
            run = new Run(seq, prevHash, seq, entryHash);
        } else {
            Map.Entry<Long, Run> before = waiting.floorEntry(seq);
            if (before != null && before.getValue().last >= seq) {
                needsWalk = true; // a second entry at a position already taken
                return;
            }
            if (before != null && before.getValue().last == seq - 1) {
                run = before.getValue();
                if (!Arrays.equals(prevHash, run.lastHash)) {
                    needsWalk = true;
                    return;
                }
                run.last = seq;
                run.lastHash = entryHash;
            } else {
                run = new Run(seq, prevHash, seq, entryHash);
                waiting.put(seq, run);
            }
        }
        Run after = waiting.remove(run.last + 1);
        if (after != null) {
            if (!Arrays.equals(after.firstPrevHash, run.lastHash)) {
                needsWalk = true;
                return;
            }
            run.last = after.last;
            run.lastHash = after.lastHash;
        }
        if (run.first == expected) {
            waiting.remove(run.first);
            if (!Arrays.equals(run.firstPrevHash, prev)) {
                needsWalk = true;
                return;
            }
            prev = run.lastHash;
            expected = run.last + 1;
        }
    }

    /** How many runs of entries wait for an earlier one. */
    int waiting() {
        return waiting.size();
    }

    /** Stops holding entries: the chain will be walked instead. */
    void giveUp() {
        needsWalk = true;
        waiting.clear();
    }

    /** Whether the chain must be walked in order to be judged: something is wrong, or could not be ruled out. */
    boolean needsWalk() {
        return needsWalk
                || !waiting.isEmpty()
                || ChainVerifier.checkEnd(chain, expected - 1, prev, signed, head) != null;
    }

    /** What the walk would find when it finds nothing wrong; only once every row was taken and no walk is needed. */
    ChainVerifier.Result intact() {
        if (needsWalk()) {
            throw new IllegalStateException("the chain needs a walk");
        }
        return new ChainVerifier.Result(checked, pending, null);
    }
}
