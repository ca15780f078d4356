package org.carnet.teleconsultation.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.carnet.identity.SignedIn;
import org.carnet.teleconsultation.Question;
import org.carnet.teleconsultation.Questionnaire;
import org.carnet.teleconsultation.Questionnaires;
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
@RequestMapping("/api/v1/teleconsultations/questionnaires")
@Tag(name = "Questionnaires")
class QuestionnaireController {

    record QuestionInput(
            @NotBlank @Size(max = 40) String id,
            @NotNull Question.Type type,
            @NotBlank @Size(max = Question.MAX_LABEL) String label,
            boolean required,

            @Size(max = Question.MAX_OPTIONS) @Nullable
            List<@NotBlank @Size(max = Question.MAX_OPTION) String> options) {
        Question question() {
            return new Question(id, type, label, required, options == null ? List.of() : options);
        }
    }

    record NewQuestionnaire(
            @NotBlank @Size(max = Questionnaire.MAX_TITLE) String title,

            @NotEmpty @Size(max = Questionnaire.MAX_QUESTIONS)
            List<@NotNull @Valid QuestionInput> questions) {

        /** A form's wording may be sensitive in itself: nothing of it goes to a log. */
        @Override
        public String toString() {
            return "NewQuestionnaire[title and questions redacted]";
        }
    }

    record QuestionView(String id, Question.Type type, String label, boolean required, List<String> options) {}

    record QuestionnaireView(
            UUID id,
            UUID establishmentId,
            @Nullable UUID practitionerId,
            String title,
            List<QuestionView> questions,
            String createdAt) {
        static QuestionnaireView of(Questionnaire q) {
            return new QuestionnaireView(
                    q.id(),
                    q.establishmentId(),
                    q.practitionerId(),
                    q.title(),
                    q.questions().stream()
                            .map(x -> new QuestionView(x.id(), x.type(), x.label(), x.required(), x.options()))
                            .toList(),
                    q.createdAt().toString());
        }
    }

    private final Questionnaires questionnaires;

    QuestionnaireController(Questionnaires questionnaires) {
        this.questionnaires = questionnaires;
    }

    @PostMapping
    @Operation(
            operationId = "defineQuestionnaire",
            summary = "Define a pre-consultation questionnaire",
            description = "Practitioners (theirs) and establishment administrators (the establishment's). Questions:"
                    + " FREE_TEXT, YES_NO, SINGLE_CHOICE, MULTIPLE_CHOICE (2 to 20 options), NUMBER, DATE; required or"
                    + " not. A definition is not medical data and is kept plain; it never changes once made.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "201", description = "Defined")
    @ApiResponse(responseCode = "403", description = "The caller is neither a practitioner nor an administrator")
    ResponseEntity<QuestionnaireView> define(@Valid @RequestBody NewQuestionnaire body) {
        Questionnaire made = questionnaires.define(
                SignedIn.required(),
                body.title(),
                body.questions().stream().map(QuestionInput::question).toList());
        return ResponseEntity.created(URI.create("/api/v1/teleconsultations/questionnaires/" + made.id()))
                .body(QuestionnaireView.of(made));
    }

    @GetMapping
    @Operation(
            operationId = "listQuestionnaires",
            summary = "The caller's establishment's questionnaires, newest first (at most 200)",
            description = "Practitioners and establishment administrators.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "200", description = "The questionnaires")
    @ApiResponse(responseCode = "403", description = "The caller is neither a practitioner nor an administrator")
    List<QuestionnaireView> list() {
        return questionnaires.ofEstablishment(SignedIn.required()).stream()
                .map(QuestionnaireView::of)
                .toList();
    }

    @GetMapping("/{id}")
    @Operation(
            operationId = "getQuestionnaire",
            summary = "One questionnaire's definition",
            description = "Any signed-in user: a form is shown to every patient who books a motive it is attached to.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "200", description = "The questionnaire")
    @ApiResponse(responseCode = "404", description = "No such questionnaire")
    QuestionnaireView get(@PathVariable UUID id) {
        return QuestionnaireView.of(questionnaires.get(id));
    }

    @PostMapping("/{id}/motives/{motiveId}")
    @Operation(
            operationId = "attachQuestionnaire",
            summary = "Attach a questionnaire to a teleconsultation motive",
            description = "An administrator: any motive of the establishment; a practitioner: their own motives, with"
                    + " their own or the establishment's questionnaires. Attaching twice changes nothing.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "204", description = "Attached")
    @ApiResponse(responseCode = "403", description = "Not the caller's motive or questionnaire")
    @ApiResponse(responseCode = "404", description = "No such questionnaire or motive in the caller's establishment")
    @ApiResponse(responseCode = "422", description = "The motive is not a teleconsultation motive")
    ResponseEntity<Void> attach(@PathVariable UUID id, @PathVariable UUID motiveId) {
        questionnaires.attach(SignedIn.required(), id, motiveId);
        return ResponseEntity.noContent().build();
    }

    @DeleteMapping("/{id}/motives/{motiveId}")
    @Operation(
            operationId = "detachQuestionnaire",
            summary = "Detach a questionnaire from a motive",
            description = "Who may attach may detach. Answers already submitted stay.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "204", description = "Detached")
    @ApiResponse(responseCode = "403", description = "Not the caller's motive or questionnaire")
    @ApiResponse(responseCode = "404", description = "No such attachment in the caller's establishment")
    ResponseEntity<Void> detach(@PathVariable UUID id, @PathVariable UUID motiveId) {
        questionnaires.detach(SignedIn.required(), id, motiveId);
        return ResponseEntity.noContent().build();
    }
}
