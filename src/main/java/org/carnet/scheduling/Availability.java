package org.carnet.scheduling;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.carnet.directory.Directory;
import org.carnet.directory.Establishment;
import org.carnet.directory.Practitioner;
import org.carnet.directory.Specialty;
import org.carnet.scheduling.internal.SearchInvalidations;
import org.carnet.scheduling.internal.SlotStore;
import org.carnet.shared.InvalidRequestException;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/** Who has free slots soonest, by specialty and place. */
@Service
public class Availability {

    public static final int PAGE_SIZE = 10;
    public static final int SLOTS_PER_PRACTITIONER = 5;
    static final Duration SEARCH_WINDOW = Duration.ofDays(92);

    /** A practitioner, their establishment, and their next free slots. */
    public record PractitionerAvailability(Practitioner practitioner, Establishment establishment, List<Slot> slots) {}

    /**
     * A slot of an agenda and, when it is booked, its appointment, the patient account holding it and
     * whether it is for one of that patient's relatives.
     */
    public record AgendaEntry(Slot slot, UUID appointmentId, UUID patientFileId, boolean forRelative) {}

    public record Page(List<PractitionerAvailability> content, int page, int totalPages, int totalElements) {}

    /** Some of the free slots a search found, and how many it found in all. */
    public record SlotPage(List<Slot> slots, int total) {}

    private final Directory directory;
    private final SlotStore slots;
    private final SearchInvalidations invalidations;
    private final SearchProperties properties;
    private final TransactionTemplate reads;
    private final Clock clock;

    /*
     * Search pages read lately, by what decides them. A page is served from here only while no slot change
     * of its area has committed since it was read (SearchInvalidations: at once on this node, within a
     * second on the others), before the earliest first free slot of its practitioners starts (a slot in
     * the past is never listed, and the order of pages changes when one passes) and within
     * carnet.search.page-memory. Pages hold directory rows and slot times, nothing about patients.
     */
    private record PageKey(
            Specialty specialty,
            String area,
            boolean teleconsultationOnly,
            @Nullable Instant from,
            int page) {}

    private record RememberedPage(Page page, long generation, Instant goodUntil) {}

    private record Read(Page page, Instant goodUntil) {}

    private final Cache<PageKey, RememberedPage> pages;

    Availability(
            Directory directory,
            SlotStore slots,
            SearchInvalidations invalidations,
            SearchProperties properties,
            PlatformTransactionManager transactions,
            Clock clock) {
        this.directory = directory;
        this.slots = slots;
        this.invalidations = invalidations;
        this.properties = properties;
        this.reads = new TransactionTemplate(transactions);
        this.reads.setReadOnly(true);
        this.clock = clock;
        // A page and its JSON in two languages weigh about 10 to 15 KB: at most some 75 MB per node.
        this.pages = Caffeine.newBuilder()
                .maximumSize(5_000)
                .expireAfterWrite(properties.pageMemory())
                .build();
    }

    /**
     * Practitioners of a specialty near a place with free slots from {@code from}, earliest first: as the
     * database has them now, or as remembered since the last change that could alter them.
     */
    public Page search(
            Specialty specialty,
            @Nullable String place,
            boolean teleconsultationOnly,
            @Nullable Instant from,
            int page) {
        if (page < 0 || page > 10_000) {
            throw new InvalidRequestException("page", "must be between 0 and 10000");
        }
        Instant now = clock.instant();
        Instant start = from == null || !from.isAfter(now) ? now : from;
        String area = SearchInvalidations.area(specialty, Directory.searchArea(place));
        PageKey key = new PageKey(specialty, area, teleconsultationOnly, start.equals(now) ? null : start, page);
        RememberedPage remembered = pages.getIfPresent(key);
        if (remembered != null
                && now.isBefore(remembered.goodUntil())
                && invalidations.unchangedSince(area, remembered.generation())) {
            return remembered.page();
        }
        // Taken before reading: a change committed after it makes the page stale, and is stamped after it.
        long generation = invalidations.generation();
        Read read = Objects.requireNonNull(
                reads.execute(status -> read(specialty, place, teleconsultationOnly, start, page)), "page");
        Instant memory = now.plus(properties.pageMemory());
        pages.put(
                key,
                new RememberedPage(
                        read.page(), generation, read.goodUntil().isBefore(memory) ? read.goodUntil() : memory));
        return read.page();
    }

