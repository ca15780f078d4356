package org.carnet.exports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.carnet.directory.Directory;
import org.carnet.directory.Establishment;
import org.carnet.exports.internal.Canaries;
import org.carnet.exports.internal.ExportStore;
import org.carnet.exports.internal.LeakFiles;
import org.carnet.exports.internal.Marks;
import org.springframework.stereotype.Service;

/**
 * Which export a suspected leak came from. Reads the values of every record (whatever the format,
 * columns, order or case), keeps those that have a spelling an export's marks choose, and for each
 * approved export counts how many are spelt as that export spells them. Without the export's secret
 * each mark matches by chance with probability 1/k (k its number of spellings), independently; the
 * false-attribution probability is a Chernoff bound on matching at least as many by chance, times the
 * number of exports tried. See docs/exports.md.
 */
@Service
public class LeakTracer {

    /** Attribute only below this false-attribution probability: one in a billion. */
    public static final double THRESHOLD = 1e-9;

    /** How many French mobile numbers there are: the chance of a given canary's number in an unrelated row. */
    private static final double MOBILE_NUMBERS = 2e8;

    private final ExportStore store;
    private final Directory directory;
    private final ExportsProperties properties;
    private final org.carnet.access.AccessDecision access;
    private final org.springframework.context.ApplicationEventPublisher events;
    private final java.time.Clock clock;

    LeakTracer(
            ExportStore store,
            Directory directory,
            ExportsProperties properties,
            org.carnet.access.AccessDecision access,
            org.springframework.context.ApplicationEventPublisher events,
            java.time.Clock clock) {
        this.access = access;
        this.events = events;
        this.clock = clock;
        this.store = store;
        this.directory = directory;
        this.properties = properties;
    }

    private record Key(Marks.Kind kind, String anchor) {}

