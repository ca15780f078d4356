package org.carnet.teleconsultation.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.carnet.teleconsultation.Envelope;

/** A document's chunk: a {@code dir} JWE in flattened JSON serialization of up to 1 MiB of plaintext. */
@Schema(
        description = "A JWE in flattened JSON serialization (RFC 7516 §7.2.2), alg dir, enc A256GCM, every member"
                + " base64url without padding: one chunk of a document (1 MiB, the last one the rest), bound by its"
                + " protected header to the consultation, the kind document-chunk and the item <documentId>/<index>"
                + " (docs/e2e.md).")
record ChunkJwe(
        @JsonProperty("protected") @NotBlank @Size(max = 2800)
        String protectedHeader,

        @NotBlank @Size(max = 100) String iv,
        @NotBlank @Size(max = 1_398_102) String ciphertext,
        @NotBlank @Size(max = 100) String tag) {

    Envelope envelope() {
        return new Envelope(protectedHeader, null, iv, ciphertext, tag);
    }

    static ChunkJwe of(Envelope envelope) {
        return new ChunkJwe(envelope.protectedHeader(), envelope.iv(), envelope.ciphertext(), envelope.tag());
    }

    @Override
    public String toString() {
        return "ChunkJwe[ciphertext of " + ciphertext.length() + " characters]";
    }
}
