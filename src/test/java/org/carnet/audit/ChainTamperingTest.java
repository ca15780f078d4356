package org.carnet.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Random logs, sealed as the sealer seals them, then tampered with at random: every tampering is caught. */
class ChainTamperingTest {

    static final UUID CHAIN = UUID.fromString("0b6c3f51-2c1e-4c8e-9d1e-5a0e7d5f3a11");
    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");

    enum Tampering {
        EDIT_FIELD,
        EDIT_HASH,
        EDIT_AND_REHASH,
        REWRITE_TAIL,
        FORK,
        DELETE,
        DELETE_AND_RENUMBER,
        SWAP,
        INSERT_FORGED,
        INSERT_FORGED_REHASHED,
        APPEND_FORGED,
        TRUNCATE_AFTER_CHECKPOINT
    }

    record Case(int length, Tampering tampering, long seed) {}

    @Provide
    Arbitrary<Case> cases() {
        return Combinators.combine(
                        Arbitraries.integers().between(3, 60), Arbitraries.of(Tampering.class), Arbitraries.longs())
                .as(Case::new);
    }

    /** A tampered log as the verifier finds it: its rows, the signed checkpoints and the sealer's head. */
    record Tampered(List<StoredEntry> rows, NavigableMap<Long, byte[]> signed, ChainVerifier.Head head) {}

    static Tampered tampered(Case c, Random random) {
        List<StoredEntry> log = sealedLog(c.length(), random);
        NavigableMap<Long, byte[]> signed = new TreeMap<>();
        ChainVerifier.Head head =
                new ChainVerifier.Head(c.length(), log.get(c.length() - 1).entryHash());
        assertThat(verify(log, signed, head).broken()).isNull();

        List<StoredEntry> tampered = tamper(c.tampering(), log, random, signed);
        if (c.tampering() == Tampering.TRUNCATE_AFTER_CHECKPOINT || c.tampering() == Tampering.REWRITE_TAIL) {
            // The attacker also moves the sealer's head: only the signed checkpoint is left to tell.
            StoredEntry last = tampered.stream()
                    .max((a, b) -> Long.compare(a.seq(), b.seq()))
                    .orElseThrow();
            head = new ChainVerifier.Head(last.seq(), last.entryHash());
        }
        return new Tampered(tampered, signed, head);
    }

    @Property(tries = 500)
    void everyTamperingIsDetected(@ForAll("cases") Case c) {
        Tampered t = tampered(c, new Random(c.seed()));

        ChainVerifier.Result result = verify(t.rows(), t.signed(), t.head());

        assertThat(result.broken()).as(c.tampering().name()).isNotNull();
        assertThat(result.broken().kind()).as(c.tampering().name()).isIn(expected(c.tampering()));
    }

    @Property(tries = 500)
    void theTableOrderCheckNeverConfirmsATamperedChain(@ForAll("cases") Case c) {
        Random random = new Random(c.seed());
        Tampered t = tampered(c, random);

        ChainCheck check = check(inTableOrder(t.rows(), random), t.signed(), t.head());

        assertThat(check.needsWalk()).as(c.tampering().name()).isTrue();
    }

    @Property(tries = 200)
    void theTableOrderCheckConfirmsAnUntouchedLogInWhateverOrderItComes(
            @ForAll @IntRange(min = 1, max = 80) int length, @ForAll long seed) {
        Random random = new Random(seed);
        List<StoredEntry> log = new ArrayList<>(sealedLog(length, random));
        NavigableMap<Long, byte[]> signed = new TreeMap<>();
        int checkpoint = 1 + random.nextInt(length);
        signed.put((long) checkpoint, log.get(checkpoint - 1).entryHash());
        log.add(unsealed(1000, NOW.minusSeconds(10), random));
        ChainVerifier.Head head =
                new ChainVerifier.Head(length, log.get(length - 1).entryHash());

        ChainCheck check = check(inTableOrder(log, random), signed, head);

        assertThat(check.needsWalk()).isFalse();
        assertThat(check.intact().checked()).isEqualTo(length);
        assertThat(check.intact().pending()).isEqualTo(1);
        assertThat(check.intact()).isEqualTo(verify(log, signed, head));
    }

