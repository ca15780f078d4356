package org.carnet.crypto;

import jakarta.validation.constraints.NotBlank;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * @param keystorePath where the local key provider keeps its keystore (created on first start)
 */
@Validated
@ConfigurationProperties("carnet.crypto")
record CryptoProperties(@NotBlank String keystorePath) {
    Path keystore() {
        return Path.of(keystorePath);
    }
}
