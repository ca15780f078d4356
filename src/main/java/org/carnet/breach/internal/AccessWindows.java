package org.carnet.breach.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.ToIntFunction;
import org.carnet.audit.AccessEvent;
import org.carnet.audit.AuditEntry;
import org.carnet.audit.RecordedActor;
import org.carnet.breach.BreachProperties;
import org.carnet.breach.Rule;
import org.carnet.shared.Action;
import org.carnet.shared.DataCategory;
import org.carnet.shared.Field;
import org.carnet.shared.Purpose;
import org.jspecify.annotations.Nullable;

/**
 * The data-access rules, over sliding windows kept in memory by the one detector that follows the log.
 * Fed entries in log order; time is the entries' own ({@code occurred_at}), so a replay gives the same
 * hits. Not thread-safe.
 *
 * <p>A read counts towards the distinct-patient, night and sequence rules when it was allowed, is a
 * {@code READ} of a patient's identity, contact or medical fields (an agenda program's times and
 * pseudonyms do not count), and is not an approved export.
 */
public final class AccessWindows {

    private final BreachProperties properties;
    private final ToIntFunction<String> baseline;
    private final Map<String, ActorWindow> actors = new HashMap<>();
    private final Map<UUID, ArrayDeque<Instant>> breakGlass = new HashMap<>();
    private final Map<String, Integer> peaks = new HashMap<>();
    private @Nullable LocalDate peakDay;

    /** @param baseline an actor's (or an establishment's break-the-glass) baseline by key, 0 when none */
    public AccessWindows(BreachProperties properties, ToIntFunction<String> baseline) {
        this.properties = properties;
        this.baseline = baseline;
    }

    /** The rules this entry makes fire (possibly none). */
    public List<RuleHit> accept(AuditEntry entry) {
        List<RuleHit> hits = new ArrayList<>();
        String key = actorKey(entry.actor());
        if (key == null) {
            return hits;
        }
        rollDay(entry.occurredAt());
        ActorWindow window = actors.computeIfAbsent(key, k -> new ActorWindow());
        if (entry.establishmentId() != null) {
            window.establishments.add(entry.establishmentId());
        }
        if (entry.outcome() == AccessEvent.Outcome.DENIED) {
            int denied = window.denied(entry.occurredAt(), properties.deniedWindow());
            if (denied >= properties.deniedThreshold()) {
                hits.add(hit(
                        Rule.DENIED_ACCESSES,
                        key,
                        entry,
                        window,
                        denied + " accesses refused within " + properties.deniedWindow()));
            }
            return hits;
        }
        if (Purpose.BREAK_THE_GLASS.code().equals(entry.purpose()) && entry.establishmentId() != null) {
            breakGlass(entry, hits);
        }
        UUID patient = entry.patientId();
        if (patient == null || !counts(entry)) {
            return hits;
        }
        boolean fresh = window.read(patient, entry.occurredAt(), properties.distinctWindow());
        int distinct = window.distinct();
        peaks.merge(key, distinct, Math::max);
        int threshold = Math.max(floor(entry.actor()), properties.baselineFactor() * baseline.applyAsInt(key));
        if (distinct > threshold) {
            hits.add(hit(
                    Rule.DISTINCT_PATIENTS,
                    key,
                    entry,
                    window,
                    distinct + " distinct patients within " + properties.distinctWindow() + " (threshold " + threshold
                            + ")"));
        }
        if (fresh && window.walk(patient) >= properties.sequenceRun()) {
            hits.add(hit(Rule.SEQUENTIAL_IDS, key, entry, window, window.run() + " patients read in id order"));
        }
        if (atNight(entry.occurredAt())) {
            int night = window.night(patient, entry.occurredAt(), properties.distinctWindow());
            if (night > properties.nightFloor()) {
                hits.add(hit(Rule.NIGHT_BULK_READ, key, entry, window, night + " distinct patients read at night"));
            }
        }
        return hits;
    }

    /** The highest distinct-patient count of each actor (and break-the-glass count of each establishment) today. */
    public Map<String, Integer> peaks() {
        return Map.copyOf(peaks);
    }

    /** The day the peaks are for, in the rules' zone. */
    public @Nullable LocalDate peakDay() {
        return peakDay;
    }

    /** Forgets actors with nothing left in their windows. */
    public void prune(Instant now) {
        Duration longest = properties.distinctWindow().compareTo(properties.deniedWindow()) > 0
                ? properties.distinctWindow()
                : properties.deniedWindow();
        actors.values().removeIf(window -> window.idleSince(now.minus(longest)));
        breakGlass
                .values()
                .removeIf(times ->
                        times.isEmpty() || times.peekLast().isBefore(now.minus(properties.breakGlassWindow())));
    }

