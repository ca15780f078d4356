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
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
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
    private final char[] pin;
    private final String library;
    /** The configured label, and the labels {@code keys rotate-master} gives the next ones. */
    private final TokenLabels labels;

    private final Map<String, SecretKey> keys = new ConcurrentHashMap<>();
    private volatile KeyStore token;
    private volatile String currentLabel;

    Pkcs11MasterKey(CryptoProperties.Pkcs11 settings) throws GeneralSecurityException, IOException {
        this.library = library(settings);
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
        this.pin = pin(settings);
        this.token = open();
        String label = settings.masterKeyLabel();
        this.labels = TokenLabels.of(label);
        if (token.getKey(label, null) == null) {
            generate(label);
        }
        this.currentLabel = label;
        reread();
        log.info("Master key {} held by the PKCS#11 token ({})", currentLabel, library);
    }

    /** The id of the token's key that wraps new data keys: the highest-numbered of the configured label's. */
    String currentKeyId() {
        return ID_PREFIX + currentLabel;
    }

    /** The token's key of this id (a handle: its value never leaves the token). */
    SecretKey key(String keyId) {
        if (!keyId.startsWith(ID_PREFIX)) {
            throw new IllegalStateException("Unknown master key id");
        }
        String label = keyId.substring(ID_PREFIX.length());
        SecretKey key = keys.get(label);
        if (key == null) {
            // Another process (keys rotate-master) may have added it since this node looked.
            reread();
            key = keys.get(label);
        }
        if (key == null) {
            throw new IllegalStateException("Unknown master key id");
        }
        return key;
    }

    Cipher cipher() throws GeneralSecurityException {
        return Cipher.getInstance("AES/GCM/NoPadding", provider);
    }

    /** Generates the next key on the token ({@code <base>-<n+1>}) and wraps new data keys with it; its id. */
    synchronized String addNext() throws GeneralSecurityException {
        String next = labels.next(currentLabel);
        generate(next);
        reread();
        return currentKeyId();
    }

    /** Looks at the token again for keys another process added: the newest one becomes the current one. */
    synchronized void reread() {
        try {
            KeyStore fresh = open();
            String newest = currentLabel;
            for (String alias : Collections.list(fresh.aliases())) {
                if (!labels.contains(alias)) {
                    continue;
                }
                Key found = fresh.getKey(alias, null);
                if (found instanceof SecretKey secret && "AES".equalsIgnoreCase(found.getAlgorithm())) {
                    keys.put(alias, secret);
                    if (labels.number(alias) > labels.number(newest)) {
                        newest = alias;
                    }
                }
            }
            if (!keys.containsKey(currentLabel)) {
                throw new IllegalStateException("The token's entry " + currentLabel + " is not an AES key");
            }
            this.token = fresh;
            this.currentLabel = newest;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("Cannot read the PKCS#11 token's keys", e);
        }
    }

    private KeyStore open() throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS11", provider);
        try {
            store.load(null, pin);
        } catch (IOException e) {
            throw new IllegalStateException("The PKCS#11 token refused the PIN given, or cannot be opened", e);
        }
        return store;
    }

    private void generate(String label) throws GeneralSecurityException {
        if (token.containsAlias(label)) {
            throw new IllegalStateException("The token already holds an entry " + label);
        }
        KeyGenerator generator = KeyGenerator.getInstance("AES", provider);
        generator.init(256);
        token.setEntry(label, new KeyStore.SecretKeyEntry(generator.generateKey()), null);
        log.info("Generated the master key {} on the PKCS#11 token", label);
    }

    /** The module's library, which must exist. */
    static String library(CryptoProperties.Pkcs11 settings) {
        String library = Objects.requireNonNull(
                settings.library(), "carnet.crypto.pkcs11.library is required when a token holds a key");
        if (!Files.isRegularFile(Path.of(library))) {
            throw new IllegalStateException("carnet.crypto.pkcs11.library names no file: " + library);
        }
        return library;
    }

    /** The token's user PIN, from the environment or the operator's file. */
    static char[] pin(CryptoProperties.Pkcs11 settings) throws IOException {
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
