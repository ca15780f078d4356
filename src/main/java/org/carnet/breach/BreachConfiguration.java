package org.carnet.breach;

import org.carnet.breach.internal.IncidentStore;
import org.carnet.crypto.SealedTable;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BreachProperties.class)
class BreachConfiguration {

    @Bean
    SealedTable incidentTimelineTable() {
        return IncidentStore.SEALED;
    }
}
