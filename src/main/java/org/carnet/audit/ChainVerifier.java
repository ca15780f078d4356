package org.carnet.audit;

import java.time.Instant;
import java.util.Arrays;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Walks one chain, entries in position order then the unsealed ones, and names its first break.
 * Pure: the rows, the chain's start, its signed checkpoints and its recorded head come from the
 * caller. Not thread-safe.
 */
final class ChainVerifier {

    /** The chain's rows, one at a time; {@code null} once the chain is exhausted. */
    interface Rows {
        @Nullable
        StoredEntry peek();

        @Nullable
        StoredEntry next();
    }

    /** Whether some entry of the chain has this hash; asked only once something is wrong. */
    interface HashLookup {
        boolean exists(UUID chain, byte[] hash);
    }

    /** Where the walk starts: position 0 and the genesis hash, or a pruned chain's signed start. */
    record Start(long seq, byte[] hash) {
        static Start genesis() {
            return new Start(0, EntryHasher.genesis());
        }
    }

    /** The head the sealer recorded for the chain. */
    record Head(long seq, byte[] hash) {}

    record Result(long checked, long pending, @Nullable AuditBreak broken) {}

    private final EntryHasher hasher = new EntryHasher();
    private final Instant unsealedBefore;
    private final HashLookup lookup;

    ChainVerifier(Instant unsealedBefore, HashLookup lookup) {
        this.unsealedBefore = unsealedBefore;
        this.lookup = lookup;
    }

    Result verify(UUID chain, Rows rows, Start start, NavigableMap<Long, byte[]> signed, @Nullable Head head) {
        long expected = start.seq() + 1;
        byte @Nullable [] prev = start.hash();
        byte @Nullable [] prevPrev = null;
        StoredEntry previous = null;
        long checked = 0;
        long pending = 0;
        AuditBreak broken = null;
        StoredEntry e;
        while ((e = rows.next()) != null) {
            if (!e.sealed()) {
                pending++;
                if (broken == null && e.occurredAt().isBefore(unsealedBefore)) {
                    broken = new AuditBreak(
                            chain, e.id(), null, AuditBreak.Kind.UNSEALED, "committed but never sealed into the chain");
                }
                continue;
            }
            if (broken != null) {
                continue;
            }
            broken = check(chain, e, expected, prev, prevPrev, previous, rows.peek(), signed, head);
            if (broken == null) {
                prevPrev = prev;
                prev = e.entryHash();
                previous = e;
                expected++;
                checked++;
            }
        }
        if (broken == null) {
            broken = checkEnd(chain, expected - 1, prev, signed, head);
        }
        return new Result(checked, pending, broken);
    }

    private @Nullable AuditBreak check(
            UUID chain,
            StoredEntry e,
            long expected,
            byte @Nullable [] prev,
            byte @Nullable [] prevPrev,
            @Nullable StoredEntry previous,
            @Nullable StoredEntry next,
            NavigableMap<Long, byte[]> signed,
            @Nullable Head head) {
        long seq = Objects.requireNonNull(e.seq(), "only sealed entries are checked");
        if (seq < expected) {
            return at(e, AuditBreak.Kind.INSERTED, "takes a position the chain already has");
        }
        if (seq > expected) {
            return at(
                    e,
                    AuditBreak.Kind.DELETED,
                    (seq - expected == 1
                                    ? "the entry at position " + expected + " is"
                                    : "positions " + expected + " to " + (seq - 1) + " are")
                            + " missing before it");
        }
        if (head != null && seq > head.seq()) {
            return at(
                    e,
                    AuditBreak.Kind.INSERTED,
                    "lies beyond the head the sealer recorded (position " + head.seq() + ")");
        }
        boolean selfOk = hasher.holds(e);
        boolean linkOk = Arrays.equals(e.prevHash(), prev);
        if (selfOk && linkOk) {
            byte[] checkpoint = signed.get(seq);
            if (checkpoint != null && !Arrays.equals(checkpoint, e.entryHash())) {
                return at(
                        e,
                        AuditBreak.Kind.EDITED,
                        "differs from the signed checkpoint at its position: the chain was rewritten");
            }
            return null;
        }
        if (!linkOk && prevPrev != null && Arrays.equals(e.prevHash(), prevPrev)) {
            return at(
                    // prevPrev and previous are set together, after the first entry checked
                    Objects.requireNonNull(previous, "previous"),
                    AuditBreak.Kind.INSERTED,
                    "is not part of the chain: the entry after it was sealed after the one before it");
        }
        if (!linkOk && e.prevHash() != null && lookup.exists(chain, e.prevHash())) {
            return at(e, AuditBreak.Kind.REORDERED, "was sealed after another entry than the one now before it");
        }
        if (next != null && next.sealed() && Arrays.equals(next.prevHash(), prev)) {
            return at(
                    e,
                    AuditBreak.Kind.INSERTED,
                    "is not part of the chain: the entry after it was sealed after the one before it");
        }
        if (!linkOk
                && !selfOk
                && e.prevHash() != null
                && e.entryHash() != null
                && Arrays.equals(hasher.hash(e, seq + 1, e.prevHash()), e.entryHash())) {
            return at(e, AuditBreak.Kind.DELETED, "the entry before it was deleted and the later ones renumbered");
        }
        if (!linkOk && selfOk && previous != null) {
            return at(
                    previous,
                    AuditBreak.Kind.EDITED,
                    "was changed and re-hashed: the entry after it was sealed after another hash");
        }
        if (!linkOk && selfOk) {
            return at(
                    e,
                    AuditBreak.Kind.DELETED,
                    "does not follow the start of its chain: the entries before it are missing");
        }
        if (previous != null && e.occurredAtMicros() < previous.occurredAtMicros()) {
            return at(
                    e,
                    AuditBreak.Kind.EDITED,
                    "its time lies before the entry sealed before it (back-dated): its content no longer matches its"
                            + " hash");
        }
        return at(e, AuditBreak.Kind.EDITED, "its content no longer matches its hash");
    }

    static @Nullable AuditBreak checkEnd(
            UUID chain, long last, byte @Nullable [] lastHash, NavigableMap<Long, byte[]> signed, @Nullable Head head) {
        Long beyond = signed.higherKey(last);
        if (beyond != null) {
            return new AuditBreak(
                    chain,
                    null,
                    last + 1,
                    AuditBreak.Kind.TRUNCATED,
                    "the chain ends at position " + last + " but a signed checkpoint covers position " + beyond);
        }
        if (head != null && head.seq() > last) {
            return new AuditBreak(
                    chain,
                    null,
                    last + 1,
                    AuditBreak.Kind.TRUNCATED,
                    "the chain ends at position " + last + " but the sealer recorded its head at " + head.seq());
        }
        if (head != null && head.seq() == last && last > 0 && !Arrays.equals(head.hash(), lastHash)) {
            return new AuditBreak(
                    chain,
                    null,
                    last,
                    AuditBreak.Kind.EDITED,
                    "the last entry differs from the head the sealer recorded");
        }
        return null;
    }

    private static AuditBreak at(StoredEntry e, AuditBreak.Kind kind, String detail) {
        return new AuditBreak(e.chainKey(), e.id(), e.seq(), kind, detail);
    }
}
