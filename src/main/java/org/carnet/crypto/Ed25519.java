package org.carnet.crypto;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.jspecify.annotations.Nullable;

/**
 * Ed25519 signatures (RFC 8032) with Bouncy Castle's implementation, about twenty times faster than
 * the JDK 17 one (50 µs against 1 ms a signature here): the audit sealer signs a chain head per seal,
 * several per booking. The signatures are the same bytes whichever implementation makes them (Ed25519
 * is deterministic) and verify with either. A key that does not leave its PKCS#11 token is handed the
 * message and signed with by the token ({@link Pkcs11SigningKeys}).
 */
public final class Ed25519 {

    /** Keys decoded once: the key provider hands out the same few key objects. */
    private static final Map<Object, AsymmetricKeyParameter> DECODED = new ConcurrentHashMap<>();

    private Ed25519() {}

    /** The signature of the concatenated parts. */
    public static byte[] sign(PrivateKey key, byte[]... parts) {
        if (key instanceof Pkcs11SigningKeys.TokenKey onToken) {
            return onToken.sign(concatenated(parts));
        }
        if (decoded(key) instanceof Ed25519PrivateKeyParameters software) {
            Ed25519Signer signer = new Ed25519Signer();
            signer.init(true, software);
            for (byte[] part : parts) {
                signer.update(part, 0, part.length);
            }
            return signer.generateSignature();
        }
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(key);
            for (byte[] part : parts) {
                signer.update(part);
            }
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot make an Ed25519 signature", e);
        }
    }

    /** Whether the signature over the concatenated parts is the key's; false for any malformed input. */
    public static boolean verify(PublicKey key, byte[] signature, byte[]... parts) {
        if (decoded(key) instanceof Ed25519PublicKeyParameters software) {
            Ed25519Signer verifier = new Ed25519Signer();
            verifier.init(false, software);
            for (byte[] part : parts) {
                verifier.update(part, 0, part.length);
            }
            return verifier.verifySignature(signature);
        }
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            for (byte[] part : parts) {
                verifier.update(part);
            }
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] concatenated(byte[]... parts) {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }

    private static @Nullable AsymmetricKeyParameter decoded(java.security.Key key) {
        AsymmetricKeyParameter known = DECODED.get(key);
        if (known != null) {
            return known;
        }
        byte[] encoded = key.getEncoded();
        if (encoded == null
                || !"Ed25519".equalsIgnoreCase(key.getAlgorithm()) && !"EdDSA".equalsIgnoreCase(key.getAlgorithm())) {
            return null;
        }
        try {
            AsymmetricKeyParameter parameters = key instanceof PrivateKey
                    ? PrivateKeyFactory.createKey(encoded)
                    : PublicKeyFactory.createKey(encoded);
            if (DECODED.size() < 64) {
                DECODED.put(key, parameters);
            }
            return parameters;
        } catch (IOException | RuntimeException e) {
            return null; // not an encoding Bouncy Castle reads: the JCA path decides
        }
    }
}