    @Property(tries = 50)
    void theTableOrderCheckLeavesAStaleUnsealedEntryToTheWalk(
            @ForAll @IntRange(min = 1, max = 20) int length, @ForAll long seed) {
        Random random = new Random(seed);
        List<StoredEntry> log = new ArrayList<>(sealedLog(length, random));
        log.add(unsealed(1001, NOW.minusSeconds(3600), random));
        ChainVerifier.Head head =
                new ChainVerifier.Head(length, log.get(length - 1).entryHash());

        assertThat(check(inTableOrder(log, random), new TreeMap<>(), head).needsWalk())
                .isTrue();
    }

    /** The rows in an order a table might hold them: as sealed, a few moved, or any order at all. */
    private static List<StoredEntry> inTableOrder(List<StoredEntry> rows, Random random) {
        List<StoredEntry> order = new ArrayList<>(rows);
        switch (random.nextInt(3)) {
            case 0 -> {}
            case 1 -> {
                for (int moves = random.nextInt(4); moves > 0; moves--) {
                    order.add(random.nextInt(order.size()), order.remove(random.nextInt(order.size())));
                }
            }
            default -> Collections.shuffle(order, random);
        }
        return order;
    }

    private static ChainCheck check(
            List<StoredEntry> rows, NavigableMap<Long, byte[]> signed, ChainVerifier.Head head) {
        ChainCheck check = new ChainCheck(CHAIN, ChainVerifier.Start.genesis(), signed, head, NOW.minusSeconds(300));
        EntryHasher hasher = new EntryHasher();
        rows.forEach(row -> check.accept(row, hasher));
        return check;
    }

    @Property(tries = 100)
    void anUntouchedLogIsIntactAndEveryEntryCounted(
            @ForAll @IntRange(min = 1, max = 80) int length, @ForAll long seed) {
        List<StoredEntry> log = sealedLog(length, new Random(seed));
        NavigableMap<Long, byte[]> signed = new TreeMap<>();
        signed.put((long) length, log.get(length - 1).entryHash());

        ChainVerifier.Result result = verify(
                log, signed, new ChainVerifier.Head(length, log.get(length - 1).entryHash()));

        assertThat(result.broken()).isNull();
        assertThat(result.checked()).isEqualTo(length);
    }

    @Property(tries = 50)
    void anEntryLeftUnsealedPastTheBoundIsReported(@ForAll @IntRange(min = 1, max = 20) int length, @ForAll long seed) {
        List<StoredEntry> log = new ArrayList<>(sealedLog(length, new Random(seed)));
        StoredEntry recent = unsealed(1000, NOW.minusSeconds(10), new Random(seed));
        StoredEntry stale = unsealed(1001, NOW.minusSeconds(3600), new Random(seed));
        log.add(recent);
        ChainVerifier.Head head =
                new ChainVerifier.Head(length, log.get(length - 1).entryHash());
        assertThat(verify(log, new TreeMap<>(), head).broken()).isNull();
        assertThat(verify(log, new TreeMap<>(), head).pending()).isEqualTo(1);

        log.add(stale);
        AuditBreak broken = verify(log, new TreeMap<>(), head).broken();
        assertThat(broken.kind()).isEqualTo(AuditBreak.Kind.UNSEALED);
        assertThat(broken.entryId()).isEqualTo(1001);
    }

    private static List<AuditBreak.Kind> expected(Tampering tampering) {
        return switch (tampering) {
            case EDIT_FIELD, EDIT_HASH, EDIT_AND_REHASH, REWRITE_TAIL -> List.of(AuditBreak.Kind.EDITED);
            case FORK -> List.of(AuditBreak.Kind.INSERTED);
            case DELETE -> List.of(AuditBreak.Kind.DELETED, AuditBreak.Kind.TRUNCATED); // the last one: a cut tail
            case DELETE_AND_RENUMBER -> List.of(AuditBreak.Kind.DELETED);
            case SWAP -> List.of(AuditBreak.Kind.REORDERED);
            case INSERT_FORGED, INSERT_FORGED_REHASHED, APPEND_FORGED -> List.of(AuditBreak.Kind.INSERTED);
            case TRUNCATE_AFTER_CHECKPOINT -> List.of(AuditBreak.Kind.TRUNCATED);
        };
    }

