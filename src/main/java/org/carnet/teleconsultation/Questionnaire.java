package org.carnet.teleconsultation;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.carnet.shared.InvalidRequestException;
import org.jspecify.annotations.Nullable;

/**
 * A pre-consultation form of one establishment, defined by one of its practitioners ({@code
 * practitionerId}) or by its administrator ({@code null}). It never changes once defined: answers name
 * its questions by id.
 */
public record Questionnaire(
        UUID id,
        UUID establishmentId,
        @Nullable UUID practitionerId,
        String title,
        List<Question> questions,
        Instant createdAt) {

    public static final int MAX_TITLE = 200;
    public static final int MAX_QUESTIONS = 50;

    public Questionnaire {
        if (!Question.isText(title, MAX_TITLE)) {
            throw new InvalidRequestException(
                    "title", "must be 1 to " + MAX_TITLE + " characters, without control characters");
        }
        questions = List.copyOf(questions);
        if (questions.isEmpty() || questions.size() > MAX_QUESTIONS) {
            throw new InvalidRequestException("questions", "a questionnaire has 1 to " + MAX_QUESTIONS + " questions");
        }
        if (new HashSet<>(questions.stream().map(Question::id).toList()).size() != questions.size()) {
            throw new InvalidRequestException("questions", "question ids must be distinct");
        }
    }
}
