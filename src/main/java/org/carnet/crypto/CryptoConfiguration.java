package org.carnet.crypto;

import java.security.SecureRandom;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({CryptoProperties.class, RotationProperties.class})
class CryptoConfiguration {

    /** The one source of randomness for keys, IVs, tokens and salts. */
    @Bean
    SecureRandom secureRandom() {
        return new SecureRandom();
    }
}
