package org.carnet.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import org.springframework.stereotype.Service;

/**
 * Keyed hashes (HMAC-SHA-256) for exact-match look-ups of sealed values such as an e-mail or a NIR: the
 * MAC of {@code purpose ‖ 0 ‖ value}, so that equal values in different columns do not match, after a
 * format byte. Two keys:
 *
 * <ul>
 *   <li>format 1, {@link #of}: the platform's blind-index key, for what belongs to the platform (logins'
 *       e-mail addresses, accounts' NIR, codes, rate-limit counters, programs' pseudonyms);
 *   <li>format 2, {@link #ofEstablishment}: the establishment's own blind-index key, a random 256-bit key
 *       kept in {@code data_keys} wrapped by the master key like its data keys, for what belongs to one
 *       establishment (its patient files' look-ups). Two establishments' indexes of the same value are
 *       unrelated without the keys, and destroying the establishment's keys (crypto-shredding) destroys
 *       this one too: its indexes are then noise that no one can match.
 * </ul>
 */
@Service
public class BlindIndex {

    static final byte FORMAT_V1 = 1;
    /** Under an establishment's own blind-index key. */
    public static final byte FORMAT_ESTABLISHMENT = 2;

    private final KeyProvider keyProvider;
    private final DataKeys dataKeys;

    BlindIndex(KeyProvider keyProvider, DataKeys dataKeys) {
        this.keyProvider = keyProvider;
        this.dataKeys = dataKeys;
    }

    /**
     * The platform's index of a value already normalised by the caller (trimmed, lower-cased where that
     * applies).
     */
    public byte[] of(String purpose, String normalizedValue) {
        return mac(FORMAT_V1, keyProvider.blindIndexKey(), purpose, normalizedValue);
    }

    /**
     * The index of a value of one establishment, under that establishment's blind-index key (made on first
     * use, then kept in memory like its data keys): no database round trip once this node has read it.
     *
     * @throws KeyShreddedException once the establishment's keys were destroyed
     */
    public byte[] ofEstablishment(UUID establishmentId, String purpose, String normalizedValue) {
        SecretKey key =
                dataKeys.current(KeyOwner.establishmentIndex(establishmentId)).key();
        return mac(FORMAT_ESTABLISHMENT, key, purpose, normalizedValue);
    }

    private static byte[] mac(byte format, SecretKey key, String purpose, String normalizedValue) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(purpose.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            byte[] digest = mac.doFinal(normalizedValue.getBytes(StandardCharsets.UTF_8));
            byte[] index = new byte[1 + digest.length];
            index[0] = format;
            System.arraycopy(digest, 0, index, 1, digest.length);
            return index;
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("Blind-index key unusable", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 unavailable", e);
        }
    }
}
