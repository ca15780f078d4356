package org.carnet.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import org.jspecify.annotations.Nullable;
import org.springframework.lang.Contract;
import org.springframework.stereotype.Service;

/**
 * Seals and opens personal fields: AES-256-GCM under the owner's data key, associated data = table,
 * column and row. Format: version byte (1), data key version (4 bytes), IV (12 bytes), ciphertext
 * and tag.
 */
@Service
public class FieldSealer {

    static final byte FORMAT_V1 = 1;
    private static final int HEADER = 1 + 4 + 12;
    private static final int TAG_BITS = 128;

    private final DataKeys dataKeys;
    private final SecureRandom random;

    FieldSealer(DataKeys dataKeys, SecureRandom random) {
        this.dataKeys = dataKeys;
        this.random = random;
    }

    /** Seals a value; {@code null} stays {@code null}. */
    @Contract("_, _, !null -> !null")
    public byte @Nullable [] seal(KeyOwner owner, SealedColumn where, @Nullable String plaintext) {
        if (owner.type() == KeyOwner.Type.ESTABLISHMENT_INDEX) {
            throw new IllegalArgumentException("A blind-index key seals nothing");
        }
        if (plaintext == null) {
            return null;
        }
        return seal(dataKeys.current(owner), where, plaintext);
    }

    /**
     * Opens a sealed value and seals it again under the owner's data key of this version (key rotation); the
     * associated data stays the same, so it belongs where it was.
     */
    byte[] reseal(KeyOwner owner, SealedColumn where, byte[] sealed, int version) {
        return seal(new DataKeys.DataKey(version, dataKeys.version(owner, version)), where, open(owner, where, sealed));
    }

    /**
     * The version of the owner's data key that a sealed value was sealed with, and that opens it (bytes 1 to 4
     * of its header).
     */
    public static int keyVersion(byte[] sealed) {
        if (sealed.length < HEADER || sealed[0] != FORMAT_V1) {
            throw new IllegalArgumentException("Unknown sealed format");
        }
        return ByteBuffer.wrap(sealed, 1, 4).getInt();
    }

    private byte[] seal(DataKeys.DataKey key, SealedColumn where, String plaintext) {
        byte[] iv = new byte[12];
        random.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key.key(), new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(where.associatedData());
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(HEADER + sealed.length)
                    .put(FORMAT_V1)
                    .putInt(key.version())
                    .put(iv)
                    .put(sealed)
                    .array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot seal " + where, e);
        }
    }

    /** Opens a sealed value; fails if it was altered or moved to another table, column or row. */
    @Contract("_, _, !null -> !null")
    public @Nullable String open(KeyOwner owner, SealedColumn where, byte @Nullable [] sealed) {
        if (sealed == null) {
            return null;
        }
        if (sealed.length < HEADER || sealed[0] != FORMAT_V1) {
            throw new IllegalStateException("Unknown sealed format in " + where);
        }
        int version = keyVersion(sealed);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(
                    Cipher.DECRYPT_MODE,
                    dataKeys.version(owner, version),
                    new GCMParameterSpec(TAG_BITS, sealed, 5, 12));
            cipher.updateAAD(where.associatedData());
            return new String(cipher.doFinal(sealed, HEADER, sealed.length - HEADER), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot open " + where + ": altered or misplaced", e);
        }
    }
}