    private static List<StoredEntry> tamper(
            Tampering tampering, List<StoredEntry> log, Random random, NavigableMap<Long, byte[]> signed) {
        List<StoredEntry> t = new ArrayList<>(log);
        int n = t.size();
        int i = random.nextInt(n);
        switch (tampering) {
            case EDIT_FIELD -> t.set(i, edited(t.get(i), random));
            case EDIT_HASH -> {
                byte[] hash = t.get(i).entryHash().clone();
                hash[1 + random.nextInt(32)] ^= 1;
                t.set(i, withHashes(t.get(i), t.get(i).seq(), t.get(i).prevHash(), hash));
            }
            case EDIT_AND_REHASH -> {
                // The attacker edits an entry and gives it the hash it now has: the next entry's link tells.
                StoredEntry e = edited(t.get(i), random);
                t.set(i, withHashes(e, e.seq(), e.prevHash(), new EntryHasher().hash(e, e.seq(), e.prevHash())));
            }
            case REWRITE_TAIL -> {
                // The attacker edits an entry and re-hashes every later one (and moves the sealer's head,
                // see below): only a signed checkpoint at or after the edit is left to tell.
                int checkpoint = i + 1 + random.nextInt(n - i); // i+1..n
                signed.put((long) checkpoint, log.get(checkpoint - 1).entryHash());
                EntryHasher hasher = new EntryHasher();
                byte[] prev = t.get(i).prevHash();
                for (int k = i; k < n; k++) {
                    StoredEntry e = k == i ? edited(t.get(k), random) : t.get(k);
                    byte[] hash = hasher.hash(e, e.seq(), prev);
                    t.set(k, withHashes(e, e.seq(), prev, hash));
                    prev = hash;
                }
            }
            case FORK -> {
                // A second entry at a taken position, hashed after the same predecessor.
                StoredEntry forged = entry(9999, random);
                StoredEntry at = t.get(i);
                t.add(
                        random.nextInt(n + 1),
                        withHashes(
                                forged,
                                at.seq(),
                                at.prevHash(),
                                new EntryHasher().hash(forged, at.seq(), at.prevHash())));
            }
            case DELETE -> t.remove(i);
            case DELETE_AND_RENUMBER -> {
                i = random.nextInt(n - 1);
                t.remove(i);
                for (int k = i; k < t.size(); k++) {
                    StoredEntry e = t.get(k);
                    t.set(k, withHashes(e, e.seq() - 1, e.prevHash(), e.entryHash()));
                }
            }
            case SWAP -> {
                int j = (i + 1 + random.nextInt(n - 1)) % n;
                StoredEntry a = t.get(i);
                StoredEntry b = t.get(j);
                t.set(i, withHashes(b, a.seq(), b.prevHash(), b.entryHash()));
                t.set(j, withHashes(a, b.seq(), a.prevHash(), a.entryHash()));
            }
            case INSERT_FORGED, INSERT_FORGED_REHASHED -> {
                // Make room at position i + 1 by shifting the later entries, then slip a forged one in.
                for (int k = i; k < n; k++) {
                    StoredEntry e = t.get(k);
                    t.set(k, withHashes(e, e.seq() + 1, e.prevHash(), e.entryHash()));
                }
                long seq = i + 1;
                byte[] prev = i == 0 ? EntryHasher.genesis() : log.get(i - 1).entryHash();
                StoredEntry forged = entry(9999, random);
                byte[] hash = tampering == Tampering.INSERT_FORGED_REHASHED
                        ? new EntryHasher().hash(forged, seq, prev)
                        : randomHash(random);
                t.add(i, withHashes(forged, seq, prev, hash));
            }
            case APPEND_FORGED -> {
                StoredEntry forged = entry(9999, random);
                byte[] prev = t.get(n - 1).entryHash();
                t.add(withHashes(forged, n + 1, prev, new EntryHasher().hash(forged, n + 1, prev)));
            }
            case TRUNCATE_AFTER_CHECKPOINT -> {
                int checkpoint = 2 + random.nextInt(n - 1); // 2..n
                signed.put((long) checkpoint, log.get(checkpoint - 1).entryHash());
                int keep = 1 + random.nextInt(checkpoint - 1); // 1..checkpoint-1
                t.subList(keep, n).clear();
            }
        }
        return t;
    }

