package org.carnet.breach;

import java.time.Clock;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.carnet.breach.internal.IncidentStore;
import org.carnet.crypto.DataKeyRotation;
import org.carnet.crypto.KeyOwner;
import org.carnet.shared.ConflictException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The containment "rotate an establishment's keys": its data key gets a new version and every value sealed
 * for it is re-sealed under that version ({@link DataKeyRotation}), in the background on the node that took
 * the action, one establishment at a time, while the establishment keeps working. The end (or a failure) is
 * written on the incident's timeline. A rotation cut short by a node's death is finished by taking the
 * action again, or by {@code keys rotate-data --establishment <id>}: both resume it rather than start another.
 */
@Component
class EstablishmentKeyRotations implements DisposableBean {

    static final String DONE = "establishment-keys-rotated";
    static final String FAILED = "establishment-keys-rotation-failed";

    private static final Logger log = LoggerFactory.getLogger(EstablishmentKeyRotations.class);

    private final DataKeyRotation rotation;
    private final IncidentStore store;
    private final Clock clock;
    private final Set<UUID> running = ConcurrentHashMap.newKeySet();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "establishment-key-rotation");
        thread.setDaemon(true);
        return thread;
    });

    EstablishmentKeyRotations(DataKeyRotation rotation, IncidentStore store, Clock clock) {
        this.rotation = rotation;
        this.store = store;
        this.clock = clock;
    }

    /**
     * Starts the rotation of the establishment's data key once the caller's transaction has committed; the
     * incident's timeline says when it ends.
     *
     * @throws ConflictException when this node is already rotating that establishment's key
     */
    void start(UUID incident, UUID officer, UUID establishment) {
        if (!running.add(establishment)) {
            throw new ConflictException("This establishment's keys are being rotated already.");
        }
        Runnable rotate = () -> rotate(incident, officer, establishment);
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            worker.execute(rotate);
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int status) {
                if (status == STATUS_COMMITTED) {
                    worker.execute(rotate);
                } else {
                    running.remove(establishment);
                }
            }
        });
    }

    private void rotate(UUID incident, UUID officer, UUID establishment) {
        try {
            DataKeyRotation.Result result = rotation.rotate(KeyOwner.establishment(establishment), progress -> {});
            store.append(
                    incident,
                    clock.instant(),
                    "CONTAINMENT",
                    DONE,
                    officer,
                    "establishment " + establishment + ": " + result.resealed() + " values re-sealed under data key"
                            + " version " + result.version()
                            + (result.resumed() ? " (an earlier rotation finished)" : ""));
        } catch (RuntimeException e) {
            // Ids and the exception's class only: no value of the establishment reaches the log.
            log.error(
                    "Rotating the data key of establishment {} failed ({})",
                    establishment,
                    e.getClass().getSimpleName());
            store.append(
                    incident,
                    clock.instant(),
                    "CONTAINMENT",
                    FAILED,
                    officer,
                    "establishment " + establishment + ": the rotation stopped ("
                            + e.getClass().getSimpleName()
                            + "); take the action again, or run keys rotate-data --establishment " + establishment
                            + ", to finish it");
        } finally {
            running.remove(establishment);
        }
    }

    @Override
    public void destroy() {
        worker.shutdownNow();
    }
}
