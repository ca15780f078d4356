package org.carnet.teleconsultation.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.carnet.identity.SignedIn;
import org.carnet.shared.NotFoundException;
import org.carnet.teleconsultation.KeyDirectory;
import org.carnet.teleconsultation.KeyDirectoryEntry;
import org.carnet.teleconsultation.SubjectKind;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/teleconsultations")
@Tag(name = "Teleconsultation keys")
class KeyDirectoryController {

    /** The two public keys a user or establishment publishes. */
    record PublishKeys(
            @NotNull
            @Size(max = 10)
            @Schema(description = "Public P-256 EC JWK for ECDH-ES+A256KW (kty, crv, x, y; alg, use, kid optional)")
            Map<String, Object> encryptionKey,

            @NotNull
            @Size(max = 10)
            @Schema(description = "Public P-256 EC JWK for ES256 (kty, crv, x, y; alg, use, kid optional)")
            Map<String, Object> signingKey) {}

    /** One directory entry, with everything a client needs to check it (docs/e2e.md). */
    record Entry(
            String subjectKind,
            UUID subjectId,
            int version,

            @Schema(description = "The canonical JWK, exactly as hashed")
            String encryptionJwk,

            @Schema(description = "RFC 7638 SHA-256 thumbprint of the encryption key")
            String encryptionKid,

            @Schema(description = "The canonical JWK, exactly as hashed")
            String signingJwk,

            String signingKid,
            String publishedAt,

            @Schema(description = "publishedAt in microseconds since the epoch, as hashed")
            long publishedAtMicros,

            @Schema(description = "base64url: the subject's previous entryHash, 32 zero bytes for version 1")
            String prevHash,

            @Schema(description = "base64url SHA-256 of the entry's canonical encoding")
            String entryHash,

            String serverKeyId,

            @Schema(description = "base64url Ed25519 signature of the entry hash by Carnet's key")
            String serverSignature) {

        static Entry of(KeyDirectoryEntry e) {
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            long micros = e.publishedAt().getEpochSecond() * 1_000_000L
                    + e.publishedAt().getNano() / 1_000L;
            return new Entry(
                    e.subjectKind().code(),
                    e.subjectId(),
                    e.version(),
                    e.encryptionJwk(),
                    e.encryptionKid(),
                    e.signingJwk(),
                    e.signingKid(),
                    e.publishedAt().toString(),
                    micros,
                    b64.encodeToString(e.prevHash()),
                    b64.encodeToString(e.entryHash()),
                    e.serverKeyId(),
                    b64.encodeToString(e.serverSignature()));
        }
    }

    /** Carnet's Ed25519 key that signs directory entries, as a JWK (RFC 8037). */
    record SigningKey(String keyId, String kty, String crv, String x) {}

    private final KeyDirectory directory;

    KeyDirectoryController(KeyDirectory directory) {
        this.directory = directory;
    }

    @PostMapping("/keys/me")
    @Operation(
            operationId = "publishMyKeys",
            summary = "Publish the caller's public keys (a new directory entry)",
            description = "Patients and practitioners. A new entry, chained to the caller's previous one and signed by"
                    + " Carnet; publishing the current keys again changes nothing. Clients that pinned the earlier"
                    + " entry see the change. A patient's keys are recorded in their access log.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "200", description = "The caller's current entry")
    @ApiResponse(responseCode = "403", description = "The caller is neither a patient nor a practitioner")
    @ApiResponse(responseCode = "409", description = "Another publication for the caller committed meanwhile")
    Entry publishMine(@Valid @RequestBody PublishKeys keys) {
        return Entry.of(directory.publish(SignedIn.required(), keys.encryptionKey(), keys.signingKey()));
    }

    @PostMapping("/keys/establishment")
    @Operation(
            operationId = "publishEstablishmentKeys",
            summary = "Publish the administrator's establishment's public keys (a new directory entry)",
            description = "Establishment administrators only. The private keys stay with the establishment.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "200", description = "The establishment's current entry")
    @ApiResponse(responseCode = "403", description = "The caller is not an establishment administrator")
    @ApiResponse(responseCode = "409", description = "Another publication for the establishment committed meanwhile")
    Entry publishEstablishment(@Valid @RequestBody PublishKeys keys) {
        return Entry.of(directory.publish(SignedIn.required(), keys.encryptionKey(), keys.signingKey()));
    }

    @GetMapping("/keys/{kind}/{subjectId}")
    @Operation(
            operationId = "getCurrentKeys",
            summary = "A subject's current directory entry",
            description =
                    "A practitioner's or an establishment's, for any signed-in user; a patient's, for that patient"
                            + " only (recorded in their access log).",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "200", description = "The current entry")
    @ApiResponse(responseCode = "404", description = "No keys published, or not the caller's to read")
    Entry current(
            @PathVariable @Parameter(schema = @Schema(allowableValues = {"patient", "practitioner", "establishment"}))
                    String kind,
            @PathVariable UUID subjectId) {
        return Entry.of(directory.current(SignedIn.required(), SubjectKind.ofCode(kind), subjectId));
    }

    @GetMapping("/keys/{kind}/{subjectId}/history")
    @Operation(
            operationId = "getKeyHistory",
            summary = "A subject's directory entries from a version on, oldest first (at most 100)",
            description = "Each entry links to the one before (prevHash) and is signed by Carnet: a client that pinned"
                    + " version n reads from n and checks the chain up to the current entry. Who may read: as for the"
                    + " current entry.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "200", description = "The entries (none if no keys or not the caller's to read)")
    @ApiResponse(responseCode = "404", description = "A patient's entries, read by someone else")
    List<Entry> history(
            @PathVariable @Parameter(schema = @Schema(allowableValues = {"patient", "practitioner", "establishment"}))
                    String kind,
            @PathVariable UUID subjectId,
            @RequestParam(defaultValue = "1") @Parameter(description = "the first version wanted") int from) {
        return directory.history(SignedIn.required(), SubjectKind.ofCode(kind), subjectId, from).stream()
                .map(Entry::of)
                .toList();
    }

    @GetMapping("/key-directory/signing-key")
    @Operation(
            operationId = "getKeyDirectorySigningKey",
            summary = "Carnet's Ed25519 public key that signs key directory entries",
            description = "No sign-in. An OKP JWK (RFC 8037) and its key id, as named by each entry's serverKeyId:"
                    + " the key signing new entries, or with keyId the one that signed an older entry (after a"
                    + " rotation of Carnet's signing key, entries keep the key id they were signed under).")
    @ApiResponse(responseCode = "200", description = "The public key")
    @ApiResponse(responseCode = "404", description = "No key has this id")
    SigningKey signingKey(
            @RequestParam(required = false)
                    @Size(max = 64)
                    @Parameter(description = "an entry's serverKeyId; without it, the key signing new entries")
                    String keyId) {
        Map.Entry<String, PublicKey> key = directory.signingKey();
        if (keyId != null && !keyId.equals(key.getKey())) {
            PublicKey older = directory.verificationKey(keyId);
            if (older == null) {
                throw new NotFoundException("Signing key");
            }
            key = Map.entry(keyId, older);
        }
        byte[] spki = key.getValue().getEncoded();
        // An Ed25519 SubjectPublicKeyInfo ends with the 32-byte raw key (RFC 8410).
        byte[] raw = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
        return new SigningKey(
                key.getKey(),
                "OKP",
                "Ed25519",
                Base64.getUrlEncoder().withoutPadding().encodeToString(raw));
    }
}
