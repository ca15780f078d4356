package org.carnet.backup;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Date;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPKeyRingGenerator;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.PGPDigestCalculator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPDigestCalculatorProviderBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPKeyPair;
import org.bouncycastle.openpgp.operator.jcajce.JcePBESecretKeyEncryptorBuilder;

/**
 * An operator's OpenPGP key pair made with Bouncy Castle, as files: the armoured public key Carnet
 * encrypts backups to, the armoured private key protected by a passphrase, and the passphrase file.
 */
record TestOperator(Path publicKey, Path privateKey, Path passphraseFile) {

    static TestOperator in(Path directory, String passphrase) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            PGPKeyPair pair =
                    new JcaPGPKeyPair(PublicKeyAlgorithmTags.RSA_GENERAL, generator.generateKeyPair(), new Date());
            PGPDigestCalculator sha1 =
                    new JcaPGPDigestCalculatorProviderBuilder().build().get(HashAlgorithmTags.SHA1);
            PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
            hashed.setKeyFlags(false, KeyFlags.ENCRYPT_COMMS | KeyFlags.ENCRYPT_STORAGE | KeyFlags.SIGN_DATA);
            PGPKeyRingGenerator rings = new PGPKeyRingGenerator(
                    PGPSignature.POSITIVE_CERTIFICATION,
                    pair,
                    "Carnet operator (test) <ops@carnet.invalid>",
                    sha1,
                    hashed.generate(),
                    null,
                    new JcaPGPContentSignerBuilder(PublicKeyAlgorithmTags.RSA_GENERAL, HashAlgorithmTags.SHA256),
                    new JcePBESecretKeyEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256, sha1)
                            .setProvider(new BouncyCastleProvider())
                            .build(passphrase.toCharArray()));
            Path publicKey = directory.resolve("operator-public.asc");
            Path privateKey = directory.resolve("operator-private.asc");
            Path passphraseFile = directory.resolve("operator-passphrase");
            try (OutputStream out = ArmoredOutputStream.builder().build(Files.newOutputStream(publicKey))) {
                rings.generatePublicKeyRing().encode(out);
            }
            try (OutputStream out = ArmoredOutputStream.builder().build(Files.newOutputStream(privateKey))) {
                rings.generateSecretKeyRing().encode(out);
            }
            Files.writeString(passphraseFile, passphrase + "\n", StandardCharsets.UTF_8);
            return new TestOperator(publicKey, privateKey, passphraseFile);
        } catch (IOException | java.security.GeneralSecurityException | org.bouncycastle.openpgp.PGPException e) {
            throw new IllegalStateException(e);
        }
    }
}
