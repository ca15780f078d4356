package org.carnet.teleconsultation;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.carnet.access.AccessDecision;
import org.carnet.access.AccessRequest;
import org.carnet.shared.Action;
import org.carnet.shared.Actor;
import org.carnet.shared.ConflictException;
import org.carnet.shared.EstablishmentId;
import org.carnet.shared.Field;
import org.carnet.shared.NotFoundException;
import org.carnet.shared.PatientRef;
import org.carnet.shared.Purpose;
import org.carnet.shared.Resource;
import org.carnet.shared.Role;
import org.carnet.teleconsultation.internal.ConsultationStore;
import org.carnet.teleconsultation.internal.ConsultationStore.Consultation;
import org.carnet.teleconsultation.internal.EnvelopeShape;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A patient's answers to the questionnaires of their teleconsultation: one JWE ({@code dir}, {@code
 * A256GCM} under the consultation key) holding every attached form's answers, submitted once after the
 * key is set up. The server checks its shape and binding, never its content; the patient and the
 * practitioners of the establishment in care of the patient fetch it, each fetch decided and recorded.
 */
@Service
public class QuestionnaireAnswers {

    /** The largest answers ciphertext, in bytes. */
    public static final int MAX_CIPHERTEXT = 128 * 1024;

    /** Stored answers as served. */
    public record AnswersView(UUID itemId, Envelope envelope, Instant submittedAt) {}

    private final TeleconsultationAppointments appointments;
    private final Questionnaires questionnaires;
    private final ConsultationStore store;
    private final AccessDecision access;
    private final TransactionTemplate transactions;
    private final Clock clock;

    QuestionnaireAnswers(
            TeleconsultationAppointments appointments,
            Questionnaires questionnaires,
            ConsultationStore store,
            AccessDecision access,
            TransactionTemplate transactions,
            Clock clock) {
        this.appointments = appointments;
        this.questionnaires = questionnaires;
        this.store = store;
        this.access = access;
        this.transactions = transactions;
        this.clock = clock;
    }

    /**
     * Stores the patient's answers under the item id their client chose and bound into the envelope.
     *
     * @throws ConflictException when the key is not set up, the appointment is cancelled, its motive has no
     *     questionnaire, or answers were already submitted
     */
    public AnswersView submit(Actor.Person patient, UUID appointmentId, UUID itemId, Envelope envelope) {
        return Objects.requireNonNull(transactions.execute(status -> {
            if (patient.role() != Role.PATIENT) {
                throw new NotFoundException("Teleconsultation");
            }
            TeleconsultationAppointments.Found found = appointments.find(patient, appointmentId);
            Consultation consultation = store.find(appointmentId)
                    .orElseThrow(() -> new ConflictException(
                            "Set the teleconsultation's key up first (POST /api/v1/teleconsultations/{id}/keys)"));
            access.require(request(patient, consultation, Action.CREATE));
            if (!found.booked()) {
                throw new ConflictException("The appointment is cancelled");
            }
            if (questionnaires
                    .forMotive(found.motive().establishmentId(), found.motive().id())
                    .isEmpty()) {
                throw new ConflictException("This teleconsultation has no questionnaire to answer");
            }
            EnvelopeShape.check(
                    "envelope",
                    envelope,
                    new EnvelopeShape.Expected(
                            "dir",
                            Bindings.consultationKeyId(appointmentId),
                            Bindings.ANSWERS_CONTENT_TYPE,
                            Bindings.binding(appointmentId, Bindings.ANSWERS_KIND, itemId.toString()),
                            MAX_CIPHERTEXT));
            ConsultationStore.Answers answers = new ConsultationStore.Answers(
                    itemId, envelope, clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS));
            try {
                store.insertAnswers(consultation, answers);
            } catch (DuplicateKeyException e) {
                throw new ConflictException(
                        "The answers to this teleconsultation's questionnaires are already submitted");
            }
            return new AnswersView(answers.itemId(), answers.envelope(), answers.submittedAt());
        }));
    }

    /** The answers, for the patient or a practitioner of the establishment in care of the patient. */
    public AnswersView get(Actor.Person actor, UUID appointmentId) {
        return Objects.requireNonNull(transactions.execute(status -> {
            Consultation consultation = store.find(appointmentId).orElseThrow(() -> new NotFoundException("Answers"));
            access.require(request(actor, consultation, Action.READ));
            return store.answers(consultation)
                    .map(a -> new AnswersView(a.itemId(), a.envelope(), a.submittedAt()))
                    .orElseThrow(() -> new NotFoundException("Answers"));
        }));
    }

    private static AccessRequest request(Actor.Person actor, Consultation consultation, Action action) {
        return new AccessRequest(
                actor,
                PatientRef.account(consultation.patientAccountId()),
                EstablishmentId.of(consultation.establishmentId()),
                action,
                Resource.QUESTIONNAIRE_ANSWERS,
                List.of(Field.QUESTIONNAIRE_ANSWERS),
                actor.role() == Role.PATIENT ? Purpose.SELF_SERVICE : Purpose.CARE);
    }
}
