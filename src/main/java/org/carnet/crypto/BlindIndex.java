package org.carnet.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import javax.crypto.Mac;
import org.springframework.stereotype.Service;

/**
 * Keyed hashes (HMAC-SHA-256) for exact-match look-ups of sealed values such as an e-mail or a
 * NIR. The purpose is part of the input so that equal values in different columns do not match.
 * Format: version byte (1) then the 32-byte MAC.
 */
@Service
public class BlindIndex {

    static final byte FORMAT_V1 = 1;

    private final KeyProvider keyProvider;

    BlindIndex(KeyProvider keyProvider) {
        this.keyProvider = keyProvider;
    }

    /** The index of a value already normalised by the caller (trimmed, lower-cased where that applies). */
    public byte[] of(String purpose, String normalizedValue) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(keyProvider.blindIndexKey());
            mac.update(purpose.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            byte[] digest = mac.doFinal(normalizedValue.getBytes(StandardCharsets.UTF_8));
            byte[] index = new byte[1 + digest.length];
            index[0] = FORMAT_V1;
            System.arraycopy(digest, 0, index, 1, digest.length);
            return index;
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("Blind-index key unusable", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 unavailable", e);
        }
    }
}
