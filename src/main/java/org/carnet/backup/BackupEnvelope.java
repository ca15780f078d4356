package org.carnet.backup;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Instant;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPEncryptedData;
import org.bouncycastle.openpgp.PGPEncryptedDataList;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPOnePassSignature;
import org.bouncycastle.openpgp.PGPOnePassSignatureList;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyEncryptedData;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.jcajce.JcaPGPObjectFactory;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentVerifierBuilderProvider;
import org.bouncycastle.openpgp.operator.jcajce.JcePublicKeyDataDecryptorFactoryBuilder;
import org.carnet.crypto.OpenPgpMessages;
import org.jspecify.annotations.Nullable;

/**
 * The OpenPGP message a backup is (RFC 4880, what {@code gpg --decrypt} opens): inside
 * integrity-protected AES-256 data encrypted to the operator's key, ZLIB-compressed, a one-pass
 * signature, the dump as literal data, and Carnet's signature over it. Carnet signs with the OpenPGP
 * (EdDSA) view of its Ed25519 checkpoint-signing key, the same view the exports module publishes, so
 * the operator's gpg can check it too. The literal data's name says which database and which
 * signing key: {@code carnet-backup.KIND.KEYID}.
 */
final class BackupEnvelope {

    private static final String PREFIX = "carnet-backup.";

    private static final BouncyCastleProvider BC = new BouncyCastleProvider();

    private BackupEnvelope() {}

    /** The OpenPGP public key of Carnet's Ed25519 signing key. */
    static PGPPublicKey signingKey(PublicKey publicKey) {
        return OpenPgpMessages.signingKey(publicKey);
    }

    /**
     * A stream whose bytes go compressed, signed with {@code signer} and encrypted to {@code recipient}
     * to {@code out}; closing it finishes the message (signature, integrity check) without closing {@code out}.
     */
    static OutputStream seal(
            OutputStream out, PGPPublicKey recipient, KeyPair signer, String kind, String signerId, Instant now) {
        return OpenPgpMessages.encryptAndSign(out, recipient, signer, PREFIX + kind + "." + signerId, now, true);
    }

    /** Finds the public key that should have signed a backup, from the signing key id its name carries. */
    interface Signers {
        @Nullable
        PublicKey signer(String keyId);
    }

    /** An opened backup: read {@link #content()} to its end, then {@link #verify()} before trusting any of it. */
    static final class Opened {
        private final String kind;
        private final InputStream content;
        private final JcaPGPObjectFactory packets;
        private final PGPOnePassSignature onePass;
        private final PGPPublicKeyEncryptedData encrypted;

        private Opened(
                String kind,
                InputStream literal,
                JcaPGPObjectFactory packets,
                PGPOnePassSignature onePass,
                PGPPublicKeyEncryptedData encrypted) {
            this.kind = kind;
            this.packets = packets;
            this.onePass = onePass;
            this.encrypted = encrypted;
            this.content = new FilterInputStream(literal) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b >= 0) {
                        onePass.update((byte) b);
                    }
                    return b;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    if (n > 0) {
                        onePass.update(b, off, n);
                    }
                    return n;
                }

                @Override
                public void close() {
                    // The message goes on after the literal data: verify() reads the rest.
                }
            };
        }

        /** Which database the dump is of: {@code postgresql} or {@code h2}. */
        String kind() {
            return kind;
        }

        /** The dump, not yet authenticated. */
        InputStream content() {
            return content;
        }

        /**
         * Reads what is left of the dump and the message, then checks Carnet's signature and the
         * message's integrity.
         *
         * @throws BackupRefusedException when either fails
         */
        void verify() {
            try {
                content.transferTo(OutputStream.nullOutputStream());
                Object next = packets.nextObject();
                if (!(next instanceof PGPSignatureList signatures) || signatures.isEmpty()) {
                    throw new BackupRefusedException("the backup is not signed by Carnet: refused");
                }
                if (!onePass.verify(signatures.get(0))) {
                    throw new BackupRefusedException(
                            "the backup's signature does not match its content (altered or forged): refused");
                }
                if (!encrypted.isIntegrityProtected() || !encrypted.verify()) {
                    throw new BackupRefusedException("the backup fails its integrity check (altered): refused");
                }
            } catch (IOException | PGPException | RuntimeException e) {
                if (e instanceof BackupRefusedException refused) {
                    throw refused;
                }
                throw damaged(e);
            }
        }
    }

    /**
     * Opens a backup with the operator's private key and prepares to check Carnet's signature.
     *
     * @throws BackupRefusedException when it is not a Carnet backup for this key or not signed by Carnet
     */
    static Opened open(InputStream in, OperatorKeys.PrivateKeys privateKeys, Signers signers) {
        try {
            JcaPGPObjectFactory outer = new JcaPGPObjectFactory(PGPUtil.getDecoderStream(in));
            Object first = outer.nextObject();
            while (first != null && !(first instanceof PGPEncryptedDataList)) {
                first = outer.nextObject(); // a marker packet, say
            }
            if (!(first instanceof PGPEncryptedDataList list)) {
                throw new BackupRefusedException("not an encrypted OpenPGP message: refused");
            }
            PGPPublicKeyEncryptedData encrypted = null;
            PGPPrivateKey key = null;
            for (PGPEncryptedData candidate : list) {
                if (candidate instanceof PGPPublicKeyEncryptedData pk) {
                    PGPPrivateKey found = privateKeys.find(pk.getKeyID());
                    if (found != null) {
                        encrypted = pk;
                        key = found;
                        break;
                    }
                }
            }
            if (encrypted == null || key == null) {
                throw new BackupRefusedException(
                        "the backup is not encrypted to the configured private key (carnet.backup.private-key)");
            }
            InputStream clear = encrypted.getDataStream(new JcePublicKeyDataDecryptorFactoryBuilder()
                    .setProvider(BC)
                    .build(key));
            JcaPGPObjectFactory packets = new JcaPGPObjectFactory(clear);
            Object next = packets.nextObject();
            if (next instanceof PGPCompressedData compressed) {
                packets = new JcaPGPObjectFactory(compressed.getDataStream());
                next = packets.nextObject();
            }
            if (!(next instanceof PGPOnePassSignatureList onePasses) || onePasses.isEmpty()) {
                throw new BackupRefusedException("the backup is not signed by Carnet: refused");
            }
            PGPOnePassSignature onePass = onePasses.get(0);
            next = packets.nextObject();
            if (!(next instanceof PGPLiteralData literal)
                    || !literal.getFileName().startsWith(PREFIX)) {
                throw new BackupRefusedException("not a Carnet backup: refused");
            }
            String[] name = literal.getFileName().substring(PREFIX.length()).split("\\.", 2);
            PublicKey signer = name.length == 2 ? signers.signer(name[1]) : null;
            if (signer == null) {
                throw new BackupRefusedException("the backup names a signing key Carnet does not know: refused");
            }
            PGPPublicKey expected = signingKey(signer);
            if (onePass.getKeyID() != expected.getKeyID()) {
                throw new BackupRefusedException("the backup is signed by another key than Carnet's: refused");
            }
            onePass.init(new JcaPGPContentVerifierBuilderProvider().setProvider(BC), expected);
            return new Opened(name[0], literal.getInputStream(), packets, onePass, encrypted);
        } catch (IOException | PGPException | RuntimeException e) {
            if (e instanceof BackupRefusedException refused) {
                throw refused;
            }
            throw damaged(e);
        }
    }

    private static BackupRefusedException damaged(Exception e) {
        return new BackupRefusedException(
                "the backup is damaged or was altered (" + e.getClass().getSimpleName() + "): refused", e);
    }
}
