package org.carnet.exports.internal;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openpgp.PGPEncryptedDataGenerator;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPKeyConverter;
import org.bouncycastle.openpgp.operator.jcajce.JcePGPDataEncryptorBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcePublicKeyKeyEncryptionMethodGenerator;
import org.carnet.crypto.KeyProvider;
import org.springframework.stereotype.Component;

/**
 * OpenPGP for exports: an archive streamed into a signed, then encrypted message (RFC 4880: one-pass
 * signature, literal data, signature, inside integrity-protected AES-256 data) that {@code gpg
 * --decrypt} opens. Carnet signs with an OpenPGP (EdDSA) view of the Ed25519 key pair the key provider
 * keeps for signing audit checkpoints; its public key, with a self-signed user id, is published so that
 * a recipient can check where the file came from.
 */
@Component
public class OpenPgp {

    static final String USER_ID = "Carnet exports <exports@carnet.invalid>";
    /** Fixed, so that the signing key's OpenPGP fingerprint is the same on every start and node. */
    private static final Date KEY_CREATED = Date.from(Instant.parse("2026-01-01T00:00:00Z"));

    private static final BouncyCastleProvider BC = new BouncyCastleProvider();

    private final KeyProvider keys;
    private final SecureRandom random = new SecureRandom();

    OpenPgp(KeyProvider keys) {
        this.keys = keys;
    }

    private record Signer(PGPPublicKey publicKey, PGPPrivateKey privateKey) {}

    private Signer signer() {
        try {
            KeyPair pair = keys.checkpointSigningKey();
            JcaPGPKeyConverter converter = new JcaPGPKeyConverter().setProvider(BC);
            PGPPublicKey publicKey =
                    converter.getPGPPublicKey(PublicKeyAlgorithmTags.EDDSA_LEGACY, pair.getPublic(), KEY_CREATED);
            return new Signer(publicKey, converter.getPGPPrivateKey(publicKey, pair.getPrivate()));
        } catch (PGPException e) {
            throw new IllegalStateException("The export signing key cannot be made", e);
        }
    }

    /** Carnet's signing key, ASCII-armoured, with its self-signed user id: what {@code gpg --import} takes. */
    public String signingKey() {
        try {
            Signer signer = signer();
            PGPSignatureGenerator certifier = new PGPSignatureGenerator(
                    new JcaPGPContentSignerBuilder(PublicKeyAlgorithmTags.EDDSA_LEGACY, HashAlgorithmTags.SHA256)
                            .setProvider(BC),
                    signer.publicKey());
            certifier.init(PGPSignature.POSITIVE_CERTIFICATION, signer.privateKey());
            PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
            hashed.setSignatureCreationTime(false, KEY_CREATED);
            hashed.setKeyFlags(false, KeyFlags.SIGN_DATA | KeyFlags.CERTIFY_OTHER);
            hashed.setPrimaryUserID(false, true);
            certifier.setHashedSubpackets(hashed.generate());
            PGPSignature certification = certifier.generateCertification(USER_ID, signer.publicKey());
            PGPPublicKey certified = PGPPublicKey.addCertification(signer.publicKey(), USER_ID, certification);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ArmoredOutputStream armour = ArmoredOutputStream.builder().build(bytes)) {
                new PGPPublicKeyRing(List.of(certified)).encode(armour);
            }
            return bytes.toString(StandardCharsets.US_ASCII);
        } catch (PGPException | IOException e) {
            throw new IllegalStateException("The export signing key cannot be written", e);
        }
    }

    /**
     * A stream whose bytes go, signed by Carnet and encrypted to {@code recipient}, to {@code out};
     * closing it finishes the message (signature, integrity check) but does not close {@code out}.
     */
    public OutputStream encryptAndSign(OutputStream out, PGPPublicKey recipient, String fileName, Instant now) {
        try {
            Signer signer = signer();
            PGPEncryptedDataGenerator encryption =
                    new PGPEncryptedDataGenerator(new JcePGPDataEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256)
                            .setWithIntegrityPacket(true)
                            .setSecureRandom(random)
                            .setProvider(BC));
            encryption.addMethod(new JcePublicKeyKeyEncryptionMethodGenerator(recipient)
                    .setSecureRandom(random)
                    .setProvider(BC));
            OutputStream encrypted = encryption.open(out, new byte[1 << 16]);
            PGPSignatureGenerator signature = new PGPSignatureGenerator(
                    new JcaPGPContentSignerBuilder(PublicKeyAlgorithmTags.EDDSA_LEGACY, HashAlgorithmTags.SHA256)
                            .setProvider(BC),
                    signer.publicKey());
            signature.init(PGPSignature.BINARY_DOCUMENT, signer.privateKey());
            PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
            hashed.setSignatureCreationTime(false, Date.from(now));
            hashed.setIssuerFingerprint(false, signer.publicKey());
            signature.setHashedSubpackets(hashed.generate());
            signature.generateOnePassVersion(false).encode(encrypted);
            PGPLiteralDataGenerator literal = new PGPLiteralDataGenerator();
            OutputStream data =
                    literal.open(encrypted, PGPLiteralData.BINARY, fileName, Date.from(now), new byte[1 << 16]);
            return new FilterOutputStream(data) {
                private boolean closed;

                @Override
                public void write(int b) throws IOException {
                    data.write(b);
                    signature.update((byte) b);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    data.write(b, off, len);
                    signature.update(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    if (closed) {
                        return;
                    }
                    closed = true;
                    literal.close();
                    try {
                        signature.generate().encode(encrypted);
                    } catch (PGPException e) {
                        throw new IOException("The export cannot be signed", e);
                    }
                    encryption.close();
                    out.flush();
                }
            };
        } catch (PGPException | IOException e) {
            throw new UncheckedIOException(new IOException("The export cannot be encrypted", e));
        }
    }
}
