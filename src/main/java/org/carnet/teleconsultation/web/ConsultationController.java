package org.carnet.teleconsultation.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.carnet.identity.SignedIn;
import org.carnet.teleconsultation.ConsultationKeys;
import org.carnet.teleconsultation.Envelope;
import org.carnet.teleconsultation.QuestionnaireAnswers;
import org.carnet.teleconsultation.SubjectKind;
import org.carnet.teleconsultation.Teleconsultations;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/teleconsultations")
@Tag(name = "Teleconsultations")
class ConsultationController {

    /** A teleconsultation as its patient's or practitioner's client needs it. */
    record Overview(
            UUID appointmentId,
            String status,
            UUID establishmentId,
            UUID practitionerId,
            List<QuestionnaireController.QuestionnaireView> questionnaires,
            boolean keySetUp,
            boolean answersSubmitted) {}

    /** The consultation key wrapped to each of its three recipients. */
    record KeySetUp(
            @NotNull @Valid Jwe patient,
            @NotNull @Valid Jwe practitioner,
            @NotNull @Valid Jwe establishment) {}

    /** A wrapped consultation key as served to its recipient. */
    record WrappedKey(String recipient, UUID recipientId, int keyVersion, Jwe envelope) {
        static WrappedKey of(ConsultationKeys.WrappedKeyView key) {
            return new WrappedKey(key.recipient().code(), key.recipientId(), key.keyVersion(), Jwe.of(key.envelope()));
        }
    }

    /** The patient's answers: the item id their client bound into the envelope, and the envelope. */
    record AnswersUpload(
            @NotNull UUID itemId, @NotNull @Valid Jwe envelope) {}

    record Answers(UUID itemId, Jwe envelope, String submittedAt) {
        static Answers of(QuestionnaireAnswers.AnswersView answers) {
            return new Answers(
                    answers.itemId(),
                    Jwe.of(answers.envelope()),
                    answers.submittedAt().toString());
        }
    }

    private final Teleconsultations teleconsultations;
    private final ConsultationKeys keys;
    private final QuestionnaireAnswers answers;

    ConsultationController(Teleconsultations teleconsultations, ConsultationKeys keys, QuestionnaireAnswers answers) {
        this.teleconsultations = teleconsultations;
        this.keys = keys;
        this.answers = answers;
    }

    @GetMapping("/{appointmentId}")
    @Operation(
            operationId = "getTeleconsultation",
            summary = "One teleconsultation: its recipients, questionnaires to fill and what is uploaded",
            description = "The patient who booked it, or a practitioner of the establishment in care of the patient;"
                    + " read through the appointment (recorded in the patient's access log).",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "200", description = "The teleconsultation")
    @ApiResponse(responseCode = "404", description = "No such teleconsultation for the caller")
    Overview overview(@PathVariable UUID appointmentId) {
        Teleconsultations.Overview overview = teleconsultations.overview(SignedIn.required(), appointmentId);
        return new Overview(
                overview.appointmentId(),
                overview.status(),
                overview.establishmentId(),
                overview.practitionerId(),
                overview.questionnaires().stream()
                        .map(QuestionnaireController.QuestionnaireView::of)
                        .toList(),
                overview.keySetUp(),
                overview.answersSubmitted());
    }

