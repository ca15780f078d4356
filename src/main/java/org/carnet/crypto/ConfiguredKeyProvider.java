package org.carnet.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Cipher;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.jspecify.annotations.Nullable;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The platform's keys, each with its holder: a PKCS#12 keystore (by default under {@code carnet.keys-dir},
 * outside the data directory, opened by the operator's password: {@link KeystorePassword}) holds the
 * blind-index key and the Ed25519 key pair that signs audit checkpoints, and the master key that wraps data
 * keys unless a PKCS#11 token holds that one ({@code carnet.crypto.master-key-holder=pkcs11}: {@link
 * Pkcs11MasterKey}); a token may hold the signing key too ({@code carnet.crypto.signing-key-holder=pkcs11}:
 * {@link Pkcs11SigningKeys}). Keys of the keystore stay readable after a switch to the token, so data keys
 * wrapped before it still open and checkpoints signed before it still verify. The keystore is created with fresh random keys on first start, readable by
 * its owner only, and never committed.
 */
@Component
class ConfiguredKeyProvider implements KeyProvider {

    private static final String MASTER_PREFIX = "master-";
    private static final String MASTER_ALIAS = MASTER_PREFIX + "1";
    private static final String BLIND_INDEX_ALIAS = "blind-index-1";
    private static final String CHECKPOINT_PREFIX = "audit-checkpoint-";
    private static final String CHECKPOINT_ALIAS = CHECKPOINT_PREFIX + "1";

    private final Map<String, SecretKey> keys = new ConcurrentHashMap<>();
    private final Map<String, KeyPair> signingKeys = new ConcurrentHashMap<>();
    private final @Nullable Pkcs11MasterKey token;
    private final @Nullable Pkcs11SigningKeys signingToken;
    private final Path keystore;
    private final char[] password;
    private final SecureRandom random;
    /** The signing key's alias: the highest-numbered of the keystore's; older ones only verify. */
    private volatile String signingAlias = CHECKPOINT_ALIAS;
    /** The keystore's master key that wraps new data keys: the highest-numbered; older ones only unwrap. */
    private volatile String masterAlias = MASTER_ALIAS;
    /** The keystore file as last read, to reread it when {@code keys rotate-master} changed it. */
    private volatile FileTime keystoreRead = FileTime.fromMillis(0);

