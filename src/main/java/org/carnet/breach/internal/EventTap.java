package org.carnet.breach.internal;

import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.carnet.access.PatientDataAccessed;
import org.carnet.audit.AuditBreak;
import org.carnet.audit.AuditVerificationFailed;
import org.carnet.breach.BreachProperties;
import org.carnet.breach.Rule;
import org.carnet.clients.ClientStateChanged;
import org.carnet.clients.ClientStatus;
import org.carnet.clients.ProgramAskedForUnknownId;
import org.carnet.exports.ExportDownloadRefused;
import org.carnet.exports.ExportLeakAttributed;
import org.carnet.exports.ExportLinkReplayed;
import org.carnet.identity.SignInFailed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * What breach detection hears on the request path, kept as cheap as it can be: an access only wakes the
 * detector (once its transaction commits; the entry itself is read back from the log), a failed
 * sign-in is queued. Plain synchronous listeners on purpose: a transactional or module listener would
 * write one row of the event publication registry per access.
 */
@Component
class EventTap {

    private static final Logger log = LoggerFactory.getLogger(EventTap.class);

    private final Detector detector;
    private final SignInCounters signIns;
    private final IncidentRecorder recorder;
    private final UnknownIdCounters unknownIds;
    private final BreachProperties properties;
    private final TransactionSynchronization wakeAfterCommit;
    private final Map<UUID, Instant> probeFired = new ConcurrentHashMap<>();

    EventTap(
            Detector detector,
            SignInCounters signIns,
            IncidentRecorder recorder,
            UnknownIdCounters unknownIds,
            BreachProperties properties) {
        this.detector = detector;
        this.signIns = signIns;
        this.recorder = recorder;
        this.unknownIds = unknownIds;
        this.properties = properties;
        this.wakeAfterCommit = new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                detector.wake();
            }
        };
    }

    @EventListener
    void on(PatientDataAccessed accessed) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            // The same object each time: registered once per transaction however many accesses it makes.
            TransactionSynchronizationManager.registerSynchronization(wakeAfterCommit);
        } else {
            detector.wake();
        }
    }

    @EventListener
    void on(SignInFailed failed) {
        signIns.offer(failed);
        detector.wake();
    }

    /**
     * Counted at once, on the request's thread (two or three statements, a miss being rare in ordinary
     * work), so that the ask that reaches the threshold suspends the program before it is answered.
     * Counted only where detection runs, as the sign-in failures are.
     */
    @EventListener
    void on(ProgramAskedForUnknownId asked) {
        if (!properties.enabled()) {
            return;
        }
        try {
            count(asked);
        } catch (RuntimeException e) {
            // The program's answer stays the 404 it always was; the next miss counts again. Ids only in the log.
            log.warn(
                    "Unknown id asked by program {} not counted: {}",
                    asked.clientId(),
                    e.getClass().getName());
        }
    }

    private void count(ProgramAskedForUnknownId asked) {
        int distinct = unknownIds.record(asked);
        Instant last = probeFired.get(asked.clientId());
        if (distinct >= properties.unknownIds()
                && (last == null || !asked.at().isBefore(last.plus(properties.repeatAfter())))) {
            // Once per program every repeat-after on this node, as the detector's rules: in-flight asks of a
            // program being suspended (or one left unsuspended) do not add a line each.
            recorder.record(new RuleHit(
                    Rule.UNKNOWN_IDS_PROBED,
                    RuleHit.client(asked.clientId()),
                    asked.clientId(),
                    null,
                    Set.of(asked.establishmentId()),
                    asked.at(),
                    distinct + " distinct unknown patient or appointment ids asked for within "
                            + properties.unknownIdsWindow() + " (threshold " + properties.unknownIds()
                            + "), the last a " + asked.resource()));
            probeFired.put(asked.clientId(), asked.at());
        }
    }

    /** A program reinstated by a security officer starts counting its unknown ids again. */
    @EventListener
    void on(ClientStateChanged changed) {
        if (changed.status() == ClientStatus.ACTIVE) {
            unknownIds.forget(changed.clientId());
            probeFired.remove(changed.clientId());
        }
    }

    @EventListener
    void on(ExportLinkReplayed replayed) {
        recorder.record(new RuleHit(
                Rule.EXPORT_LINK_REPLAYED,
                "export:" + replayed.exportId(),
                null,
                null,
                Set.of(replayed.establishmentId()),
                replayed.at(),
                "the download link of export " + replayed.exportId() + " presented again "
                        + (replayed.afterDownload() ? "after its download" : "after it expired")));
    }

    @EventListener
    void on(ExportDownloadRefused refused) {
        // The address goes to the timeline, sealed under the incident's key: where the link turned up is what
        // the officer asks the recipient about first.
        recorder.record(new RuleHit(
                Rule.EXPORT_UNEXPECTED_PLACE,
                "export:" + refused.exportId(),
                null,
                null,
                Set.of(refused.establishmentId()),
                refused.at(),
                "a download of export " + refused.exportId() + " refused: from " + refused.from()
                        + ", outside the networks its request declared; the link was not used"));
    }

    @EventListener
    void on(ExportLeakAttributed leak) {
        recorder.record(new RuleHit(
                Rule.EXPORT_LEAK_ATTRIBUTED,
                "export:" + leak.exportId(),
                null,
                null,
                Set.of(leak.establishmentId()),
                leak.at(),
                String.format(
                        java.util.Locale.ROOT,
                        "a file traced to export %s (recipient %s, OpenPGP key %s; approved by login %s; downloaded"
                                + " %s): %d marks and %d rows match, %d canary records; false-attribution"
                                + " probability %.3g",
                        leak.exportId(),
                        leak.recipient(),
                        leak.recipientKeyFingerprint(),
                        leak.approvedBy(),
                        leak.downloadedAt(),
                        leak.marksMatched(),
                        leak.rowsMatched(),
                        leak.canariesFound(),
                        leak.falseAttribution())));
    }

    @EventListener
    void on(AuditVerificationFailed failed) {
        Set<java.util.UUID> establishments = new HashSet<>();
        StringBuilder detail = new StringBuilder(failed.breaks().size() + " broken chain(s):");
        for (AuditBreak broken : failed.breaks()) {
            if (broken.chainKey().getMostSignificantBits() != 0
                    || broken.chainKey().getLeastSignificantBits() != 0) {
                establishments.add(broken.chainKey());
            }
            detail.append('\n').append(broken.describe());
        }
        recorder.record(new RuleHit(
                Rule.AUDIT_VERIFICATION_FAILED,
                "platform:audit",
                null,
                null,
                establishments,
                failed.at(),
                detail.toString()));
    }
}
