package org.carnet.teleconsultation.web;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The teleconsultation API's routes for Carnet's own pages: the same operations, answers and problems
 * as under {@code /api/v1/teleconsultations}, reached with the page's session and its CSRF token
 * instead of a bearer token, so that the browser never holds an API token. The browser's script does
 * all the cryptography (static/js/e2e.js); these routes carry public keys, wraps and ciphertext only.
 */
@RestController
@RequestMapping("/e2e")
class BrowserClientController {

    private final KeyDirectoryController keys;
    private final AccountKeyController accountKeys;
    private final ConsultationController consultations;
    private final ExchangeController exchanges;
    private final EstablishmentKeyController establishmentKeys;

    BrowserClientController(
            KeyDirectoryController keys,
            AccountKeyController accountKeys,
            ConsultationController consultations,
            ExchangeController exchanges,
            EstablishmentKeyController establishmentKeys) {
        this.keys = keys;
        this.accountKeys = accountKeys;
        this.consultations = consultations;
        this.exchanges = exchanges;
        this.establishmentKeys = establishmentKeys;
    }

    @GetMapping("/signing-key")
    KeyDirectoryController.SigningKey signingKey(@RequestParam(required = false) @Size(max = 64) String keyId) {
        return keys.signingKey(keyId);
    }

    @PostMapping("/keys/me")
    KeyDirectoryController.Entry publishMine(@Valid @RequestBody KeyDirectoryController.PublishKeys body) {
        return keys.publishMine(body);
    }

    @PostMapping("/keys/me/account")
    ResponseEntity<AccountKeyController.SetUpResult> setUpAccountKey(
            @Valid @RequestBody AccountKeyController.AccountSetUp body) {
        return accountKeys.setUp(body);
    }

    @PostMapping("/keys/me/devices")
    ResponseEntity<AccountKeyController.Device> registerDevice(
            @Valid @RequestBody AccountKeyController.DeviceRegistration body) {
        return accountKeys.register(body);
    }

    @GetMapping("/keys/me/devices")
    List<AccountKeyController.Device> devices() {
        return accountKeys.devices();
    }

    @PostMapping("/keys/me/devices/{deviceKid}/wraps")
    AccountKeyController.Device linkDevice(
            @PathVariable String deviceKid, @Valid @RequestBody AccountKeyController.Wraps body) {
        return accountKeys.link(deviceKid, body);
    }

    @DeleteMapping("/keys/me/devices/{deviceKid}")
    ResponseEntity<Void> removeDevice(@PathVariable String deviceKid) {
        return accountKeys.remove(deviceKid);
    }

    @GetMapping("/keys/me/devices/{deviceKid}/wraps")
    List<AccountKeyController.WrapView> deviceWraps(@PathVariable String deviceKid) {
        return accountKeys.deviceWraps(deviceKid);
    }

    @PostMapping("/keys/me/recovery")
    List<AccountKeyController.WrapView> replaceRecovery(
            @Valid @RequestBody AccountKeyController.RecoveryReplacement body) {
        return accountKeys.replaceRecovery(body);
    }

    @GetMapping("/keys/me/recovery")
    List<AccountKeyController.WrapView> recoveryWraps() {
        return accountKeys.recoveryWraps();
    }

    @GetMapping("/keys/establishment/status")
    EstablishmentKeyController.EstablishmentKeyStatus establishmentKeyStatus() {
        return establishmentKeys.status();
    }

    @PostMapping("/keys/establishment/versions")
    ResponseEntity<EstablishmentKeyController.EstablishmentKeySetUpResult> setUpEstablishmentKey(
            @Valid @RequestBody EstablishmentKeyController.EstablishmentKeySetUp body) {
        return establishmentKeys.setUp(body);
    }

    @PostMapping("/keys/establishment/wraps")
    List<EstablishmentKeyController.EstablishmentKeyWrapView> wrapEstablishmentKey(
            @Valid @RequestBody EstablishmentKeyController.EstablishmentKeyWraps body) {
        return establishmentKeys.wrap(body);
    }

