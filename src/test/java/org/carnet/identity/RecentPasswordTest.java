package org.carnet.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

/** The password given again opens passkey registration for five minutes, on a pinned clock. */
class RecentPasswordTest {

    static final Instant CONFIRMED = Instant.parse("2026-12-02T10:00:00Z");

    @Test
    void holdsForFiveMinutesAndNotAfter() {
        MockHttpServletRequest request = new MockHttpServletRequest();
        RecentPassword.confirmed(request, Clock.fixed(CONFIRMED, ZoneOffset.UTC));
        assertThat(RecentPassword.holds(request, at(Duration.ZERO))).isTrue();
        assertThat(RecentPassword.holds(request, at(Duration.ofMinutes(5)))).isTrue();
        assertThat(RecentPassword.holds(request, at(Duration.ofMinutes(5).plusSeconds(1))))
                .isFalse();
        assertThat(RecentPassword.holds(request, at(Duration.ofSeconds(-1))))
                .as("a confirmation dated in the future")
                .isFalse();
    }

    @Test
    void aSessionThatNeverGaveItsPasswordAgainHasNothing() {
        MockHttpServletRequest request = new MockHttpServletRequest();
        assertThat(RecentPassword.holds(request, at(Duration.ZERO))).isFalse();
        request.getSession();
        assertThat(RecentPassword.holds(request, at(Duration.ZERO))).isFalse();
    }

    private static Clock at(Duration after) {
        return Clock.fixed(CONFIRMED.plus(after), ZoneOffset.UTC);
    }
}
