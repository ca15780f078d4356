package org.carnet.crypto;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.bcpg.CompressionAlgorithmTags;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openpgp.PGPCompressedDataGenerator;
import org.bouncycastle.openpgp.PGPEncryptedDataGenerator;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.PGPContentSigner;
import org.bouncycastle.openpgp.operator.PGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.PGPDigestCalculator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPDigestCalculatorProviderBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPKeyConverter;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPPrivateKey;
import org.bouncycastle.openpgp.operator.jcajce.JcePGPDataEncryptorBuilder;
import org.bouncycastle.openpgp.operator.jcajce.JcePublicKeyKeyEncryptionMethodGenerator;
import org.jspecify.annotations.Nullable;

/**
 * Signed and encrypted OpenPGP messages (RFC 4880: one-pass signature, literal data, signature, optionally
 * compressed, inside integrity-protected AES-256 data) written as a stream, as exports and backups send
 * them: {@code gpg --decrypt} opens them. Carnet signs with an OpenPGP (EdDSA) view of the Ed25519 key
 * pair the key provider keeps for signing audit checkpoints.
 */
public final class OpenPgpMessages {

    /** Fixed, so that the signing key's OpenPGP fingerprint is the same on every start and node. */
    private static final Date KEY_CREATED = Date.from(Instant.parse("2026-01-01T00:00:00Z"));

    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    private static final SecureRandom RANDOM = new SecureRandom();

    private OpenPgpMessages() {}

    /** When Carnet's OpenPGP signing key says it was made (fixed: see the fingerprint above). */
    public static Date keyCreated() {
        return (Date) KEY_CREATED.clone();
    }

    /** The OpenPGP public key of an Ed25519 signing key. */
    public static PGPPublicKey signingKey(PublicKey publicKey) {
        try {
            return new JcaPGPKeyConverter()
                    .setProvider(BC)
                    .getPGPPublicKey(PublicKeyAlgorithmTags.EDDSA_LEGACY, publicKey, KEY_CREATED);
        } catch (PGPException e) {
            throw new IllegalStateException("The signing key has no OpenPGP form", e);
        }
    }

    /**
     * The OpenPGP private key of an Ed25519 signing key pair: the private key as it is (a handle when a PKCS#11
     * token holds it), for {@link #contentSigner()}.
     */
    public static PGPPrivateKey signingPrivateKey(KeyPair signer) {
        return new JcaPGPPrivateKey(signingKey(signer.getPublic()), signer.getPrivate());
    }

    /**
     * Makes Carnet's OpenPGP signatures (EdDSA in its RFC 4880bis "legacy" form, over SHA-256) through {@link
     * Ed25519#sign}, so that a signing key held by a PKCS#11 token signs exports and backups as one kept in the
     * keystore does (Bouncy Castle's own builder needs the private key's bytes). As RFC 4880bis says for EdDSA,
     * the Ed25519 signature is over the hash of the signed data and its trailer; the same bytes as Bouncy
     * Castle's builder gives (Ed25519 is deterministic: {@code OpenPgpMessagesTest}).
     */
    public static PGPContentSignerBuilder contentSigner() {
        return (signatureType, privateKey) -> {
            if (!(privateKey instanceof JcaPGPPrivateKey withKey)) {
                throw new PGPException("Carnet signs with its own Ed25519 keys only");
            }
            PGPDigestCalculator digest = new JcaPGPDigestCalculatorProviderBuilder()
                    .setProvider(BC)
                    .build()
                    .get(HashAlgorithmTags.SHA256);
            return new PGPContentSigner() {
                private byte @Nullable [] hash;

                @Override
                public OutputStream getOutputStream() {
                    return digest.getOutputStream();
                }

                @Override
                public byte[] getSignature() {
                    return Ed25519.sign(withKey.getPrivateKey(), getDigest());
                }

                @Override
                public byte[] getDigest() {
                    // Bouncy Castle asks for both: the hash is taken once, as its calculator resets on each call.
                    if (hash == null) {
                        hash = digest.getDigest();
                    }
                    return hash.clone();
                }

                @Override
                public int getType() {
                    return signatureType;
                }

                @Override
                public int getHashAlgorithm() {
                    return HashAlgorithmTags.SHA256;
                }

                @Override
                public int getKeyAlgorithm() {
                    return PublicKeyAlgorithmTags.EDDSA_LEGACY;
                }

                @Override
                public long getKeyID() {
                    return privateKey.getKeyID();
                }
            };
        };
    }

    /**
     * A stream whose bytes go, signed by {@code signer} (compressed first when asked) and encrypted to
     * {@code recipient}, to {@code out}; closing it finishes the message (signature, integrity check)
     * without closing {@code out}.
     */
    public static OutputStream encryptAndSign(
            OutputStream out, PGPPublicKey recipient, KeyPair signer, String fileName, Instant now, boolean compress) {
        try {
            PGPPublicKey signerPublic = signingKey(signer.getPublic());
            PGPPrivateKey signerPrivate = signingPrivateKey(signer);
            PGPEncryptedDataGenerator encryption =
                    new PGPEncryptedDataGenerator(new JcePGPDataEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256)
                            .setWithIntegrityPacket(true)
                            .setSecureRandom(RANDOM)
                            .setProvider(BC));
            encryption.addMethod(new JcePublicKeyKeyEncryptionMethodGenerator(recipient)
                    .setSecureRandom(RANDOM)
                    .setProvider(BC));
            OutputStream encrypted = encryption.open(out, new byte[1 << 16]);
            PGPCompressedDataGenerator compression =
                    compress ? new PGPCompressedDataGenerator(CompressionAlgorithmTags.ZLIB) : null;
            OutputStream body = compression == null ? encrypted : compression.open(encrypted, new byte[1 << 16]);
            PGPSignatureGenerator signature = new PGPSignatureGenerator(contentSigner(), signerPublic);
            signature.init(PGPSignature.BINARY_DOCUMENT, signerPrivate);
            PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
            hashed.setSignatureCreationTime(false, Date.from(now));
            hashed.setIssuerFingerprint(false, signerPublic);
            signature.setHashedSubpackets(hashed.generate());
            signature.generateOnePassVersion(false).encode(body);
            PGPLiteralDataGenerator literal = new PGPLiteralDataGenerator();
            OutputStream data = literal.open(body, PGPLiteralData.BINARY, fileName, Date.from(now), new byte[1 << 16]);
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
                        signature.generate().encode(body);
                    } catch (PGPException e) {
                        throw new IOException("The message cannot be signed", e);
                    }
                    if (compression != null) {
                        compression.close();
                    }
                    encryption.close();
                    out.flush();
                }
            };
        } catch (PGPException | IOException e) {
            throw new UncheckedIOException(new IOException("The message cannot be encrypted", e));
        }
    }
}
