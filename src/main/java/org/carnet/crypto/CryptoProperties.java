package org.carnet.crypto;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code carnet.crypto.*}: where the platform's keys are and what opens them (docs/operations.md, "Keys").
 *
 * @param keystorePath the PKCS#12 keystore of the blind-index and audit-signing keys, and of the master key
 *     unless a hardware module holds it; created on first start; by default under {@code carnet.keys-dir},
 *     outside the data directory
 * @param keystorePassword the keystore's password as the operator gives it (for example in the environment,
 *     {@code CARNET_CRYPTO_KEYSTORE_PASSWORD}); never written anywhere by Carnet
 * @param keystorePasswordFile a file holding the keystore's password, which the operator keeps (a mounted
 *     secret); it must not sit in the keystore's own directory
 * @param demoPasswordFile where the embedded demonstration keeps a password it generated, when the operator
 *     gave none: in the data directory, so that neither a copy of the data directory nor one of the keys
 *     directory opens anything alone
 * @param legacyKeystorePath where versions before this one kept the keystore, with its password beside it in
 *     {@code <path>.password}: moved on first start to the places above when the operator gave no password
 * @param masterKeyHolder which holder keeps the master key that wraps new data keys
 * @param signingKeyHolder which holder keeps the Ed25519 key pair that signs audit checkpoints (and exports,
 *     backups and the key directory's entries)
 * @param pkcs11 the hardware security module, when either holder is {@code pkcs11}
 */
@Validated
@ConfigurationProperties("carnet.crypto")
record CryptoProperties(
        @NotBlank String keystorePath,
        @Nullable String keystorePassword,
        @Nullable String keystorePasswordFile,
        @NotBlank String demoPasswordFile,
        @NotBlank String legacyKeystorePath,
        @DefaultValue("pkcs12") KeyHolder masterKeyHolder,
        @DefaultValue("pkcs12") KeyHolder signingKeyHolder,
        @Valid @DefaultValue Pkcs11 pkcs11) {

    Path keystore() {
        return Path.of(keystorePath).toAbsolutePath().normalize();
    }

    /** Which holder keeps a key. */
    enum KeyHolder {
        /** The PKCS#12 keystore, with the other keys. */
        PKCS12,
        /**
         * A PKCS#11 token (a hardware security module): the master key through the JDK's SunPKCS11 provider,
         * the Ed25519 signing key through a PKCS#11 wrapper that knows EdDSA ({@link Pkcs11SigningKeys}).
         */
        PKCS11
    }

    /**
     * @param library the module's PKCS#11 library, such as {@code /usr/lib/softhsm/libsofthsm2.so}
     * @param slot the id of the slot whose token holds the master key, or
     * @param slotListIndex its index in the module's list of slots (the first by default)
     * @param pin the user PIN as the operator gives it (environment), or
     * @param pinFile a file holding it
     * @param masterKeyLabel the label of the AES-256 master key on the token: generated there, sensitive and
     *     not extractable, on first start if the token has none
     * @param signingKeyLabel the label of the Ed25519 signing key pair on the token, generated there in the
     *     same way
     */
    record Pkcs11(
            @Nullable String library,
            @Nullable Long slot,
            @DefaultValue("0") int slotListIndex,
            @Nullable String pin,
            @Nullable String pinFile,
            @DefaultValue("carnet-master-1") String masterKeyLabel,
            @DefaultValue("carnet-audit-1") String signingKeyLabel) {}
}
