package org.carnet.audit;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the access log is sealed, checkpointed and pruned.
 *
 * @param sealerEnabled whether this node runs the chain sealer (the command line does not)
 * @param sealBatchSize how many entries of one chain are sealed in one transaction
 * @param sweepInterval how often the sealer looks for entries committed by other nodes
 * @param checkpointInterval how often each chain's head is signed
 * @param unsealedBound how old an entry may be and still be waiting for its seal
 * @param retention how long entries are kept
 * @param pruneInterval how often entries older than the retention are removed
 * @param verifyThreads how many chains verification walks at once (one connection each)
 * @param sealerThreads how many chains this node seals at once (one connection each)
 */
@ConfigurationProperties("carnet.audit")
record AuditProperties(
        @DefaultValue("true") boolean sealerEnabled,
        @DefaultValue("2000") int sealBatchSize,
        @DefaultValue("PT5S") Duration sweepInterval,
        @DefaultValue("PT1M") Duration checkpointInterval,
        @DefaultValue("PT5M") Duration unsealedBound,
        @DefaultValue("P3650D") Duration retention,
        @DefaultValue("PT6H") Duration pruneInterval,
        @DefaultValue("2") int verifyThreads,
        @DefaultValue("2") int sealerThreads) {

    AuditProperties {
        if (sealBatchSize < 1 || sealBatchSize > 5_000) {
            throw new IllegalArgumentException("carnet.audit.seal-batch-size must be between 1 and 5000");
        }
        if (sealerThreads < 1 || sealerThreads > 32) {
            throw new IllegalArgumentException("carnet.audit.sealer-threads must be between 1 and 32");
        }
        if (verifyThreads < 1 || verifyThreads > 32) {
            throw new IllegalArgumentException("carnet.audit.verify-threads must be between 1 and 32");
        }
        requirePositive("sweep-interval", sweepInterval);
        requirePositive("checkpoint-interval", checkpointInterval);
        requirePositive("unsealed-bound", unsealedBound);
        requirePositive("retention", retention);
        requirePositive("prune-interval", pruneInterval);
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("carnet.audit." + name + " must be a positive duration");
        }
    }
}
