package org.carnet.teleconsultation.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.carnet.identity.SignedIn;
import org.carnet.shared.NotFoundException;
import org.carnet.teleconsultation.AccountDevice;
import org.carnet.teleconsultation.AccountKeyWrap;
import org.carnet.teleconsultation.AccountKeys;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/teleconsultations")
@Tag(name = "Teleconsultation keys")
class AccountKeyController {

    private static final Pattern KID = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final String DEVICES = "/keys/me/devices";

    /** The account key's set-up: its public keys, this device's key, and the account key wrapped to both. */
    record AccountSetUp(
            @NotNull
            @Size(max = 10)
            @Schema(description = "The account's public P-256 JWK for ECDH-ES+A256KW, published in the directory")
            Map<String, Object> encryptionKey,

            @NotNull
            @Size(max = 10)
            @Schema(description = "The account's public P-256 JWK for ES256, published in the directory")
            Map<String, Object> signingKey,

            @NotNull
            @Size(max = 10)
            @Schema(description = "This device's own public P-256 JWK (ECDH-ES+A256KW); never published")
            Map<String, Object> deviceKey,

            @NotNull @Valid @Schema(description = "The account key wrapped to the device key (kind account-key)")
            Jwe deviceWrap,

            @NotNull
            @Valid
            @Schema(description = "The account key wrapped under the recovery code (PBES2-HS512+A256KW)")
            Jwe recoveryWrap) {}

    /** The account key (named by its encryption kid) wrapped to a device. */
    record WrapUpload(
            @NotBlank @Size(max = 64) @Schema(description = "The encryption kid of the account key wrapped")
            String accountKid,

            @NotNull @Valid Jwe envelope) {}

    /** A device to register: pending without wraps, linked at once with wraps made after a recovery. */
    record DeviceRegistration(
            @NotNull @Size(max = 10) @Schema(description = "The device's own public P-256 JWK (ECDH-ES+A256KW)")
            Map<String, Object> deviceKey,

            @Size(max = 10) @Valid @Nullable List<WrapUpload> wraps) {}

    /** A new recovery code: every account key version wrapped under it, and the proof that this device holds the key. */
    record RecoveryReplacement(
            @NotNull @Size(min = 1, max = 10) @Valid List<WrapUpload> wraps,

            @NotBlank
            @Size(max = 2000)
            @Schema(
                    description = "A compact JWS (ES256) by the signing key of the caller's current directory entry"
                            + " over {\"v\":1,\"account\",\"kind\":\"recovery-replacement\",\"tags\":[the new wraps'"
                            + " tags],\"iat\"}")
            String proof) {

        /** Counts only: a request's text may reach a log, and the proof is the account's signature. */
        @Override
        public String toString() {
            return "RecoveryReplacement[" + (wraps == null ? 0 : wraps.size()) + " wraps, a proof of "
                    + (proof == null ? 0 : proof.length()) + " characters]";
        }
    }

    /** The account key wrapped to a device of the caller's, by another device of theirs. */
    record Wraps(@NotNull @Size(min = 1, max = 10) @Valid List<WrapUpload> wraps) {}

    /** One of the caller's devices, with its fingerprint (the kid) to compare with what the device shows. */
    record Device(
            String deviceKid,
            String deviceJwk,
            String status,
            String registeredAt,
            @Nullable String linkedAt) {
        static Device of(AccountDevice device) {
            return new Device(
                    device.deviceKid(),
                    device.deviceJwk(),
                    device.linked() ? "linked" : "pending",
                    device.registeredAt().toString(),
                    device.linkedAt() == null ? null : device.linkedAt().toString());
        }
    }

    /** A wrap of the account key as served to its holder. */
    record WrapView(String accountKid, String recipient, Jwe envelope, String storedAt) {
        static WrapView of(AccountKeyWrap wrap) {
            return new WrapView(
                    wrap.accountKid(),
                    wrap.recipient(),
                    Jwe.of(wrap.envelope()),
                    wrap.storedAt().toString());
        }
    }

    record SetUpResult(KeyDirectoryController.Entry entry, Device device) {}

    private final AccountKeys accountKeys;

    AccountKeyController(AccountKeys accountKeys) {
        this.accountKeys = accountKeys;
    }

