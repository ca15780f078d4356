package org.carnet.clients;

import java.time.Clock;
import java.time.Duration;
import org.carnet.clients.internal.AssertionDecoders;
import org.carnet.clients.internal.AssertionReplays;
import org.carnet.clients.internal.AuthorizationGrants;
import org.carnet.clients.internal.IssuedTokens;
import org.carnet.clients.internal.SigningKeys;
import org.carnet.crypto.SealedTable;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.Scheduled;

/** The token signing key's sealed table, declared to crypto's one list, and the pruning of spent records (assertion jtis, tokens, authorizations in flight, quota windows). */
@Configuration(proxyBeanMethods = false)
class ClientsConfiguration {

    private final AssertionReplays replays;
    private final IssuedTokens tokens;
    private final AuthorizationGrants grants;
    private final ClientQuotas quotas;
    private final Clock clock;

    ClientsConfiguration(
            AssertionReplays replays,
            IssuedTokens tokens,
            AuthorizationGrants grants,
            ClientQuotas quotas,
            Clock clock) {
        this.replays = replays;
        this.tokens = tokens;
        this.grants = grants;
        this.quotas = quotas;
        this.clock = clock;
    }

    @Bean
    SealedTable authorizationServerKeysTable() {
        return SigningKeys.SEALED;
    }

    /** Expired assertions' jtis (refused by their exp anyway) and tokens expired a day ago. */
    @Scheduled(fixedDelayString = "PT10M", initialDelayString = "PT1M")
    void prune() {
        replays.prune(clock.instant().minus(AssertionDecoders.SKEW).minus(Duration.ofMinutes(1)));
        tokens.prune(clock.instant().minus(Duration.ofDays(1)));
        grants.prune(clock.instant().minus(Duration.ofDays(1)));
        quotas.prune();
    }
}
