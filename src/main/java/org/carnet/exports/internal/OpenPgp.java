package org.carnet.exports.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPrivateKey;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.carnet.crypto.KeyProvider;
import org.carnet.crypto.OpenPgpMessages;
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

    private final KeyProvider keys;

    OpenPgp(KeyProvider keys) {
        this.keys = keys;
    }

    private record Signer(PGPPublicKey publicKey, PGPPrivateKey privateKey) {}

    private Signer signer() {
        KeyPair pair = keys.checkpointSigningKey();
        return new Signer(OpenPgpMessages.signingKey(pair.getPublic()), OpenPgpMessages.signingPrivateKey(pair));
    }

    /** Carnet's signing key, ASCII-armoured, with its self-signed user id: what {@code gpg --import} takes. */
    public String signingKey() {
        try {
            Signer signer = signer();
            PGPSignatureGenerator certifier =
                    new PGPSignatureGenerator(OpenPgpMessages.contentSigner(), signer.publicKey());
            certifier.init(PGPSignature.POSITIVE_CERTIFICATION, signer.privateKey());
            PGPSignatureSubpacketGenerator hashed = new PGPSignatureSubpacketGenerator();
            hashed.setSignatureCreationTime(false, OpenPgpMessages.keyCreated());
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
        return OpenPgpMessages.encryptAndSign(out, recipient, keys.checkpointSigningKey(), fileName, now, false);
    }
}
