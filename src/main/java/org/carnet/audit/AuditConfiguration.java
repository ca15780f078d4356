package org.carnet.audit;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({AuditProperties.class, WitnessProperties.class})
class AuditConfiguration {}
