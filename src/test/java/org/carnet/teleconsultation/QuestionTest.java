package org.carnet.teleconsultation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.carnet.shared.InvalidRequestException;
import org.junit.jupiter.api.Test;

/** A form's words are stored and shown in clear: control characters (a NUL above all) are refused as bad input. */
class QuestionTest {

    @Test
    void aControlCharacterInALabelAnOptionOrATitleIsRefusedWithItsField() {
        assertThatThrownBy(() -> new Question("q1", Question.Type.FREE_TEXT, "Vos sympt\u0000mes", true, List.of()))
                .isInstanceOfSatisfying(
                        InvalidRequestException.class,
                        e -> assertThat(e.field()).isEqualTo("questions.label"));
        assertThatThrownBy(() ->
                        new Question("q1", Question.Type.SINGLE_CHOICE, "Fièvre ?", true, List.of("oui", "n\u0007on")))
                .isInstanceOfSatisfying(
                        InvalidRequestException.class,
                        e -> assertThat(e.field()).isEqualTo("questions.options"));
        Question fine =
                new Question("q1", Question.Type.SINGLE_CHOICE, "Fièvre depuis hier ?", true, List.of("oui", "non"));
        assertThatThrownBy(() -> new Questionnaire(
                        UUID.randomUUID(),
                        UUID.randomUUID(),
                        null,
                        "Avant\u0000la consultation",
                        List.of(fine),
                        Instant.EPOCH))
                .isInstanceOfSatisfying(
                        InvalidRequestException.class,
                        e -> assertThat(e.field()).isEqualTo("title"));
        assertThat(new Questionnaire(
                                UUID.randomUUID(),
                                UUID.randomUUID(),
                                null,
                                "Avant la consultation",
                                List.of(fine),
                                Instant.EPOCH)
                        .title())
                .isEqualTo("Avant la consultation");
    }
}
