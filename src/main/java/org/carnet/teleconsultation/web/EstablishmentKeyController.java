package org.carnet.teleconsultation.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.carnet.identity.SignedIn;
import org.carnet.teleconsultation.EstablishmentKeyWrap;
import org.carnet.teleconsultation.EstablishmentKeys;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The establishment key (docs/e2e.md, "The establishment key"): its versions, wrapped, and their recipients. */
@RestController
@RequestMapping("/api/v1/teleconsultations")
@Tag(name = "Teleconsultation keys")
class EstablishmentKeyController {

    static final String BASE = "/keys/establishment";

    /** A version of the establishment key wrapped to a practitioner's current account key. */
    record EstablishmentKeyWrapUpload(
            @Min(1) @Schema(description = "The establishment key's directory version wrapped")
            int keyVersion,

            @NotNull UUID practitionerId,
            @NotNull @Valid Jwe envelope) {}

    /** A new version of the establishment key: its public keys and its wraps. */
    record EstablishmentKeySetUp(
            @NotNull
            @Size(max = 10)
            @Schema(description = "The establishment's public P-256 JWK for ECDH-ES+A256KW, published in the directory")
            Map<String, Object> encryptionKey,

            @NotNull
            @Size(max = 10)
            @Schema(description = "The establishment's public P-256 JWK for ES256, published in the directory")
            Map<String, Object> signingKey,

            @NotNull
            @Valid
            @Schema(description = "The private keys wrapped under the offline recovery code (PBES2-HS512+A256KW)")
            Jwe recoveryWrap,

            @NotNull @Size(max = 500) @Valid List<EstablishmentKeyWrapUpload> wraps) {}

    record EstablishmentKeyWraps(
            @NotNull @Size(min = 1, max = 500) @Valid List<EstablishmentKeyWrapUpload> wraps) {}

    /** A version of the establishment key wrapped to one recipient. */
    record EstablishmentKeyWrapView(
            UUID establishmentId,
            int keyVersion,

            @Schema(allowableValues = {"recovery", "practitioner"})
            String recipient,

            UUID recipientId,

            @Schema(description = "The practitioner's directory version wrapped to; none for the recovery code")
            @Nullable
            Integer recipientKeyVersion,

            Jwe envelope,
            String storedAt) {
        static EstablishmentKeyWrapView of(EstablishmentKeyWrap wrap) {
            return new EstablishmentKeyWrapView(
                    wrap.establishmentId(),
                    wrap.keyVersion(),
                    wrap.recipientKind().name().toLowerCase(java.util.Locale.ROOT),
                    wrap.recipientId(),
                    wrap.recipientKeyVersion(),
                    Jwe.of(wrap.envelope()),
                    wrap.storedAt().toString());
        }
    }

    record EstablishmentKeyHolder(
            UUID practitionerId,
            String name,
            @Nullable Integer accountKeyVersion,
            @Nullable String accountKid,
            @Nullable String departedAt,
            List<Integer> wrappedVersions,

            @Schema(description = "Versions wrapped under the recovery code that this practitioner lacks")
            List<Integer> missingVersions) {}

    record EstablishmentKeyStatus(
            UUID establishmentId,
            KeyDirectoryController.@Nullable Entry current,
            List<Integer> recoveryVersions,

            @Schema(description = "A practitioner who left holds the current version: make a new one")
            boolean rotationDue,

            List<EstablishmentKeyHolder> practitioners) {}

    record EstablishmentKeySetUpResult(KeyDirectoryController.Entry entry, List<EstablishmentKeyWrapView> wraps) {}

    private final EstablishmentKeys keys;

    EstablishmentKeyController(EstablishmentKeys keys) {
        this.keys = keys;
    }

