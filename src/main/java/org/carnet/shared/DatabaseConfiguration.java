package org.carnet.shared;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** How Carnet talks to its database, beyond what the URL says. */
@Configuration(proxyBeanMethods = false)
class DatabaseConfiguration {

    /**
     * On PostgreSQL, a JDBC batch of {@code INSERT}s goes as multi-row statements
     * ({@code reWriteBatchedInserts}): the access-log entries of one transaction, the search
     * invalidations a node relays, generated slots. Row by row, PostgreSQL parses, binds and runs
     * each one. No code of Carnet reads a batch's per-row counts, which this option no longer gives.
     */
    @Bean
    static BeanPostProcessor postgresBatchedInserts() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) {
                if (bean instanceof HikariDataSource dataSource
                        && dataSource.getJdbcUrl() != null
                        && dataSource.getJdbcUrl().startsWith("jdbc:postgresql:")) {
                    dataSource.addDataSourceProperty("reWriteBatchedInserts", "true");
                }
                return bean;
            }
        };
    }
}