    @PostMapping("/keys/me/account")
    @Operation(
            operationId = "setUpAccountKey",
            summary = "Set the caller's account key up: publish it, register this device, store its two wraps",
            description = "Patients and practitioners, all or nothing: the account's public keys become the caller's"
                    + " new directory entry, the device is registered as linked, and the account key is stored"
                    + " wrapped to the device's key and under the recovery code (docs/e2e.md, \"Account key,"
                    + " devices and recovery\"). Each wrap must be bound to the caller and its recipient.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "201", description = "The new directory entry and the device")
    @ApiResponse(responseCode = "400", description = "A malformed key or envelope")
    @ApiResponse(responseCode = "403", description = "The caller is neither a patient nor a practitioner")
    @ApiResponse(responseCode = "409", description = "This account key is already wrapped there, or too many devices")
    @ApiResponse(responseCode = "422", description = "A wrap bound to another person, device or key")
    ResponseEntity<SetUpResult> setUp(@Valid @RequestBody AccountSetUp body) {
        AccountKeys.SetUp done = accountKeys.setUp(
                SignedIn.required(),
                body.encryptionKey(),
                body.signingKey(),
                body.deviceKey(),
                body.deviceWrap().envelope(),
                body.recoveryWrap().envelope());
        return ResponseEntity.created(URI.create("/api/v1/teleconsultations" + DEVICES))
                .body(new SetUpResult(KeyDirectoryController.Entry.of(done.entry()), Device.of(done.device())));
    }

    @PostMapping(DEVICES)
    @Operation(
            operationId = "registerDevice",
            summary = "Register a device of the caller's",
            description = "Without wraps the device is pending: another device of the caller's, after its user"
                    + " compared the fingerprints, links it. With wraps (made by this device's client after opening"
                    + " the recovery wrap with the code) it is linked at once.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "201", description = "The device")
    @ApiResponse(responseCode = "400", description = "A malformed key or envelope")
    @ApiResponse(responseCode = "403", description = "The caller is neither a patient nor a practitioner")
    @ApiResponse(
            responseCode = "409",
            description = "The device is registered already or was removed, or too many devices")
    @ApiResponse(responseCode = "422", description = "A wrap bound elsewhere, or of a key the caller never published")
    ResponseEntity<Device> register(@Valid @RequestBody DeviceRegistration body) {
        AccountDevice device = accountKeys.register(
                SignedIn.required(), body.deviceKey(), body.wraps() == null ? List.of() : uploads(body.wraps()));
        return ResponseEntity.created(URI.create("/api/v1/teleconsultations" + DEVICES + "/" + device.deviceKid()))
                .body(Device.of(device));
    }

    @GetMapping(DEVICES)
    @Operation(
            operationId = "listDevices",
            summary = "The caller's devices, pending and linked, with their fingerprints",
            description = "A patient's reading is recorded in their access log.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "200", description = "The devices, oldest first")
    @ApiResponse(responseCode = "403", description = "The caller is neither a patient nor a practitioner")
    List<Device> devices() {
        return accountKeys.devices(SignedIn.required()).stream().map(Device::of).toList();
    }

    @PostMapping(DEVICES + "/{deviceKid}/wraps")
    @Operation(
            operationId = "linkDevice",
            summary = "Link a device of the caller's: the account key wrapped to it by another device",
            description = "The client of a device that holds the account key wraps it to the pending device's key,"
                    + " after its user compared that device's fingerprint with the one the new device shows: the"
                    + " comparison is what keeps Carnet from slipping a device key of its own in. Each wrap must be"
                    + " bound to the caller and to this device.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "200", description = "The device, linked")
    @ApiResponse(responseCode = "400", description = "A malformed envelope")
    @ApiResponse(responseCode = "404", description = "No such device of the caller's")
    @ApiResponse(responseCode = "409", description = "This account key is already wrapped to the device")
    @ApiResponse(responseCode = "422", description = "A wrap bound elsewhere, or of a key the caller never published")
    Device link(
            @PathVariable @Parameter(description = "the device key's RFC 7638 thumbprint") String deviceKid,
            @Valid @RequestBody Wraps body) {
        return Device.of(accountKeys.link(SignedIn.required(), checkedKid(deviceKid), uploads(body.wraps())));
    }

    @DeleteMapping(DEVICES + "/{deviceKid}")
    @Operation(
            operationId = "removeDevice",
            summary = "Remove a device of the caller's: its wraps deleted, its key refused from then on",
            description = "The account key's wraps to the device are deleted; from then on its wraps are not found,"
                    + " and it cannot be linked or registered again with the same key (409). What the device already"
                    + " opened it keeps: after removing a lost or stolen device, set up a new account key version"
                    + " (docs/e2e.md, \"Removing a device\"). A patient's removal is recorded in their access log.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "204", description = "Removed")
    @ApiResponse(responseCode = "403", description = "The caller is neither a patient nor a practitioner")
    @ApiResponse(responseCode = "404", description = "No such device of the caller's, or removed already")
    ResponseEntity<Void> remove(
            @PathVariable @Parameter(description = "the device key's RFC 7638 thumbprint") String deviceKid) {
        accountKeys.remove(SignedIn.required(), checkedKid(deviceKid));
        return ResponseEntity.noContent().build();
    }

    @GetMapping(DEVICES + "/{deviceKid}/wraps")
    @Operation(
            operationId = "getDeviceWraps",
            summary = "The account key(s) wrapped to one of the caller's devices, newest first",
            description = "Only that device's private key opens them (ECDH-ES+A256KW). A patient's reading is recorded"
                    + " in their access log.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "200", description = "The wraps (none while the device is pending)")
    @ApiResponse(responseCode = "404", description = "No such device of the caller's")
    List<WrapView> deviceWraps(
            @PathVariable @Parameter(description = "the device key's RFC 7638 thumbprint") String deviceKid) {
        return accountKeys.deviceWraps(SignedIn.required(), checkedKid(deviceKid)).stream()
                .map(WrapView::of)
                .toList();
    }

    @GetMapping("/keys/me/recovery")
    @Operation(
            operationId = "getRecoveryWraps",
            summary = "The caller's account key(s) wrapped under their recovery code, newest first",
            description = "Opened only by the client that holds the code (PBES2-HS512+A256KW); a code has at least"
                    + " 128 bits of randomness, so a copy of these wraps cannot be brute-forced.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "200", description = "The wraps (none before the set-up)")
    @ApiResponse(responseCode = "403", description = "The caller is neither a patient nor a practitioner")
    List<WrapView> recoveryWraps() {
        return accountKeys.recoveryWraps(SignedIn.required()).stream()
                .map(WrapView::of)
                .toList();
    }

    @PostMapping("/keys/me/recovery")
    @Operation(
            operationId = "replaceRecoveryCode",
            summary = "Replace the caller's recovery code: new recovery wraps instead of the old ones",
            description = "The account key version(s), wrapped under a new code by the caller's device"
                    + " (PBES2-HS512+A256KW), replace every wrap under the old code at once: the old code opens"
                    + " nothing from then on. The device proves it holds the account key with a JWS by the current"
                    + " signing key over the new wraps' tags, made within five minutes; every version the old code"
                    + " wrapped must be wrapped again (docs/e2e.md, \"A new recovery code\").",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "200", description = "The new recovery wraps, newest first")
    @ApiResponse(responseCode = "400", description = "A malformed envelope, or a version wrapped twice")
    @ApiResponse(
            responseCode = "403",
            description = "Not a patient or practitioner, or the proof is not by the current signing key over"
                    + " these wraps, just now")
    @ApiResponse(responseCode = "409", description = "The caller has no account key")
    @ApiResponse(
            responseCode = "422",
            description = "A wrap bound elsewhere, of a key never published, or a version the old code wrapped is"
                    + " missing")
    List<WrapView> replaceRecovery(@Valid @RequestBody RecoveryReplacement body) {
        return accountKeys.replaceRecovery(SignedIn.required(), uploads(body.wraps()), body.proof()).stream()
                .map(WrapView::of)
                .toList();
    }

    private static String checkedKid(String deviceKid) {
        if (!KID.matcher(deviceKid).matches()) {
            throw new NotFoundException("Device");
        }
        return deviceKid;
    }

    private static List<AccountKeys.Wrap> uploads(List<WrapUpload> wraps) {
        return wraps.stream()
                .map(w -> new AccountKeys.Wrap(w.accountKid(), w.envelope().envelope()))
                .toList();
    }
}
