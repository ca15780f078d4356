package org.carnet.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class EventsPropertiesTest {

    @Test
    void aRetryIntervalFromOneSecondToOneDayIsAccepted() {
        assertThat(new EventsProperties(Duration.ofSeconds(1)).retryInterval()).hasSeconds(1);
        assertThat(new EventsProperties(Duration.ofSeconds(30)).retryInterval()).hasSeconds(30);
        assertThat(new EventsProperties(Duration.ofDays(1)).retryInterval()).hasDays(1);
    }

    @Test
    void anyOtherRetryIntervalRefusesToStart() {
        for (Duration wrong : new Duration[] {
            null,
            Duration.ZERO,
            Duration.ofSeconds(-30),
            Duration.ofMillis(999),
            Duration.ofDays(1).plusSeconds(1)
        }) {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> new EventsProperties(wrong))
                    .withMessageContaining("carnet.events.retry-interval");
        }
    }
}
