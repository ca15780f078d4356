package org.carnet.scheduling.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.carnet.directory.Directory;
import org.carnet.directory.Establishment;
import org.carnet.directory.MotivesChanged;
import org.carnet.directory.Practitioner;
import org.carnet.directory.Specialty;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Which remembered search pages a change of slots makes stale. A search page depends on one area: a
 * specialty anywhere, in a city or in a postcode prefix ({@link #area}). Once the transaction that
 * changed a practitioner's slots has committed, every area their establishment lies in is stamped with
 * a new generation; a page read at generation {@code g} (taken before its reads) is still good while its
 * area's stamp is at most {@code g}. The practitioners are also queued for {@link SearchInvalidationRelay}
 * to tell the other nodes, which stamp the same areas when they read them.
 */
@Component
public class SearchInvalidations {

    /** Stands for "every practitioner" in the queue for the other nodes. */
    static final UUID EVERYONE = new UUID(0, 0);

    private final Directory directory;
    private final AtomicLong generations = new AtomicLong();
    private final Map<String, Long> stamps = new ConcurrentHashMap<>();
    private final Set<UUID> outgoing = ConcurrentHashMap.newKeySet();
    private volatile long everything;

    SearchInvalidations(Directory directory) {
        this.directory = directory;
    }

    /** The key of a search's area: its specialty and {@link Directory#searchArea}. */
    public static String area(Specialty specialty, String directoryArea) {
        return specialty.name() + "|" + directoryArea;
    }

    /** The generation now: a page about to be read is good while {@link #unchangedSince} it. */
    public long generation() {
        return generations.get();
    }

    /** Whether no change committed since {@code generation} touched the area. */
    public boolean unchangedSince(String area, long generation) {
        if (everything > generation) {
            return false;
        }
        Long stamp = stamps.get(area);
        return stamp == null || stamp <= generation;
    }

    /** The practitioner's free slots change in the current transaction (at once when there is none). */
    public void slotsChanged(UUID practitionerId) {
        afterCommit(practitionerId);
    }

    /** A practitioner's motives decide whether teleconsultation searches find them. */
    @EventListener
    void on(MotivesChanged changed) {
        slotsChanged(changed.practitionerId());
    }

    /** Slots of many practitioners change in the current transaction: every page is forgotten. */
    public void allSlotsChanged() {
        afterCommit(EVERYONE);
    }

    private void afterCommit(UUID practitionerId) {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            changed(List.of(practitionerId), true);
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                // Forgetting after a rollback costs a read; remembering across a commit would serve a stale page.
                changed(List.of(practitionerId), status == STATUS_COMMITTED);
            }
        });
    }

    /**
     * Stamps the areas of the practitioners ({@link #EVERYONE}: all of them) and, when {@code tell} (a change
     * of this node's), queues them for the other nodes.
     */
    void changed(Collection<UUID> practitionerIds, boolean tell) {
        long generation = generations.incrementAndGet();
        List<String> areas = new ArrayList<>();
        boolean all = false;
        for (UUID id : practitionerIds) {
            Optional<Practitioner> practitioner = id.equals(EVERYONE) ? Optional.empty() : directory.practitioner(id);
            Optional<Establishment> establishment =
                    practitioner.flatMap(p -> directory.establishment(p.establishmentId()));
            if (establishment.isEmpty()) {
                all = true;
                continue;
            }
            Specialty specialty = practitioner.get().specialty();
            Directory.searchAreas(establishment.get()).forEach(area -> areas.add(area(specialty, area)));
        }
        if (all) {
            everything = generation;
        }
        areas.forEach(area -> stamps.merge(area, generation, Math::max));
        if (tell) {
            outgoing.addAll(practitionerIds);
        }
    }

    /** The practitioners changed here since the last call, to tell the other nodes. */
    List<UUID> takeOutgoing() {
        List<UUID> taken = new ArrayList<>();
        for (UUID id : outgoing) {
            if (outgoing.remove(id)) {
                taken.add(id);
            }
        }
        return taken;
    }

    /** Puts back what could not be told (the database was unreachable). */
    void giveBack(Collection<UUID> practitionerIds) {
        outgoing.addAll(practitionerIds);
    }
}
