package org.carnet.scheduling;

import org.carnet.crypto.SealedTable;
import org.carnet.scheduling.internal.AppointmentStore;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

@Configuration(proxyBeanMethods = false)
@EnableScheduling
@EnableConfigurationProperties({BookingProperties.class, SearchProperties.class})
class SchedulingConfiguration {

    @Bean
    SealedTable appointmentsTable() {
        return AppointmentStore.SEALED;
    }
}