    @GetMapping(BASE + "/status")
    @Operation(
            operationId = "getEstablishmentKeyStatus",
            summary = "The establishment key's versions and which practitioners hold them",
            description = "Establishment administrators: the current directory entry, the versions wrapped under the"
                    + " recovery code, whether a rotation is due (a practitioner who left holds the current version)"
                    + " and each practitioner's account key, departure, and versions held or missing.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "200", description = "The state")
    @ApiResponse(responseCode = "403", description = "The caller is not an establishment administrator")
    EstablishmentKeyStatus status() {
        EstablishmentKeys.Status status = keys.status(SignedIn.required());
        return new EstablishmentKeyStatus(
                status.establishmentId(),
                status.current() == null ? null : KeyDirectoryController.Entry.of(status.current()),
                status.recoveryVersions(),
                status.rotationDue(),
                status.practitioners().stream()
                        .map(p -> new EstablishmentKeyHolder(
                                p.practitionerId(),
                                p.name(),
                                p.accountKeyVersion(),
                                p.accountKid(),
                                p.departedAt() == null ? null : p.departedAt().toString(),
                                p.wrappedVersions(),
                                p.missingVersions()))
                        .toList());
    }

    @PostMapping(BASE + "/versions")
    @Operation(
            operationId = "setUpEstablishmentKey",
            summary = "Publish a new version of the establishment key with its wraps (set-up or rotation)",
            description = "Establishment administrators, all or nothing: the public keys become the establishment's"
                    + " next directory entry; the private keys are stored wrapped under the offline recovery code and"
                    + " to each listed practitioner's current account key (kind account-key, account"
                    + " establishment:<id>). A practitioner who left, or a key that is not the practitioner's current"
                    + " one, is refused.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "201", description = "The new directory entry and the wraps")
    @ApiResponse(responseCode = "400", description = "A malformed key or envelope")
    @ApiResponse(responseCode = "403", description = "The caller is not an establishment administrator")
    @ApiResponse(responseCode = "409", description = "These keys are current already, or a publication won meanwhile")
    @ApiResponse(
            responseCode = "422",
            description = "A wrap bound elsewhere, to a key that is not the practitioner's current one, or to a"
                    + " practitioner who is not of the establishment or left it")
    ResponseEntity<EstablishmentKeySetUpResult> setUp(@Valid @RequestBody EstablishmentKeySetUp body) {
        EstablishmentKeys.SetUp done = keys.setUp(
                SignedIn.required(),
                body.encryptionKey(),
                body.signingKey(),
                body.recoveryWrap().envelope(),
                uploads(body.wraps()));
        return ResponseEntity.created(URI.create("/api/v1/teleconsultations" + BASE + "/status"))
                .body(new EstablishmentKeySetUpResult(
                        KeyDirectoryController.Entry.of(done.entry()),
                        done.wraps().stream().map(EstablishmentKeyWrapView::of).toList()));
    }

    @PostMapping(BASE + "/wraps")
    @Operation(
            operationId = "wrapEstablishmentKey",
            summary = "Wrap versions of the establishment key to practitioners who lack them",
            description = "Establishment administrators, after opening the versions with the recovery code: each"
                    + " wrap to the practitioner's current account key, bound to them.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "200", description = "The wraps stored")
    @ApiResponse(responseCode = "403", description = "The caller is not an establishment administrator")
    @ApiResponse(responseCode = "409", description = "A version is already wrapped to that practitioner")
    @ApiResponse(
            responseCode = "422",
            description = "A version that does not exist, a wrap bound elsewhere or to a key not in the directory,"
                    + " or a practitioner who is not of the establishment or left it")
    List<EstablishmentKeyWrapView> wrap(@Valid @RequestBody EstablishmentKeyWraps body) {
        return keys.wrap(SignedIn.required(), uploads(body.wraps())).stream()
                .map(EstablishmentKeyWrapView::of)
                .toList();
    }

    @GetMapping(BASE + "/recovery")
    @Operation(
            operationId = "getEstablishmentKeyRecoveryWraps",
            summary = "The establishment key's versions wrapped under the offline recovery code, newest first",
            description = "Establishment administrators: they open only with the code, which Carnet never sees.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "200", description = "The wraps")
    @ApiResponse(responseCode = "403", description = "The caller is not an establishment administrator")
    List<EstablishmentKeyWrapView> recovery() {
        return keys.recoveryWraps(SignedIn.required()).stream()
                .map(EstablishmentKeyWrapView::of)
                .toList();
    }

    @GetMapping(BASE + "/mine")
    @Operation(
            operationId = "getMyEstablishmentKeyWraps",
            summary = "The establishment key's versions wrapped to the calling practitioner, newest first",
            description = "Practitioners of the establishment, who open them with their account key and with those"
                    + " the establishment's wrap of a consultation key (continuity of care).",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(
            responseCode = "200",
            description = "The wraps (none yet if the administrator has not wrapped it to them)")
    @ApiResponse(responseCode = "403", description = "The caller is not a practitioner")
    @ApiResponse(responseCode = "404", description = "The practitioner left the establishment")
    List<EstablishmentKeyWrapView> mine() {
        return keys.mine(SignedIn.required()).stream()
                .map(EstablishmentKeyWrapView::of)
                .toList();
    }

    private static List<EstablishmentKeys.PractitionerWrap> uploads(List<EstablishmentKeyWrapUpload> wraps) {
        return wraps.stream()
                .map(w -> new EstablishmentKeys.PractitionerWrap(
                        w.keyVersion(), w.practitionerId(), w.envelope().envelope()))
                .toList();
    }
}
