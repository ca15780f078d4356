package org.carnet.teleconsultation.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.carnet.teleconsultation.Envelope;
import org.jspecify.annotations.Nullable;

/** A JWE in flattened JSON serialization (RFC 7516 §7.2.2): the members the API takes and gives. */
@Schema(
        description =
                "A JWE in flattened JSON serialization (RFC 7516 §7.2.2), every member base64url without"
                        + " padding. No header, unprotected or aad member: what binds it is in the protected header (docs/e2e.md).")
record Jwe(
        @JsonProperty("protected") @NotBlank @Size(max = 2800)
        String protectedHeader,

        @JsonProperty("encrypted_key") @Size(max = 100) @Nullable
        String encryptedKey,

        @NotBlank @Size(max = 100) String iv,
        @NotBlank @Size(max = 180_000) String ciphertext,
        @NotBlank @Size(max = 100) String tag) {

    static Jwe of(Envelope envelope) {
        return new Jwe(
                envelope.protectedHeader(),
                envelope.encryptedKey(),
                envelope.iv(),
                envelope.ciphertext(),
                envelope.tag());
    }

    Envelope envelope() {
        return new Envelope(protectedHeader, encryptedKey, iv, ciphertext, tag);
    }

    @Override
    public String toString() {
        return "Jwe[ciphertext of " + ciphertext.length() + " characters]";
    }
}