    private Read read(
            Specialty specialty, @Nullable String place, boolean teleconsultationOnly, Instant start, int page) {
        List<UUID> candidates = directory.search(specialty, place, teleconsultationOnly);
        if (candidates.isEmpty()) {
            return new Read(new Page(List.of(), page, 0, 0), Instant.MAX);
        }
        SlotStore.FirstFrees firsts = slots.firstFree(candidates, start, page * PAGE_SIZE, PAGE_SIZE);
        if (firsts.page().isEmpty()) {
            // Past the last page (or nobody free): how many there are is one more statement; not remembered
            // when some are free, since when the earliest of them starts is not known here.
            int total = page == 0 ? 0 : slots.countWithFree(candidates, start);
            return new Read(
                    new Page(List.of(), page, (total + PAGE_SIZE - 1) / PAGE_SIZE, total),
                    total == 0 ? Instant.MAX : start);
        }
        int total = firsts.total();
        List<UUID> ids =
                firsts.page().stream().map(SlotStore.FirstFree::practitionerId).toList();
        Map<UUID, Practitioner> practitioners = directory.practitioners(ids);
        Map<UUID, Establishment> establishments = directory.establishments(practitioners.values().stream()
                .map(Practitioner::establishmentId)
                .distinct()
                .toList());
        Map<UUID, List<Slot>> next = slots.free(ids, start, start.plus(SEARCH_WINDOW), SLOTS_PER_PRACTITIONER);
        List<PractitionerAvailability> content = ids.stream()
                .map(id -> {
                    // Both were read for these very ids; the foreign keys keep them there.
                    Practitioner p = Objects.requireNonNull(practitioners.get(id), "practitioner");
                    return new PractitionerAvailability(
                            p,
                            Objects.requireNonNull(establishments.get(p.establishmentId()), "establishment"),
                            next.getOrDefault(id, List.of()));
                })
                .toList();
        return new Read(
                new Page(content, page, (total + PAGE_SIZE - 1) / PAGE_SIZE, total),
                Objects.requireNonNull(firsts.earliest(), "earliest"));
    }

    /**
     * The free slots of the practitioners of a specialty near a place (as {@link #search} finds them)
     * starting in [from, to), earliest first, from the {@code offset}-th on; {@code from} is never
     * before now and {@code to} never more than the search window after it. The first {@link
     * #SLOTS_PER_PRACTITIONER} of each practitioner's are the ones {@link #search} shows.
     */
    @Transactional(readOnly = true)
    public SlotPage freeSlots(
            Specialty specialty, @Nullable String place, Instant from, @Nullable Instant to, int offset, int limit) {
        if (offset < 0 || limit < 0 || limit > 1000) {
            throw new InvalidRequestException("page", "is out of range");
        }
        Instant start = from.isBefore(clock.instant()) ? clock.instant() : from;
        Instant windowEnd = start.plus(SEARCH_WINDOW);
        Instant end = to == null || to.isAfter(windowEnd) ? windowEnd : to;
        List<UUID> candidates = directory.search(specialty, place, false);
        if (candidates.isEmpty() || !end.isAfter(start)) {
            return new SlotPage(List.of(), 0);
        }
        int total = slots.countFree(candidates, start, end);
        List<Slot> found =
                limit == 0 || offset >= total ? List.of() : slots.free(candidates, start, end, offset, limit);
        return new SlotPage(found, total);
    }

    /** One slot, whatever its state. */
    @Transactional(readOnly = true)
    public java.util.Optional<Slot> slot(UUID slotId) {
        return slots.find(slotId);
    }

    /** A practitioner's free slots starting in [from, to). */
    @Transactional(readOnly = true)
    public List<Slot> freeSlots(UUID practitionerId, Instant from, Instant to) {
        return slots.free(practitionerId, from, to, 2000);
    }

    /** A practitioner's whole agenda (free, booked and blocked slots) starting in [from, to), with the patient account of each booked slot. */
    @Transactional(readOnly = true)
    public List<AgendaEntry> agendaWithPatients(UUID practitionerId, Instant from, Instant to) {
        return slots.allWithPatients(practitionerId, from, to);
    }
}
