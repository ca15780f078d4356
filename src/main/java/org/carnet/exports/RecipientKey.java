package org.carnet.exports;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Locale;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.operator.jcajce.JcaKeyFingerprintCalculator;
import org.carnet.shared.InvalidRequestException;
import org.jspecify.annotations.Nullable;

/**
 * A recipient's ASCII-armoured OpenPGP public key, checked on the way in: exactly one key, not
 * revoked, not expired at {@code now}, with a subkey (or primary key) that can encrypt.
 *
 * @param armoured the key as the recipient gave it
 * @param fingerprint the primary key's fingerprint, upper-case hex
 * @param encryptionKey the key the export is encrypted to
 */
public record RecipientKey(String armoured, String fingerprint, PGPPublicKey encryptionKey) {

    public static final int MAX_LENGTH = 64 * 1024;

    /**
     * Parses and checks an armoured public key.
     *
     * @throws InvalidRequestException naming {@code recipientKey} when it is malformed or unusable
     */
    public static RecipientKey parse(@Nullable String armoured, Instant now) {
        if (armoured == null || armoured.isBlank() || armoured.length() > MAX_LENGTH) {
            throw invalid("an ASCII-armoured OpenPGP public key is required");
        }
        if (!armoured.contains("-----BEGIN PGP PUBLIC KEY BLOCK-----")) {
            throw invalid("must be an ASCII-armoured OpenPGP public key block (-----BEGIN PGP PUBLIC KEY BLOCK-----)");
        }
        PGPPublicKeyRingCollection rings;
        try (InputStream in =
                PGPUtil.getDecoderStream(new ByteArrayInputStream(armoured.getBytes(StandardCharsets.US_ASCII)))) {
            rings = new PGPPublicKeyRingCollection(in, new JcaKeyFingerprintCalculator());
        } catch (IOException | PGPException | RuntimeException e) {
            throw invalid("is not a readable OpenPGP public key");
        }
        if (rings.size() != 1) {
            throw invalid("must hold exactly one OpenPGP public key, not " + rings.size());
        }
        PGPPublicKeyRing ring = rings.getKeyRings().next();
        PGPPublicKey primary = ring.getPublicKey();
        if (primary.hasRevocation()) {
            throw invalid("is revoked");
        }
        if (expired(primary, now)) {
            throw invalid("has expired");
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
            throw invalid("has no key that can encrypt (a signing-only key cannot receive an export)");
        }
        String fingerprint = HexFormat.of().formatHex(primary.getFingerprint()).toUpperCase(Locale.ROOT);
        return new RecipientKey(armoured.strip(), fingerprint, encryption);
    }

    private static boolean expired(PGPPublicKey key, Instant now) {
        long valid = key.getValidSeconds();
        return valid > 0 && key.getCreationTime().toInstant().plusSeconds(valid).isBefore(now);
    }

    private static InvalidRequestException invalid(String message) {
        return new InvalidRequestException("recipientKey", message);
    }

    @Override
    public String toString() {
        return "RecipientKey[" + fingerprint + "]";
    }
}