    @GetMapping("/keys/establishment/recovery")
    List<EstablishmentKeyController.EstablishmentKeyWrapView> establishmentKeyRecovery() {
        return establishmentKeys.recovery();
    }

    @GetMapping("/keys/establishment/mine")
    List<EstablishmentKeyController.EstablishmentKeyWrapView> myEstablishmentKeys() {
        return establishmentKeys.mine();
    }

    @GetMapping("/consultations/{appointmentId}/keys/establishment")
    ConsultationController.WrappedKey establishmentWrap(@PathVariable UUID appointmentId) {
        return consultations.establishment(appointmentId);
    }

    @GetMapping("/keys/{kind}/{subjectId}")
    KeyDirectoryController.Entry current(@PathVariable String kind, @PathVariable UUID subjectId) {
        return keys.current(kind, subjectId);
    }

    @GetMapping("/keys/{kind}/{subjectId}/history")
    List<KeyDirectoryController.Entry> history(
            @PathVariable String kind, @PathVariable UUID subjectId, @RequestParam(defaultValue = "1") int from) {
        return keys.history(kind, subjectId, from);
    }

    @PostMapping("/consultations/{appointmentId}/keys")
    ResponseEntity<List<ConsultationController.WrappedKey>> setUp(
            @PathVariable UUID appointmentId, @Valid @RequestBody ConsultationController.KeySetUp wraps) {
        return consultations.setUp(appointmentId, wraps);
    }

    @GetMapping("/consultations/{appointmentId}/keys/mine")
    ConsultationController.WrappedKey mine(@PathVariable UUID appointmentId) {
        return consultations.mine(appointmentId);
    }

    @PostMapping("/consultations/{appointmentId}/answers")
    ResponseEntity<ConsultationController.Answers> submit(
            @PathVariable UUID appointmentId, @Valid @RequestBody ConsultationController.AnswersUpload upload) {
        return consultations.submit(appointmentId, upload);
    }

    @GetMapping("/consultations/{appointmentId}/answers")
    ConsultationController.Answers answers(@PathVariable UUID appointmentId) {
        return consultations.answers(appointmentId);
    }

    @PostMapping("/consultations/{appointmentId}/messages")
    ResponseEntity<ExchangeController.Message> post(
            @PathVariable UUID appointmentId, @Valid @RequestBody ExchangeController.MessageUpload upload) {
        return exchanges.post(appointmentId, upload);
    }

    @GetMapping("/consultations/{appointmentId}/messages")
    List<ExchangeController.Message> messages(@PathVariable UUID appointmentId) {
        return exchanges.messages(appointmentId);
    }

    @PostMapping("/consultations/{appointmentId}/documents")
    ResponseEntity<ExchangeController.Document> createDocument(
            @PathVariable UUID appointmentId, @Valid @RequestBody ExchangeController.DocumentUpload upload) {
        return exchanges.createDocument(appointmentId, upload);
    }

    @PutMapping("/consultations/{appointmentId}/documents/{documentId}/chunks/{index}")
    ExchangeController.Document storeChunk(
            @PathVariable UUID appointmentId,
            @PathVariable UUID documentId,
            @PathVariable @Min(0) @Max(19) int index,
            @Valid @RequestBody ChunkJwe chunk) {
        return exchanges.storeChunk(appointmentId, documentId, index, chunk);
    }

    @GetMapping("/consultations/{appointmentId}/documents")
    List<ExchangeController.Document> documents(@PathVariable UUID appointmentId) {
        return exchanges.documents(appointmentId);
    }

    @GetMapping("/consultations/{appointmentId}/documents/{documentId}/chunks/{index}")
    ChunkJwe chunk(
            @PathVariable UUID appointmentId, @PathVariable UUID documentId, @PathVariable @Min(0) @Max(19) int index) {
        return exchanges.chunk(appointmentId, documentId, index);
    }
}