    @PostMapping("/{appointmentId}/keys")
    @ApiResponse(
            responseCode = "423",
            description = "The establishment is read-only for the time of a security incident")
    @Operation(
            operationId = "setUpConsultationKey",
            summary = "Upload the consultation key, wrapped to the patient, the practitioner and the establishment",
            description = "The patient who booked the teleconsultation, once. Each wrap is a JWE (ECDH-ES+A256KW over"
                    + " P-256, A256GCM) to the recipient's current directory encryption key (kid), bound by its"
                    + " protected header to this consultation and recipient (docs/e2e.md). The server checks the"
                    + " shape and binding, never the key.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "201", description = "Stored; the three wraps")
    @ApiResponse(responseCode = "404", description = "No such teleconsultation for the caller")
    @ApiResponse(
            responseCode = "409",
            description = "Already set up, the appointment is cancelled, or a recipient has published no key")
    @ApiResponse(
            responseCode = "422",
            description = "A wrap is bound to another consultation or recipient, or to an old key of the recipient")
    ResponseEntity<List<WrappedKey>> setUp(@PathVariable UUID appointmentId, @Valid @RequestBody KeySetUp wraps) {
        Map<SubjectKind, Envelope> envelopes = new EnumMap<>(SubjectKind.class);
        envelopes.put(SubjectKind.PATIENT, wraps.patient().envelope());
        envelopes.put(SubjectKind.PRACTITIONER, wraps.practitioner().envelope());
        envelopes.put(SubjectKind.ESTABLISHMENT, wraps.establishment().envelope());
        List<WrappedKey> stored = keys.setUp(SignedIn.required(), appointmentId, envelopes).stream()
                .map(WrappedKey::of)
                .toList();
        return ResponseEntity.created(URI.create("/api/v1/teleconsultations/" + appointmentId + "/keys/mine"))
                .body(stored);
    }

    @GetMapping("/{appointmentId}/keys/mine")
    @Operation(
            operationId = "getMyConsultationKey",
            summary = "The consultation key wrapped to the caller",
            description = "The patient gets the wrap to their key, the appointment's practitioner the wrap to theirs."
                    + " Every fetch is decided and recorded in the patient's access log; staff and other"
                    + " establishments' practitioners are refused.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "200", description = "The wrapped key")
    @ApiResponse(responseCode = "404", description = "No key wrapped to the caller for this teleconsultation")
    WrappedKey mine(@PathVariable UUID appointmentId) {
        return WrappedKey.of(keys.mine(SignedIn.required(), appointmentId));
    }

    @GetMapping("/{appointmentId}/keys/establishment")
    @Operation(
            operationId = "getEstablishmentConsultationKey",
            summary = "The consultation key wrapped to the establishment's key",
            description = "For continuity of care: practitioners of the establishment in care of the patient, who open"
                    + " it with the establishment's private key. Recorded in the patient's access log.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "200", description = "The wrapped key")
    @ApiResponse(responseCode = "404", description = "No such key for the caller")
    WrappedKey establishment(@PathVariable UUID appointmentId) {
        return WrappedKey.of(keys.establishmentKey(SignedIn.required(), appointmentId));
    }

    @PostMapping("/{appointmentId}/answers")
    @ApiResponse(
            responseCode = "423",
            description = "The establishment is read-only for the time of a security incident")
    @Operation(
            operationId = "submitQuestionnaireAnswers",
            summary = "Upload the answers to the teleconsultation's questionnaires, encrypted",
            description = "The patient, once, after setting the key up. One JWE (dir, A256GCM under the consultation"
                    + " key) holding the answers to every attached questionnaire, bound by its protected header to"
                    + " this consultation, the kind questionnaire-answers and itemId (docs/e2e.md). The server checks"
                    + " the shape and binding only.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "201", description = "Stored")
    @ApiResponse(responseCode = "404", description = "No such teleconsultation for the caller")
    @ApiResponse(
            responseCode = "409",
            description = "No key set up yet, cancelled, no questionnaire to answer, or already answered")
    @ApiResponse(responseCode = "422", description = "The envelope is bound to another consultation, kind or item")
    ResponseEntity<Answers> submit(@PathVariable UUID appointmentId, @Valid @RequestBody AnswersUpload upload) {
        Answers stored = Answers.of(answers.submit(
                SignedIn.required(),
                appointmentId,
                upload.itemId(),
                upload.envelope().envelope()));
        return ResponseEntity.created(URI.create("/api/v1/teleconsultations/" + appointmentId + "/answers"))
                .body(stored);
    }

    @GetMapping("/{appointmentId}/answers")
    @Operation(
            operationId = "getQuestionnaireAnswers",
            summary = "The encrypted answers to the teleconsultation's questionnaires",
            description = "The patient, or a practitioner of the establishment in care of the patient; recorded in the"
                    + " patient's access log. Staff and other establishments are refused.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "200", description = "The answers' envelope")
    @ApiResponse(responseCode = "404", description = "No answers the caller may read")
    Answers answers(@PathVariable UUID appointmentId) {
        return Answers.of(answers.get(SignedIn.required(), appointmentId));
    }
}
