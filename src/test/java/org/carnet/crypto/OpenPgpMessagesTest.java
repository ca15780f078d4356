package org.carnet.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Date;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.PGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentVerifierBuilderProvider;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPKeyConverter;
import org.junit.jupiter.api.Test;

/**
 * Carnet's OpenPGP signatures go through {@link Ed25519#sign} (so that a key on a PKCS#11 token signs exports
 * and backups): they must be exactly what Bouncy Castle's own EdDSA signer makes, and verify as OpenPGP says.
 */
class OpenPgpMessagesTest {

    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    private static final byte[] DATA = "carnet-export-synthetique;ligne 1\n".getBytes(StandardCharsets.UTF_8);

    @Test
    void signaturesAreBouncyCastlesOwnBytesAndVerify() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        PGPPublicKey publicKey = OpenPgpMessages.signingKey(pair.getPublic());

        PGPSignature ours = signature(OpenPgpMessages.contentSigner(), pair, publicKey);
        PGPSignature theirs = signature(
                new JcaPGPContentSignerBuilder(PublicKeyAlgorithmTags.EDDSA_LEGACY, HashAlgorithmTags.SHA256)
                        .setProvider(BC),
                pair,
                publicKey);

        assertThat(ours.getEncoded()).isEqualTo(theirs.getEncoded());
        assertThat(verifies(ours, publicKey, DATA)).isTrue();
        byte[] changed = DATA.clone();
        changed[3] ^= 1;
        assertThat(verifies(ours, publicKey, changed)).isFalse();
    }

    private static PGPSignature signature(PGPContentSignerBuilder builder, KeyPair pair, PGPPublicKey publicKey)
            throws Exception {
        PGPSignatureGenerator generator = new PGPSignatureGenerator(builder, publicKey);
        generator.init(
                PGPSignature.BINARY_DOCUMENT,
                builder instanceof JcaPGPContentSignerBuilder
                        ? new JcaPGPKeyConverter().setProvider(BC).getPGPPrivateKey(publicKey, pair.getPrivate())
                        : OpenPgpMessages.signingPrivateKey(pair));
        PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
        hashed.setSignatureCreationTime(false, new Date(1_780_000_000_000L));
        hashed.setIssuerFingerprint(false, publicKey);
        generator.setHashedSubpackets(hashed.generate());
        generator.update(DATA);
        return generator.generate();
    }

    private static boolean verifies(PGPSignature signature, PGPPublicKey publicKey, byte[] data) throws Exception {
        signature.init(new JcaPGPContentVerifierBuilderProvider().setProvider(BC), publicKey);
        signature.update(data);
        return signature.verify();
    }
}
