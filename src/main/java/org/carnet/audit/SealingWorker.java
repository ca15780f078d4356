package org.carnet.audit;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The node's one sealing thread. Woken after each commit that recorded entries, it seals their
 * chains; every sweep interval it also looks for entries committed by other nodes, signs the chain
 * heads when a checkpoint is due and prunes when pruning is due.
 */
@Component
class SealingWorker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SealingWorker.class);

    private final ChainSealer sealer;
    private final Checkpoints checkpoints;
    private final Retention retention;
    private final AuditProperties properties;
    private final Clock clock;
    private final LinkedBlockingQueue<UUID> woken = new LinkedBlockingQueue<>();
    private final Set<UUID> queued = ConcurrentHashMap.newKeySet();
    /** (time, highest id) of past sweeps: a sweep starts from the highest id seen one unsealed-bound ago. */
    private final Deque<long[]> sweeps = new ArrayDeque<>();

    private volatile Thread thread;
    private volatile boolean running;
    private Instant nextSweep = Instant.MIN;
    private Instant nextCheckpoint;
    private Instant nextPrune;

    SealingWorker(
            ChainSealer sealer, Checkpoints checkpoints, Retention retention, AuditProperties properties, Clock clock) {
        this.sealer = sealer;
        this.checkpoints = checkpoints;
        this.retention = retention;
        this.properties = properties;
        this.clock = clock;
    }

    /** Asks for these chains to be sealed soon. */
    void wake(Collection<UUID> chains) {
        if (!running) {
            return;
        }
        for (UUID chain : chains) {
            if (queued.add(chain)) {
                woken.add(chain);
            }
        }
    }

    @Override
    public void start() {
        if (!properties.sealerEnabled()) {
            return;
        }
        running = true;
        nextCheckpoint = clock.instant().plus(properties.checkpointInterval());
        nextPrune = clock.instant().plus(properties.pruneInterval());
        thread = new Thread(this::run, "audit-sealer");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        Thread current = thread;
        if (current != null) {
            current.interrupt();
            try {
                current.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        thread = null;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void run() {
        while (running) {
            try {
                UUID first = woken.poll(properties.sweepInterval().toMillis(), TimeUnit.MILLISECONDS);
                Set<UUID> chains = new LinkedHashSet<>();
                if (first != null) {
                    chains.add(first);
                    woken.drainTo(chains);
                }
                chains.forEach(queued::remove);
                Instant now = clock.instant();
                if (!now.isBefore(nextSweep)) {
                    chains.addAll(sweep(now));
                    nextSweep = now.plus(properties.sweepInterval());
                }
                for (UUID chain : chains) {
                    sealer.sealChain(chain);
                }
                if (!now.isBefore(nextCheckpoint)) {
                    checkpoints.signHeads();
                    nextCheckpoint = now.plus(properties.checkpointInterval());
                }
                if (!now.isBefore(nextPrune)) {
                    retention.prune();
                    nextPrune = now.plus(properties.pruneInterval());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                // The entries stay unsealed and are picked up by the next sweep; the verifier flags
                // any that stay so for longer than the bound. No personal data in the message.
                log.warn("Audit sealing failed, will retry: {}", e.getClass().getSimpleName());
                nextSweep = Instant.MIN;
                sleepQuietly();
            }
        }
    }

    /**
     * The chains with unsealed entries, looking from the highest id seen by the newest sweep older
     * than the unsealed bound (the first sweep looks at everything): a transaction that commits
     * later than that is a broken entry for the verifier anyway.
     */
    private Collection<UUID> sweep(Instant now) {
        long horizon = now.minus(properties.unsealedBound()).toEpochMilli();
        while (sweeps.size() >= 2 && secondSweep()[0] < horizon) {
            sweeps.removeFirst();
        }
        long from = sweeps.isEmpty() ? 0 : sweeps.peekFirst()[1];
        long max = sealer.maxId();
        Collection<UUID> chains = sealer.chainsWithUnsealed(from);
        sweeps.addLast(new long[] {now.toEpochMilli(), max});
        return chains;
    }

    private long[] secondSweep() {
        var iterator = sweeps.iterator();
        iterator.next();
        return iterator.next();
    }

    private void sleepQuietly() {
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
