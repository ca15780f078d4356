package org.carnet.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.Provider;
import java.security.Security;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master key inside a PKCS#11 token (a hardware security module), reached through the JDK's SunPKCS11
 * provider: generated on the token on first start, sensitive and not extractable, so it never exists in
 * Carnet's memory; data keys are wrapped and unwrapped by the token (AES-256-GCM). Tested with Debian's
 * SoftHSM v2.
 */
final class Pkcs11MasterKey {

    private static final Logger log = LoggerFactory.getLogger(Pkcs11MasterKey.class);

    /** Key ids of the token's master keys say where they live, so that older PKCS#12 ones stay apart. */
    static final String ID_PREFIX = "pkcs11:";

    private final Provider provider;
    private final String keyId;
    private final SecretKey key;

    Pkcs11MasterKey(CryptoProperties.Pkcs11 settings) throws GeneralSecurityException, IOException {
        String library = Objects.requireNonNull(
                settings.library(), "carnet.crypto.pkcs11.library is required when the token holds the master key");
        if (!Files.isRegularFile(Path.of(library))) {
            throw new IllegalStateException("carnet.crypto.pkcs11.library names no file: " + library);
        }
        StringBuilder config =
                new StringBuilder("--name = Carnet\nlibrary = ").append(library).append('\n');
        if (settings.slot() != null) {
            config.append("slot = ").append(settings.slot()).append('\n');
        } else {
            config.append("slotListIndex = ").append(settings.slotListIndex()).append('\n');
        }
        // A key generated here is a session object first: sensitive and never extractable from the start.
        config.append(
                "attributes(generate, CKO_SECRET_KEY, *) = {\n  CKA_SENSITIVE = true\n  CKA_EXTRACTABLE = false\n}\n");
        Provider base = Objects.requireNonNull(Security.getProvider("SunPKCS11"), "the JDK's SunPKCS11 provider");
        this.provider = base.configure(config.toString());
        KeyStore token = KeyStore.getInstance("PKCS11", provider);
        try {
            token.load(null, pin(settings));
        } catch (IOException e) {
            throw new IllegalStateException("The PKCS#11 token refused the PIN given, or cannot be opened", e);
        }
        String label = settings.masterKeyLabel();
        this.keyId = ID_PREFIX + label;
        @Nullable Key found = token.getKey(label, null);
        if (found == null) {
            KeyGenerator generator = KeyGenerator.getInstance("AES", provider);
            generator.init(256);
            token.setEntry(label, new KeyStore.SecretKeyEntry(generator.generateKey()), null);
            found = Objects.requireNonNull(token.getKey(label, null), "the master key just stored on the token");
            log.info("Generated the master key {} on the PKCS#11 token", label);
        }
        if (!(found instanceof SecretKey secret) || !"AES".equalsIgnoreCase(found.getAlgorithm())) {
            throw new IllegalStateException("The token's entry " + label + " is not an AES key");
        }
        this.key = secret;
        log.info("Master key {} held by the PKCS#11 token ({})", label, library);
    }

    String keyId() {
        return keyId;
    }

    SecretKey key() {
        return key;
    }

    Cipher cipher() throws GeneralSecurityException {
        return Cipher.getInstance("AES/GCM/NoPadding", provider);
    }

    private static char[] pin(CryptoProperties.Pkcs11 settings) throws IOException {
        if (settings.pin() != null && !settings.pin().isBlank()) {
            return settings.pin().toCharArray();
        }
        if (settings.pinFile() != null && !settings.pinFile().isBlank()) {
            return Files.readString(Path.of(settings.pinFile()), StandardCharsets.UTF_8)
                    .strip()
                    .toCharArray();
        }
        throw new IllegalStateException(
                "The PKCS#11 token's PIN is required: carnet.crypto.pkcs11.pin (environment) or pin-file");
    }
}
