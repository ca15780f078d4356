package org.carnet.crypto;

import java.security.KeyPair;
import java.security.PublicKey;
import javax.crypto.SecretKey;
import org.jspecify.annotations.Nullable;

/**
 * Source of the platform's long-lived keys. The default keeps them in a local keystore file; a
 * production deployment provides one backed by a KMS or Vault.
 */
public interface KeyProvider {

    /** The identifier of the master key that wraps newly created data keys. */
    String currentMasterKeyId();

    /** The master key with this identifier (older ones stay available for unwrapping). */
    SecretKey masterKey(String keyId);

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
