package org.carnet.exports;

import org.carnet.crypto.SealedTable;
import org.carnet.exports.internal.ExportStore;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The exports module's settings and its sealed table, declared to crypto's one list. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ExportsProperties.class)
class ExportsConfiguration {

    @Bean
    SealedTable exportsTable() {
        return ExportStore.SEALED;
    }
}
