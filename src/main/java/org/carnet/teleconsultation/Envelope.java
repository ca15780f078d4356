package org.carnet.teleconsultation;

import org.jspecify.annotations.Nullable;

/**
 * A JWE in flattened JSON serialization (RFC 7516 §7.2.2), as the client made it: every member
 * base64url. The server checks its shape and never opens it. No {@code header}, {@code unprotected} or
 * {@code aad} member: everything a client must check is in the integrity-protected header.
 *
 * @param protectedHeader the {@code protected} member
 * @param encryptedKey the {@code encrypted_key} member; absent for {@code dir}
 */
public record Envelope(
        String protectedHeader, @Nullable String encryptedKey, String iv, String ciphertext, String tag) {

    /** The flattened JSON serialization, members in this fixed order (all values base64url: no escaping). */
    public String json() {
        return "{\"protected\":\"" + protectedHeader + "\""
                + (encryptedKey == null ? "" : ",\"encrypted_key\":\"" + encryptedKey + "\"")
                + ",\"iv\":\"" + iv + "\",\"ciphertext\":\"" + ciphertext + "\",\"tag\":\"" + tag + "\"}";
    }

    @Override
    public String toString() {
        return "Envelope[ciphertext of " + ciphertext.length() + " characters]";
    }
}