    ConfiguredKeyProvider(CryptoProperties properties, SecureRandom random) {
        this.keystore = properties.keystore();
        this.random = random;
        boolean masterInKeystore = properties.masterKeyHolder() == CryptoProperties.KeyHolder.PKCS12;
        boolean signingInKeystore = properties.signingKeyHolder() == CryptoProperties.KeyHolder.PKCS12;
        try {
            this.password = KeystorePassword.resolve(properties, random);
            if (!Files.exists(keystore)) {
                create(keystore, password, masterInKeystore, random);
            }
            load(keystore, password, true);
            if (signingInKeystore && !signingKeys.containsKey(CHECKPOINT_ALIAS)) {
                // Keystores made before audit checkpoints existed gain their signing key on first start.
                addSigningKey(keystore, password, random, CHECKPOINT_ALIAS);
                load(keystore, password, true);
            }
            if (!keys.containsKey(BLIND_INDEX_ALIAS) || (masterInKeystore && !keys.containsKey(MASTER_ALIAS))) {
                throw new IllegalStateException("The keystore lacks the master or blind-index key");
            }
            this.token = masterInKeystore ? null : new Pkcs11MasterKey(properties.pkcs11());
            this.signingToken = signingInKeystore ? null : new Pkcs11SigningKeys(properties.pkcs11());
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw new IllegalStateException("Cannot open the keystore " + keystore + " with the password given");
            }
            throw new UncheckedIOException("Cannot open the keystore", e);
        } catch (GeneralSecurityException e) {
            // A wrong password ends here: the keystore's integrity check fails.
            throw new IllegalStateException("Cannot open the keystore " + keystore + " with the password given", e);
        }
    }

    @Override
    public String currentMasterKeyId() {
        return token != null ? token.currentKeyId() : masterAlias;
    }

    @Override
    public SecretKey masterKey(String keyId) {
        if (token != null && keyId.startsWith(Pkcs11MasterKey.ID_PREFIX)) {
            return token.key(keyId);
        }
        if (!keyId.startsWith(MASTER_PREFIX)) {
            throw new IllegalStateException("Unknown master key id");
        }
        SecretKey key = keys.get(keyId);
        if (key == null) {
            // Another process (keys rotate-master) may have added it since this node read the keystore.
            rereadMasterKeys();
            key = keys.get(keyId);
        }
        if (key == null) {
            throw new IllegalStateException("Unknown master key id");
        }
        return key;
    }

    @Override
    public Cipher masterKeyCipher(String keyId) throws GeneralSecurityException {
        return token != null && keyId.startsWith(Pkcs11MasterKey.ID_PREFIX)
                ? token.cipher()
                : Cipher.getInstance("AES/GCM/NoPadding");
    }

    /**
     * Adds a new master key to its holder (the keystore, or the token when it holds the master key) and wraps
     * new data keys with it from now on; the older ones stay, to unwrap what they wrapped until {@link
     * MasterKeyRotation} has re-wrapped it. Other nodes take it within five seconds ({@link #rereadMasterKeys}).
     *
     * @return the new key's id
     */
    synchronized String rotateMasterKey() {
        try {
            if (token != null) {
                return token.addNext();
            }
            String next = MASTER_PREFIX + (number(masterAlias, MASTER_PREFIX) + 1);
            addEntry(keystore, password, next, new KeyStore.SecretKeyEntry(newKey("AES", random)));
            load(keystore, password, false);
            return masterAlias;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the keystore", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot add a master key", e);
        }
    }

    /** Rereads the master keys when the keystore file (or the token) changed since this node read it. */
    @Scheduled(fixedDelay = 5_000, initialDelay = 5_000)
    void rereadMasterKeys() {
        try {
            if (token != null) {
                token.reread();
            }
            if (!Files.getLastModifiedTime(keystore).equals(keystoreRead)) {
                load(keystore, password, false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the keystore", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot read the keystore", e);
        }
    }

    @Override
    public SecretKey blindIndexKey() {
        // The constructor created or loaded it.
        return Objects.requireNonNull(keys.get(BLIND_INDEX_ALIAS), "the blind index key");
    }

    @Override
    public String checkpointSigningKeyId() {
        return signingToken != null ? signingToken.currentKeyId() : signingAlias;
    }

    @Override
    public KeyPair checkpointSigningKey() {
        if (signingToken != null) {
            return signingToken.current();
        }
        // The constructor added one when the keystore had none.
        return Objects.requireNonNull(signingKeys.get(signingAlias), "the checkpoint signing key");
    }

    /**
     * Adds a new signing key pair to its holder (the keystore, or the token when it holds the signing key). With
     * the keystore, this process signs with it from now on; with the token, from its next start; every other
     * running node takes it at its next start. The older ones stay, so that everything they signed still
     * verifies.
     *
     * @return the new key's id
     */
    synchronized String rotateSigningKey() {
        if (signingToken != null) {
            return signingToken.addNext();
        }
        String next = CHECKPOINT_PREFIX + (number(signingAlias, CHECKPOINT_PREFIX) + 1);
        try {
            addSigningKey(keystore, password, random, next);
            load(keystore, password, true);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the keystore", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot add a signing key to the keystore", e);
        }
        return signingAlias;
    }

    private static int number(String alias, String prefix) {
        return Integer.parseInt(alias.substring(prefix.length()));
    }

    @Override
    public @Nullable PublicKey checkpointVerificationKey(String keyId) {
        if (signingToken != null && keyId.startsWith(Pkcs11SigningKeys.ID_PREFIX)) {
            return signingToken.verificationKey(keyId);
        }
        KeyPair pair = signingKeys.get(keyId);
        return pair == null ? null : pair.getPublic();
    }

    /**
     * Reads the keystore's keys; the signing key changes only when asked ({@code withSigning}): a running
     * node signs with the same key until its next start, whatever another process added.
     */
    private void load(Path keystore, char[] password, boolean withSigning)
            throws IOException, GeneralSecurityException {
        FileTime modified = Files.getLastModifiedTime(keystore);
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, password);
        }
        KeyStore.PasswordProtection protection = new KeyStore.PasswordProtection(password);
        for (String alias : java.util.Collections.list(store.aliases())) {
            KeyStore.Entry entry = store.getEntry(alias, protection);
            if (entry instanceof KeyStore.SecretKeyEntry secret) {
                keys.put(alias, secret.getSecretKey());
            } else if (entry instanceof KeyStore.PrivateKeyEntry pair) {
                signingKeys.put(alias, new KeyPair(pair.getCertificate().getPublicKey(), pair.getPrivateKey()));
            }
        }
        if (withSigning) {
            newest(signingKeys.keySet(), CHECKPOINT_PREFIX).ifPresent(alias -> signingAlias = alias);
        }
        newest(keys.keySet(), MASTER_PREFIX).ifPresent(alias -> masterAlias = alias);
        keystoreRead = modified;
    }

    private static java.util.Optional<String> newest(java.util.Set<String> aliases, String prefix) {
        return aliases.stream()
                .filter(alias -> alias.matches(prefix + "[0-9]{1,9}"))
                .max(java.util.Comparator.comparingInt(alias -> number(alias, prefix)));
    }

    private static void create(Path keystore, char[] password, boolean withMaster, SecureRandom random)
            throws IOException, GeneralSecurityException {
        Files.createDirectories(keystore.getParent());
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, password);
        KeyStore.PasswordProtection protection = new KeyStore.PasswordProtection(password);
        if (withMaster) {
            store.setEntry(MASTER_ALIAS, new KeyStore.SecretKeyEntry(newKey("AES", random)), protection);
        }
        store.setEntry(BLIND_INDEX_ALIAS, new KeyStore.SecretKeyEntry(newKey("HmacSHA256", random)), protection);
        try (OutputStream out = Files.newOutputStream(keystore, StandardOpenOption.CREATE_NEW)) {
            store.store(out, password);
        }
        OwnerOnlyFiles.restrict(keystore);
    }

    /** Adds an Ed25519 key pair; PKCS#12 keeps a private key only with a certificate, so it gets a self-signed one. */
    private static void addSigningKey(Path keystore, char[] password, SecureRandom random, String alias)
            throws IOException, GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
        generator.initialize(255, random);
        KeyPair pair = generator.generateKeyPair();
        addEntry(keystore, password, alias, new KeyStore.PrivateKeyEntry(pair.getPrivate(), new Certificate[] {
            selfSigned(pair)
        }));
    }

    /** Adds an entry to the keystore, replacing the file in one move so that a crash leaves the old or the new. */
    private static void addEntry(Path keystore, char[] password, String alias, KeyStore.Entry entry)
            throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, password);
        }
        store.setEntry(alias, entry, new KeyStore.PasswordProtection(password));
        Path next = keystore.resolveSibling(keystore.getFileName() + ".new");
        Files.deleteIfExists(next);
        try (OutputStream out = Files.newOutputStream(next, StandardOpenOption.CREATE_NEW)) {
            store.store(out, password);
        }
        OwnerOnlyFiles.restrict(next);
        Files.move(next, keystore, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static X509Certificate selfSigned(KeyPair pair) throws GeneralSecurityException {
        X500Name name = new X500Name("CN=Carnet audit checkpoints");
        Instant now = Instant.now();
        try {
            X509CertificateHolder holder = new JcaX509v3CertificateBuilder(
                            name,
                            BigInteger.valueOf(now.toEpochMilli()),
                            Date.from(now),
                            Date.from(now.plus(Duration.ofDays(36_500))),
                            name,
                            pair.getPublic())
                    .build(new JcaContentSignerBuilder("Ed25519").build(pair.getPrivate()));
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("Cannot sign the checkpoint key's certificate", e);
        }
    }

    private static SecretKey newKey(String algorithm, SecureRandom random) throws GeneralSecurityException {
        KeyGenerator generator = KeyGenerator.getInstance(algorithm);
        generator.init(256, random);
        return generator.generateKey();
    }
}
