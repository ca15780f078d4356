package org.carnet.events;

import java.time.Duration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.modulith.events.IncompleteEventPublications;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * Every {@code carnet.events.retry-interval}, resubmits the event publications still incomplete that
 * many seconds after they were published: their listener threw, or the node delivering them stopped.
 * A publication being resubmitted is claimed in the database first, so two nodes do not both deliver
 * it; one whose listener fails again is retried on the next round, as long as it fails.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
@EnableConfigurationProperties(EventsProperties.class)
class EventRetries implements SchedulingConfigurer {

    private final IncompleteEventPublications incomplete;
    private final Duration interval;

    EventRetries(IncompleteEventPublications incomplete, EventsProperties properties) {
        this.incomplete = incomplete;
        this.interval = properties.retryInterval();
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar tasks) {
        tasks.addFixedDelayTask(new FixedDelayTask(this::retry, interval, interval));
    }

    void retry() {
        incomplete.resubmitIncompletePublicationsOlderThan(interval);
    }
}
