package org.carnet.audit;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The node's sealing threads. Woken after each commit that recorded entries, they seal the chains
 * touched on {@code carnet.audit.sealer-threads} threads, never one chain on two threads; a thread
 * takes every chain waiting (up to {@value #CHAINS_PER_TRANSACTION}) and seals them in one transaction.
 * A housekeeping thread looks every sweep interval for entries committed by other nodes, signs the
 * chain heads when a checkpoint is due, prunes when pruning is due and writes the node's positions
 * to the witness.
 */
@Component
class SealingWorker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SealingWorker.class);

    /**
     * At most this many chains sealed in one transaction: under load, bookings of many establishments
     * commit between two seals, and one transaction for all of them costs the database one lock
     * statement, one read, one write of positions and one of heads instead of that many per chain.
     */
    static final int CHAINS_PER_TRANSACTION = 64;

    private final ChainSealer sealer;
    private final Checkpoints checkpoints;
    private final Retention retention;
    private final AuditProperties properties;
    private final Clock clock;
    private final AuditWitness witness;
    private final LinkedBlockingQueue<UUID> queue = new LinkedBlockingQueue<>();
    /** Chains queued or being sealed; TRUE when woken again meanwhile, so that they are sealed once more. */
    private final ConcurrentHashMap<UUID, Boolean> scheduled = new ConcurrentHashMap<>();
    /** (time, highest id) of past sweeps: a sweep starts from the highest id seen one unsealed-bound ago. */
    private final Deque<long[]> sweeps = new ArrayDeque<>();

    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    SealingWorker(
            ChainSealer sealer,
            Checkpoints checkpoints,
            Retention retention,
            AuditProperties properties,
            Clock clock,
            AuditWitness witness) {
        this.sealer = sealer;
        this.witness = witness;
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
            Boolean before = scheduled.putIfAbsent(chain, Boolean.FALSE);
            if (before == null) {
                queue.add(chain);
            } else if (!before) {
                scheduled.replace(chain, Boolean.FALSE, Boolean.TRUE);
            }
        }
    }

    @Override
    public synchronized void start() {
        if (!properties.sealerEnabled() || running) {
            return;
        }
        running = true;
        for (int i = 0; i < properties.sealerThreads(); i++) {
            threads.add(daemon(this::seal, "audit-sealer-" + i));
        }
        threads.add(daemon(this::housekeeping, "audit-housekeeping"));
    }

    @Override
    public synchronized void stop() {
        running = false;
        threads.forEach(Thread::interrupt);
        for (Thread thread : threads) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        threads.clear();
        try {
            witness.flush();
        } catch (RuntimeException e) {
            log.warn(
                    "Could not write the audit node positions: {}", e.getClass().getSimpleName());
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private static Thread daemon(Runnable body, String name) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private void seal() {
        while (running) {
            List<UUID> chains = new ArrayList<>();
            try {
                chains.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(chains, CHAINS_PER_TRANSACTION - 1);
            do {
                chains.forEach(chain -> scheduled.put(chain, Boolean.FALSE));
                try {
                    sealer.sealChains(chains);
                } catch (RuntimeException e) {
                    // The entries stay unsealed; the next sweep retries, and the verifier flags any that
                    // stay so past the bound. No personal data in the message.
                    log.warn(
                            "Audit sealing failed, will retry: {}", e.getClass().getSimpleName());
                }
                // Done with those not woken again meanwhile; the others are sealed once more.
                chains.removeIf(chain -> scheduled.remove(chain, Boolean.FALSE));
            } while (running && !chains.isEmpty());
        }
    }

    private void housekeeping() {
        Instant nextCheckpoint = clock.instant().plus(properties.checkpointInterval());
        Instant nextPrune = clock.instant().plus(properties.pruneInterval());
        while (running) {
            try {
                Instant now = clock.instant();
                wake(sweep(now));
                witness.flush();
                if (!now.isBefore(nextCheckpoint)) {
                    checkpoints.signHeads();
                    nextCheckpoint = now.plus(properties.checkpointInterval());
                }
                if (!now.isBefore(nextPrune)) {
                    retention.prune();
                    nextPrune = now.plus(properties.pruneInterval());
                }
            } catch (RuntimeException e) {
                log.warn(
                        "Audit housekeeping failed, will retry: {}",
                        e.getClass().getSimpleName());
            }
            try {
                TimeUnit.MILLISECONDS.sleep(properties.sweepInterval().toMillis());
            } catch (InterruptedException e) {
                return;
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
}