    private void breakGlass(AuditEntry entry, List<RuleHit> hits) {
        UUID establishment = entry.establishmentId();
        ArrayDeque<Instant> times = breakGlass.computeIfAbsent(establishment, e -> new ArrayDeque<>());
        times.addLast(entry.occurredAt());
        Instant from = entry.occurredAt().minus(properties.breakGlassWindow());
        while (!times.isEmpty() && times.peekFirst().isBefore(from)) {
            times.removeFirst();
        }
        String key = "establishment:" + establishment;
        peaks.merge(key, times.size(), Math::max);
        int threshold = Math.max(properties.breakGlassFloor(), properties.baselineFactor() * baseline.applyAsInt(key));
        if (times.size() > threshold) {
            hits.add(new RuleHit(
                    Rule.BREAK_THE_GLASS_RATE,
                    key,
                    null,
                    null,
                    Set.of(establishment),
                    entry.occurredAt(),
                    times.size() + " break-the-glass openings within " + properties.breakGlassWindow() + " (threshold "
                            + threshold + ")"));
        }
    }

    private void rollDay(Instant at) {
        LocalDate day = at.atZone(properties.zone()).toLocalDate();
        if (!day.equals(peakDay)) {
            peakDay = day;
            peaks.clear();
        }
    }

    private int floor(RecordedActor actor) {
        return actor.type() == RecordedActor.Type.CLIENT ? properties.clientFloor() : properties.personFloor();
    }

    private boolean atNight(Instant at) {
        LocalTime time = at.atZone(properties.zone()).toLocalTime();
        LocalTime start = properties.nightStart();
        LocalTime end = properties.nightEnd();
        return start.isAfter(end)
                ? !time.isBefore(start) || time.isBefore(end)
                : !time.isBefore(start) && time.isBefore(end);
    }

    private static RuleHit hit(Rule rule, String key, AuditEntry entry, ActorWindow window, String detail) {
        boolean client = entry.actor().type() == RecordedActor.Type.CLIENT;
        return new RuleHit(
                rule,
                key,
                client ? entry.actor().id() : null,
                client ? null : entry.actor().id(),
                window.establishments,
                entry.occurredAt(),
                detail);
    }

    static @Nullable String actorKey(RecordedActor actor) {
        if (actor.id() == null) {
            return null;
        }
        return switch (actor.type()) {
            case CLIENT -> RuleHit.client(actor.id());
            case USER -> RuleHit.user(actor.id());
            default -> null;
        };
    }

    static boolean counts(AuditEntry entry) {
        if (entry.patientId() == null
                || entry.action() != Action.READ
                || Purpose.EXPORT.code().equals(entry.purpose())) {
            return false;
        }
        return entry.fields().stream()
                .map(Field::ofCode)
                .flatMap(java.util.Optional::stream)
                .anyMatch(field -> field.category() == DataCategory.IDENTITY
                        || field.category() == DataCategory.CONTACT
                        || field.category() == DataCategory.MEDICAL);
    }

    /** Compared as PostgreSQL orders UUIDs: unsigned, byte by byte. */
    static int compareIds(UUID a, UUID b) {
        int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    }

    /** One actor's recent reads. */
    private static final class ActorWindow {
        private final Map<UUID, Instant> lastRead = new HashMap<>();
        private final ArrayDeque<Read> reads = new ArrayDeque<>();
        private final Map<UUID, Instant> nightRead = new HashMap<>();
        private final ArrayDeque<Read> nightReads = new ArrayDeque<>();
        private final ArrayDeque<Instant> denied = new ArrayDeque<>();
        private final Set<UUID> establishments = new HashSet<>();
        private @Nullable UUID lastNew;
        private int up;
        private int down;
        private Instant lastSeen = Instant.EPOCH;

        /** Records a read; true when the patient is new in the window. */
        boolean read(UUID patient, Instant at, Duration window) {
            lastSeen = at;
            expire(reads, lastRead, at.minus(window));
            reads.addLast(new Read(patient, at));
            return lastRead.put(patient, at) == null;
        }

        int distinct() {
            return lastRead.size();
        }

        int night(UUID patient, Instant at, Duration window) {
            expire(nightReads, nightRead, at.minus(window));
            nightReads.addLast(new Read(patient, at));
            nightRead.put(patient, at);
            return nightRead.size();
        }

        int denied(Instant at, Duration window) {
            lastSeen = at;
            denied.addLast(at);
            while (!denied.isEmpty() && denied.peekFirst().isBefore(at.minus(window))) {
                denied.removeFirst();
            }
            return denied.size();
        }

        /** The length of the current run of new patients in id order, up or down. */
        int walk(UUID patient) {
            if (lastNew == null) {
                up = 1;
                down = 1;
            } else if (compareIds(patient, lastNew) > 0) {
                up++;
                down = 1;
            } else {
                down++;
                up = 1;
            }
            lastNew = patient;
            return run();
        }

        int run() {
            return Math.max(up, down);
        }

        boolean idleSince(Instant before) {
            return lastSeen.isBefore(before);
        }

        private static void expire(ArrayDeque<Read> reads, Map<UUID, Instant> last, Instant from) {
            Iterator<Read> oldest = reads.iterator();
            while (oldest.hasNext()) {
                Read read = oldest.next();
                if (!read.at().isBefore(from)) {
                    break;
                }
                oldest.remove();
                last.remove(read.patient(), read.at());
            }
        }
    }

    private record Read(UUID patient, Instant at) {}
}
