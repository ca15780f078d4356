package org.carnet.backup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Iterator;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPSecretKey;
import org.bouncycastle.openpgp.PGPSecretKeyRingCollection;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.jcajce.JcaKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.jcajce.JcePBESecretKeyDecryptorBuilder;
import org.jspecify.annotations.Nullable;

/**
 * The operator's OpenPGP keys, read from the files the configuration names: the public key backups are
 * encrypted to, and, for a restore, the private key with its passphrase (from the environment variable
 * {@code CARNET_BACKUP_PASSPHRASE} or a file, never from the command line).
 */
final class OperatorKeys {

    static final String PASSPHRASE_VARIABLE = "CARNET_BACKUP_PASSPHRASE";

    private static final BouncyCastleProvider BC = new BouncyCastleProvider();

    private OperatorKeys() {}

    /** The key of {@code file} that encrypts: a subkey when there is one, not revoked, not expired. */
    static PGPPublicKey recipient(Path file, Instant now) {
        PGPPublicKeyRingCollection rings;
        try (InputStream in = PGPUtil.getDecoderStream(Files.newInputStream(file))) {
            rings = new PGPPublicKeyRingCollection(in, new JcaKeyFingerprintCalculator());
        } catch (IOException | PGPException | RuntimeException e) {
            throw new IllegalArgumentException(
                    "carnet.backup.recipient-key: " + file + " is not a readable OpenPGP public key");
        }
        if (rings.size() != 1) {
            throw new IllegalArgumentException(
                    "carnet.backup.recipient-key: " + file + " must hold exactly one OpenPGP public key");
        }
        PGPPublicKeyRing ring = rings.getKeyRings().next();
        if (ring.getPublicKey().hasRevocation() || expired(ring.getPublicKey(), now)) {
            throw new IllegalArgumentException("carnet.backup.recipient-key: the key is revoked or expired");
        }
        PGPPublicKey encryption = null;
        for (Iterator<PGPPublicKey> keys = ring.getPublicKeys(); keys.hasNext(); ) {
            PGPPublicKey key = keys.next();
            if (key.isEncryptionKey()
                    && !key.hasRevocation()
                    && !expired(key, now)
                    && (encryption == null || !key.isMasterKey())) {
                encryption = key;
            }
        }
        if (encryption == null) {
            throw new IllegalArgumentException("carnet.backup.recipient-key: the key has no key that can encrypt");
        }
        return encryption;
    }

    private static boolean expired(PGPPublicKey key, Instant now) {
        long valid = key.getValidSeconds();
        return valid > 0 && key.getCreationTime().toInstant().plusSeconds(valid).isBefore(now);
    }

    /** The operator's secret keys, opened one at a time with the passphrase when a backup asks for one. */
    static final class PrivateKeys {
        private final PGPSecretKeyRingCollection rings;
        private final char[] passphrase;

        private PrivateKeys(PGPSecretKeyRingCollection rings, char[] passphrase) {
            this.rings = rings;
            this.passphrase = passphrase;
        }

        /** The private key with this OpenPGP key id, or null when the operator's file has none. */
        @Nullable
        PGPPrivateKey find(long keyId) {
            try {
                PGPSecretKey secret = rings.getSecretKey(keyId);
                if (secret == null) {
                    return null;
                }
                return secret.extractPrivateKey(
                        new JcePBESecretKeyDecryptorBuilder().setProvider(BC).build(passphrase));
            } catch (PGPException e) {
                throw new IllegalArgumentException("the private key does not open with the given passphrase ("
                        + PASSPHRASE_VARIABLE + " or carnet.backup.passphrase-file)");
            }
        }

        @Override
        public String toString() {
            return "PrivateKeys[redacted]";
        }
    }

    /**
     * The private key of {@code file}, with the passphrase from {@code passphraseFile} (its first line)
     * when set, else from the environment variable {@value #PASSPHRASE_VARIABLE}, else empty.
     */
    static PrivateKeys privateKeys(Path file, @Nullable Path passphraseFile, @Nullable String fromEnvironment) {
        PGPSecretKeyRingCollection rings;
        try (InputStream in = PGPUtil.getDecoderStream(Files.newInputStream(file))) {
            rings = new PGPSecretKeyRingCollection(in, new JcaKeyFingerprintCalculator());
        } catch (IOException | PGPException | RuntimeException e) {
            throw new IllegalArgumentException(
                    "carnet.backup.private-key: " + file + " is not a readable OpenPGP private key");
        }
        char[] passphrase;
        if (passphraseFile != null) {
            try {
                String text = Files.readString(passphraseFile, StandardCharsets.UTF_8);
                passphrase = text.lines().findFirst().orElse("").toCharArray();
            } catch (IOException e) {
                throw new IllegalArgumentException("carnet.backup.passphrase-file: cannot read " + passphraseFile);
            }
        } else {
            passphrase = fromEnvironment == null ? new char[0] : fromEnvironment.toCharArray();
        }
        return new PrivateKeys(rings, Arrays.copyOf(passphrase, passphrase.length));
    }
}
