package org.carnet.identity;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Deletes bearer tokens a day after they expired, every hour: they are refused anyway, but need not pile up. */
@Component
class AccessTokenPruning {

    private static final Logger log = LoggerFactory.getLogger(AccessTokenPruning.class);

    private final AccessTokens tokens;

    AccessTokenPruning(AccessTokens tokens) {
        this.tokens = tokens;
    }

    @Scheduled(cron = "${carnet.api.token-pruning-cron:0 7 * * * *}")
    void prune() {
        int pruned = tokens.prune();
        if (pruned > 0) {
            log.info("Expired access tokens deleted: {}", pruned);
        }
    }
}
