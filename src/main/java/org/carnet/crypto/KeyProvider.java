package org.carnet.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import org.jspecify.annotations.Nullable;

/**
 * Source of the platform's long-lived keys: the master key that wraps data keys, the blind-index key and
 * the audit-signing key pair, each with its holder (docs/operations.md, "Keys").
 */
public interface KeyProvider {

    /** The identifier of the master key that wraps newly created data keys. */
    String currentMasterKeyId();

    /**
     * The master key with this identifier (older ones stay available for unwrapping): a handle only when a
     * hardware module holds it, usable with {@link #masterKeyCipher} alone.
     */
    SecretKey masterKey(String keyId);

    /** An uninitialised AES/GCM/NoPadding cipher from the provider that holds this master key. */
    Cipher masterKeyCipher(String keyId) throws GeneralSecurityException;

    /** The HMAC key behind blind indexes. */
    SecretKey blindIndexKey();

    /** The identifier of the Ed25519 key pair that signs audit checkpoints now. */
    String checkpointSigningKeyId();

    /** The Ed25519 key pair that signs audit checkpoints now. */
    KeyPair checkpointSigningKey();

    /**
     * The public key that verifies checkpoints signed under this identifier (older ones stay
     * available), or {@code null} when the identifier is unknown.
     */
    @Nullable
    PublicKey checkpointVerificationKey(String keyId);
}
