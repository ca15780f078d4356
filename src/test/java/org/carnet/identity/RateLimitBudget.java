package org.carnet.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

/**
 * What 15 attempts a minute allows over a run of attempts: the 15 of a full bucket, plus the one
 * token that comes back every 4 seconds while the run lasts (a loaded machine is slow).
 */
final class RateLimitBudget {

    static final int PER_MINUTE = 15;

    private RateLimitBudget() {}

    static void assertLimited(int attempts, int refused, Duration elapsed) {
        int allowed = attempts - refused;
        long refilled = (long) Math.ceil(elapsed.toMillis() * PER_MINUTE / 60_000.0);
        assertThat(allowed).as("attempts let through").isBetween(PER_MINUTE, (int) (PER_MINUTE + refilled));
        assertThat(refused).as("attempts refused").isPositive();
    }
}