    private static ChainVerifier.Result verify(
            List<StoredEntry> rows, NavigableMap<Long, byte[]> signed, ChainVerifier.Head head) {
        ChainVerifier verifier = new ChainVerifier(
                NOW.minusSeconds(300),
                (chain, hash) -> rows.stream().anyMatch(e -> Arrays.equals(e.entryHash(), hash)));
        List<StoredEntry> ordered = new ArrayList<>(rows.stream()
                .filter(StoredEntry::sealed)
                .sorted((a, b) -> Long.compare(a.seq(), b.seq()))
                .toList());
        ordered.addAll(rows.stream().filter(e -> !e.sealed()).toList());
        return verifier.verify(CHAIN, new ListRows(ordered), ChainVerifier.Start.genesis(), signed, head);
    }

    /** A log of random entries, hashed and linked exactly as the sealer does. */
    static List<StoredEntry> sealedLog(int length, Random random) {
        EntryHasher hasher = new EntryHasher();
        List<StoredEntry> log = new ArrayList<>();
        byte[] prev = EntryHasher.genesis();
        for (int i = 1; i <= length; i++) {
            StoredEntry e = entry(i, random);
            byte[] hash = hasher.hash(e, i, prev);
            log.add(withHashes(e, i, prev, hash));
            prev = hash;
        }
        return log;
    }

    static StoredEntry entry(long id, Random random) {
        String[] actions = {"CREATE", "READ", "UPDATE", "DELETE", "EXECUTE"};
        String[] purposes = {"booking", "self-service", "agenda", "care"};
        return new StoredEntry(
                id,
                CHAIN,
                null,
                null,
                null,
                StoredEntry.micros(NOW.minusSeconds(random.nextInt(100_000))),
                CHAIN,
                "USER",
                new UUID(random.nextLong(), random.nextLong()),
                random.nextBoolean() ? "PATIENT" : "PRACTITIONER",
                random.nextBoolean() ? null : new UUID(random.nextLong(), random.nextLong()),
                new UUID(random.nextLong(), random.nextLong()),
                actions[random.nextInt(actions.length)],
                random.nextBoolean() ? "appointment" : "patient-file",
                random.nextBoolean() ? "first_name,last_name" : "",
                purposes[random.nextInt(purposes.length)],
                random.nextInt(10) == 0 ? "DENIED" : "ALLOWED",
                random.nextBoolean() ? null : "192.0.2." + random.nextInt(255));
    }

    static StoredEntry unsealed(long id, Instant at, Random random) {
        return with(entry(id, random), "occurredAtMicros", StoredEntry.micros(at));
    }

    private static StoredEntry edited(StoredEntry e, Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> with(e, "occurredAtMicros", e.occurredAtMicros() + 1 + random.nextInt(1000));
            case 1 -> with(e, "actorId", new UUID(random.nextLong(), random.nextLong()));
            case 2 -> with(e, "patientId", null);
            case 3 -> with(e, "fields", e.fields() + ",nir");
            case 4 -> with(e, "outcome", e.outcome().equals("ALLOWED") ? "DENIED" : "ALLOWED");
            default -> with(e, "purpose", e.purpose() + "-x");
        };
    }

    static StoredEntry withHashes(StoredEntry e, long seq, byte[] prev, byte[] hash) {
        return with(e, "seq", seq, "prevHash", prev, "entryHash", hash);
    }

    /** A copy of the entry with the named components changed: name, value, name, value... */
    private static StoredEntry with(StoredEntry e, Object... changes) {
        RecordComponent[] components = StoredEntry.class.getRecordComponents();
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        try {
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                values[i] = components[i].getAccessor().invoke(e);
                for (int c = 0; c < changes.length; c += 2) {
                    if (components[i].getName().equals(changes[c])) {
                        values[i] = changes[c + 1];
                    }
                }
            }
            return StoredEntry.class.getDeclaredConstructor(types).newInstance(values);
        } catch (ReflectiveOperationException failure) {
            throw new IllegalStateException(failure);
        }
    }

    private static byte[] randomHash(Random random) {
        byte[] hash = new byte[EntryHasher.HASH_BYTES];
        random.nextBytes(hash);
        hash[0] = EntryHasher.FORMAT_V1;
        return hash;
    }

    static final class ListRows implements ChainVerifier.Rows {
        private final List<StoredEntry> rows;
        private int next;

        ListRows(List<StoredEntry> rows) {
            this.rows = rows;
        }

        @Override
        public StoredEntry peek() {
            return next < rows.size() ? rows.get(next) : null;
        }

        @Override
        public StoredEntry next() {
            return next < rows.size() ? rows.get(next++) : null;
        }
    }
}