    /** Traces the files (read together as one leak). */
    public Attribution trace(List<Path> files) {
        List<String> texts = new ArrayList<>();
        for (Path file : files) {
            try {
                texts.add(java.nio.file.Files.readString(file, java.nio.charset.StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return traceTexts(texts);
    }

    /**
     * A security officer traces an uploaded file (kept in memory only); recorded in the access log as
     * an execution on exports.
     */
    @org.springframework.transaction.annotation.Transactional
    public Attribution trace(org.carnet.shared.Actor.Person officer, String content) {
        if (officer.role() != org.carnet.shared.Role.SECURITY_OFFICER) {
            throw new org.springframework.security.access.AccessDeniedException("Requires SECURITY_OFFICER");
        }
        access.require(new org.carnet.access.AccessRequest(
                officer,
                null,
                null,
                org.carnet.shared.Action.EXECUTE,
                org.carnet.shared.Resource.EXPORT,
                Exports.FIELDS,
                org.carnet.shared.Purpose.EXPORT));
        return traceTexts(List.of(content));
    }

    private Attribution traceTexts(List<String> texts) {
        Map<Key, Integer> seen = new HashMap<>();
        List<Key[]> rows = new ArrayList<>();
        Set<String> phones = new HashSet<>();
        long[] count = {0};
        for (String text : texts) {
            {
                LeakFiles.read(text, record -> {
                    count[0]++;
                    List<Key> keys = new ArrayList<>(4);
                    for (String value : record) {
                        Marks.Mark mark = Marks.read(value);
                        if (mark == null) {
                            continue;
                        }
                        Key key = new Key(mark.kind(), mark.anchor());
                        // A value met again (a duplicate row, a patient in two files) is one mark: the first spelling.
                        seen.putIfAbsent(key, mark.spelling());
                        keys.add(key);
                        if (mark.kind() == Marks.Kind.PHONE) {
                            phones.add(mark.anchor());
                        }
                    }
                    if (!keys.isEmpty()) {
                        rows.add(keys.toArray(Key[]::new));
                    }
                });
            }
        }
        List<ExportStore.Row> exports = store.approved();
        Attribution.Candidate best = null;
        for (ExportStore.Row export : exports) {
            Attribution.Candidate candidate = score(export, seen, rows, phones, exports.size());
            if (best == null
                    || candidate.falseAttribution() < best.falseAttribution()
                    || (candidate.falseAttribution() == best.falseAttribution()
                            && candidate.marksMatched() > best.marksMatched())) {
                best = candidate;
            }
        }
        boolean attributed = best != null && best.falseAttribution() < THRESHOLD;
        if (attributed && best != null) {
            // A leak is a breach of the export's content: breach detection opens an incident about the export.
            events.publishEvent(new ExportLeakAttributed(
                    best.exportId(),
                    best.establishmentId(),
                    best.recipient(),
                    best.recipientKeyFingerprint(),
                    best.approvedBy(),
                    best.downloadedAt(),
                    best.marksMatched(),
                    best.rowsMatched(),
                    best.canariesFound(),
                    best.falseAttribution(),
                    clock.instant()));
        }
        return new Attribution(count[0], seen.size(), best, attributed);
    }

    private Attribution.Candidate score(
            ExportStore.Row export, Map<Key, Integer> seen, List<Key[]> rows, Set<String> phones, int tried) {
        Marks marks = new Marks(export.secret());
        Map<Key, Boolean> matches = new HashMap<>(seen.size() * 2);
        long[] byKind = new long[Marks.Kind.values().length];
        long matched = 0;
        for (Map.Entry<Key, Integer> mark : seen.entrySet()) {
            Key key = mark.getKey();
            boolean match = marks.expected(key.kind(), key.anchor()) == mark.getValue();
            matches.put(key, match);
            byKind[key.kind().ordinal()]++;
            if (match) {
                matched++;
            }
        }
        long rowsMatched = 0;
        for (Key[] row : rows) {
            boolean all = true;
            for (Key key : row) {
                all &= Boolean.TRUE.equals(matches.get(key));
            }
            if (all) {
                rowsMatched++;
            }
        }
        int canaries = 0;
        for (Canaries.Canary canary : Canaries.of(marks, properties.canaries())) {
            if (phones.contains(canary.phoneDigits())) {
                canaries++;
            }
        }
        double logP = logChernoff(byKind, matched);
        if (canaries > 0) {
            // Each canary's number is in an unrelated file with probability at most (its numbers) / (all mobiles).
            double perCanary = Math.min(1.0, phones.size() * (double) properties.canaries() / MOBILE_NUMBERS);
            logP += canaries * Math.log(perCanary);
        }
        double p = Math.min(1.0, Math.exp(logP + Math.log(Math.max(1, tried))));
        String establishment = directory
                .establishment(export.establishmentId())
                .map(Establishment::name)
                .orElse("(no longer in the directory)");
        return new Attribution.Candidate(
                export.id(),
                export.establishmentId(),
                establishment,
                export.recipient(),
                export.recipientFingerprint(),
                export.requestedAt(),
                export.approvedBy(),
                export.approvedAt(),
                export.downloadedAt(),
                matched,
                rowsMatched,
                canaries,
                p,
                tried);
    }

    /**
     * The natural log of the Chernoff bound on P(S ≥ m), S a sum of independent Bernoulli variables,
     * {@code byKind[k]} of them with probability 1/choices(k): min over t ≥ 0 of
     * −t·m + Σ n_k·log(1 − p_k + p_k·e^t); 0 when m is not above the mean.
     */
    static double logChernoff(long[] byKind, long m) {
        double mean = 0;
        for (Marks.Kind kind : Marks.Kind.values()) {
            mean += byKind[kind.ordinal()] / (double) kind.choices();
        }
        if (m <= mean) {
            return 0;
        }
        // The exponent is convex in t: a ternary search finds its minimum.
        double lo = 0;
        double hi = 50;
        for (int i = 0; i < 200; i++) {
            double a = lo + (hi - lo) / 3;
            double b = hi - (hi - lo) / 3;
            if (exponent(byKind, m, a) < exponent(byKind, m, b)) {
                hi = b;
            } else {
                lo = a;
            }
        }
        return Math.min(0, exponent(byKind, m, (lo + hi) / 2));
    }

    private static double exponent(long[] byKind, long m, double t) {
        double sum = -t * m;
        for (Marks.Kind kind : Marks.Kind.values()) {
            double p = 1.0 / kind.choices();
            sum += byKind[kind.ordinal()] * Math.log(1 - p + p * Math.exp(t));
        }
        return sum;
    }
}
