package org.carnet.crypto;

import javax.crypto.SecretKey;

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
}
