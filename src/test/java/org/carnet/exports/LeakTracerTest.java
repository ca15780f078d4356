package org.carnet.exports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LeakTracerTest {

    @Test
    void whenEveryMarkMatchesTheBoundIsTheExactChanceOfThat() {
        // 10 phones (1/4 each) and 10 names or dates (1/2 each), all matching: 4^-10 * 2^-10.
        double log = LeakTracer.logChernoff(new long[] {10, 5, 5}, 20);
        assertThat(log).isCloseTo(-10 * Math.log(4) - 10 * Math.log(2), within(1e-6));
    }

    @Test
    void matchingNoMoreThanChanceProvesNothing() {
        assertThat(LeakTracer.logChernoff(new long[] {400, 0, 0}, 100)).isZero();
        assertThat(LeakTracer.logChernoff(new long[] {400, 0, 0}, 90)).isZero();
    }

    @Test
    void theBoundIsAboveTheExactBinomialTail() {
        // n = 40 phones, m = 20 matching: the exact tail, summed, must not exceed the bound.
        int n = 40;
        int m = 20;
        double tail = 0;
        for (int k = m; k <= n; k++) {
            tail += binomial(n, k) * Math.pow(0.25, k) * Math.pow(0.75, n - k);
        }
        double bound = Math.exp(LeakTracer.logChernoff(new long[] {n, 0, 0}, m));
        assertThat(bound).isGreaterThanOrEqualTo(tail).isLessThan(0.01);
    }

    private static double binomial(int n, int k) {
        double c = 1;
        for (int i = 1; i <= k; i++) {
            c = c * (n - k + i) / i;
        }
        return c;
    }
}
