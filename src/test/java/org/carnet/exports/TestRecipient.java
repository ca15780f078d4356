package org.carnet.exports;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.util.Date;
import java.util.List;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.PGPEncryptedDataList;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPOnePassSignatureList;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyEncryptedData;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.jcajce.JcaPGPObjectFactory;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPKeyPair;
import org.bouncycastle.openpgp.operator.jcajce.JcePublicKeyDataDecryptorFactoryBuilder;

/**
 * A recipient made with Bouncy Castle (no gpg needed): an RSA key pair whose armoured public key
 * Carnet accepts, and that opens the export it receives.
 */
final class TestRecipient {

    private final PGPKeyPair pair;
    private final String armoured;

    TestRecipient(String userId) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            pair = new JcaPGPKeyPair(PublicKeyAlgorithmTags.RSA_GENERAL, generator.generateKeyPair(), new Date());
            PGPSignatureGenerator certifier = new PGPSignatureGenerator(
                    new JcaPGPContentSignerBuilder(PublicKeyAlgorithmTags.RSA_GENERAL, HashAlgorithmTags.SHA256),
                    pair.getPublicKey());
            certifier.init(PGPSignature.POSITIVE_CERTIFICATION, pair.getPrivateKey());
            PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
            hashed.setKeyFlags(false, KeyFlags.ENCRYPT_COMMS | KeyFlags.ENCRYPT_STORAGE | KeyFlags.SIGN_DATA);
            certifier.setHashedSubpackets(hashed.generate());
            PGPPublicKey certified = PGPPublicKey.addCertification(
                    pair.getPublicKey(), userId, certifier.generateCertification(userId, pair.getPublicKey()));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ArmoredOutputStream out = ArmoredOutputStream.builder().build(bytes)) {
                new PGPPublicKeyRing(List.of(certified)).encode(out);
            }
            armoured = bytes.toString(StandardCharsets.US_ASCII);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    String publicKey() {
        return armoured;
    }

    /** The plaintext of an export encrypted to this recipient. */
    byte[] open(byte[] message) {
        try (InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(message))) {
            JcaPGPObjectFactory factory = new JcaPGPObjectFactory(in);
            Object first = factory.nextObject();
            PGPEncryptedDataList list =
                    first instanceof PGPEncryptedDataList l ? l : (PGPEncryptedDataList) factory.nextObject();
            PGPPublicKeyEncryptedData data = (PGPPublicKeyEncryptedData) list.get(0);
            InputStream clear =
                    data.getDataStream(new JcePublicKeyDataDecryptorFactoryBuilder().build(pair.getPrivateKey()));
            JcaPGPObjectFactory inner = new JcaPGPObjectFactory(clear);
            Object next = inner.nextObject();
            if (next instanceof PGPOnePassSignatureList) {
                next = inner.nextObject();
            }
            byte[] plain = ((PGPLiteralData) next).getInputStream().readAllBytes();
            inner.nextObject(); // the signature, so that the integrity check covers the whole message
            if (!data.verify()) {
                throw new IllegalStateException("integrity check failed");
            }
            return plain;
        } catch (IOException | org.bouncycastle.openpgp.PGPException e) {
            throw new IllegalStateException(e);
        }
    }
}
