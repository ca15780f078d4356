package org.carnet.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The default {@link KeyProvider}: a PKCS#12 keystore under the data directory, created with fresh
 * random keys on first start and readable by its owner only. Its password is generated too and kept
 * beside it; the file permissions are what protect a local keystore. It is never committed. It also
 * holds the Ed25519 key pair that signs audit checkpoints.
 */
@Component
@ConditionalOnProperty(name = "carnet.crypto.provider", havingValue = "local", matchIfMissing = true)
class LocalKeystoreKeyProvider implements KeyProvider {

    private static final String MASTER_ALIAS = "master-1";
    private static final String BLIND_INDEX_ALIAS = "blind-index-1";
    private static final String CHECKPOINT_ALIAS = "audit-checkpoint-1";

    private final Map<String, SecretKey> keys = new ConcurrentHashMap<>();
    private final Map<String, KeyPair> signingKeys = new ConcurrentHashMap<>();

    LocalKeystoreKeyProvider(CryptoProperties properties, SecureRandom random) {
        Path keystore = properties.keystore().toAbsolutePath();
        Path passwordFile = keystore.resolveSibling(keystore.getFileName() + ".password");
        try {
            if (!Files.exists(keystore)) {
                create(keystore, passwordFile, random);
            }
            load(keystore, passwordFile);
            if (!signingKeys.containsKey(CHECKPOINT_ALIAS)) {
                // Keystores made before audit checkpoints existed gain their signing key on first start.
                addSigningKey(keystore, passwordFile, random);
                load(keystore, passwordFile);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the local keystore", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot open the local keystore", e);
        }
    }

    @Override
    public String currentMasterKeyId() {
        return MASTER_ALIAS;
    }

    @Override
    public SecretKey masterKey(String keyId) {
        SecretKey key = keys.get(keyId);
        if (key == null || !keyId.startsWith("master-")) {
            throw new IllegalStateException("Unknown master key id");
        }
        return key;
    }

    @Override
    public SecretKey blindIndexKey() {
        // The constructor created or loaded it.
        return Objects.requireNonNull(keys.get(BLIND_INDEX_ALIAS), "the blind index key");
    }

    @Override
    public String checkpointSigningKeyId() {
        return CHECKPOINT_ALIAS;
    }

    @Override
    public KeyPair checkpointSigningKey() {
        // The constructor added it when the keystore had none.
        return Objects.requireNonNull(signingKeys.get(CHECKPOINT_ALIAS), "the checkpoint signing key");
    }

    @Override
    public @Nullable PublicKey checkpointVerificationKey(String keyId) {
        KeyPair pair = signingKeys.get(keyId);
        return pair == null ? null : pair.getPublic();
    }

    private void load(Path keystore, Path passwordFile) throws IOException, GeneralSecurityException {
        char[] password =
                Files.readString(passwordFile, StandardCharsets.US_ASCII).trim().toCharArray();
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
        if (!keys.containsKey(MASTER_ALIAS) || !keys.containsKey(BLIND_INDEX_ALIAS)) {
            throw new IllegalStateException("The local keystore lacks the master or blind-index key");
        }
    }

    private static void create(Path keystore, Path passwordFile, SecureRandom random)
            throws IOException, GeneralSecurityException {
        Files.createDirectories(keystore.getParent());
        byte[] passwordBytes = new byte[32];
        random.nextBytes(passwordBytes);
        char[] password = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(passwordBytes)
                .toCharArray();

        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, password);
        KeyStore.PasswordProtection protection = new KeyStore.PasswordProtection(password);
        store.setEntry(MASTER_ALIAS, new KeyStore.SecretKeyEntry(newKey("AES", random)), protection);
        store.setEntry(BLIND_INDEX_ALIAS, new KeyStore.SecretKeyEntry(newKey("HmacSHA256", random)), protection);

        writeOwnerOnly(passwordFile, new String(password).getBytes(StandardCharsets.US_ASCII));
        try (OutputStream out = Files.newOutputStream(keystore, StandardOpenOption.CREATE_NEW)) {
            store.store(out, password);
        }
        restrictToOwner(keystore);
    }

    /** Adds an Ed25519 key pair; PKCS#12 keeps a private key only with a certificate, so it gets a self-signed one. */
    private static void addSigningKey(Path keystore, Path passwordFile, SecureRandom random)
            throws IOException, GeneralSecurityException {
        char[] password =
                Files.readString(passwordFile, StandardCharsets.US_ASCII).trim().toCharArray();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, password);
        }
        KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
        generator.initialize(255, random);
        KeyPair pair = generator.generateKeyPair();
        store.setEntry(
                CHECKPOINT_ALIAS,
                new KeyStore.PrivateKeyEntry(pair.getPrivate(), new Certificate[] {selfSigned(pair)}),
                new KeyStore.PasswordProtection(password));
        Path next = keystore.resolveSibling(keystore.getFileName() + ".new");
        Files.deleteIfExists(next);
        try (OutputStream out = Files.newOutputStream(next, StandardOpenOption.CREATE_NEW)) {
            store.store(out, password);
        }
        restrictToOwner(next);
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

    private static void writeOwnerOnly(Path file, byte[] content) throws IOException {
        Files.write(file, content, StandardOpenOption.CREATE_NEW);
        restrictToOwner(file);
    }

    private static void restrictToOwner(Path file) throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }
}
