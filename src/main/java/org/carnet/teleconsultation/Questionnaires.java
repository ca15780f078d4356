package org.carnet.teleconsultation;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.carnet.directory.Directory;
import org.carnet.directory.VisitMotive;
import org.carnet.shared.Actor;
import org.carnet.shared.ForbiddenException;
import org.carnet.shared.NotFoundException;
import org.carnet.shared.Role;
import org.carnet.shared.UnprocessableException;
import org.carnet.teleconsultation.internal.QuestionnaireStore;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Pre-consultation forms: a practitioner defines them for their own teleconsultation motives, an
 * establishment's administrator for any of the establishment's. The forms are plain (not medical data);
 * the answers are end-to-end encrypted ({@link QuestionnaireAnswers}).
 */
@Service
public class Questionnaires {

    private final QuestionnaireStore store;
    private final Directory directory;
    private final TransactionTemplate transactions;
    private final Clock clock;

    Questionnaires(QuestionnaireStore store, Directory directory, TransactionTemplate transactions, Clock clock) {
        this.store = store;
        this.directory = directory;
        this.transactions = transactions;
        this.clock = clock;
    }

    public Questionnaire define(Actor.Person author, String title, List<Question> questions) {
        requireAuthor(author);
        Questionnaire questionnaire = new Questionnaire(
                UUID.randomUUID(),
                author.professionalEstablishmentId(),
                author.role() == Role.PRACTITIONER ? author.subjectId() : null,
                title,
                questions,
                clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS));
        transactions.executeWithoutResult(status -> store.insert(questionnaire, author.userId()));
        return questionnaire;
    }

    /** The author's establishment's questionnaires, newest first. */
    public List<Questionnaire> ofEstablishment(Actor.Person author) {
        requireAuthor(author);
        return store.ofEstablishment(author.professionalEstablishmentId());
    }

    /**
     * The motives each of the author's establishment's questionnaires is attached to; a practitioner sees
     * only their own motives among them.
     */
    public Map<UUID, List<UUID>> attachedMotives(Actor.Person author) {
        requireAuthor(author);
        Map<UUID, List<UUID>> attached = store.attachments(author.professionalEstablishmentId());
        if (author.role() != Role.PRACTITIONER) {
            return attached;
        }
        Set<UUID> own = directory.motives(author.subjectId()).stream()
                .map(VisitMotive::id)
                .collect(java.util.stream.Collectors.toSet());
        Map<UUID, List<UUID>> mine = new java.util.LinkedHashMap<>();
        attached.forEach((questionnaire, motives) -> {
            List<UUID> kept = motives.stream().filter(own::contains).toList();
            if (!kept.isEmpty()) {
                mine.put(questionnaire, kept);
            }
        });
        return mine;
    }

    /** One questionnaire, for any signed-in user: a form definition is public to those who may fill it. */
    public Questionnaire get(UUID id) {
        return store.find(id).orElseThrow(() -> new NotFoundException("Questionnaire"));
    }

    /** The questionnaires a patient fills for an appointment with this motive. */
    public List<Questionnaire> forMotive(UUID establishmentId, UUID motiveId) {
        return store.forMotive(establishmentId, motiveId);
    }

    /** Attaches a questionnaire of the author's establishment to one of its teleconsultation motives. */
    public void attach(Actor.Person author, UUID questionnaireId, UUID motiveId) {
        transactions.executeWithoutResult(status -> {
            VisitMotive motive = editableMotive(author, questionnaireId, motiveId);
            if (!motive.teleconsultation()) {
                throw new UnprocessableException(
                        "Questionnaires are for teleconsultation motives: this motive is not one");
            }
            store.attach(motive.establishmentId(), motive.id(), questionnaireId);
        });
    }

    public void detach(Actor.Person author, UUID questionnaireId, UUID motiveId) {
        transactions.executeWithoutResult(status -> {
            VisitMotive motive = editableMotive(author, questionnaireId, motiveId);
            if (!store.detach(motive.establishmentId(), motive.id(), questionnaireId)) {
                throw new NotFoundException("Attachment");
            }
        });
    }

    /**
     * The motive, if the author may attach this questionnaire to it: both of the author's establishment;
     * for a practitioner, their own motive and a questionnaire of theirs or of the establishment.
     */
    private VisitMotive editableMotive(Actor.Person author, UUID questionnaireId, UUID motiveId) {
        requireAuthor(author);
        UUID establishment = author.professionalEstablishmentId();
        Questionnaire questionnaire = store.find(questionnaireId)
                .filter(q -> q.establishmentId().equals(establishment))
                .orElseThrow(() -> new NotFoundException("Questionnaire"));
        VisitMotive motive = directory
                .motive(motiveId)
                .filter(m -> m.establishmentId().equals(establishment))
                .orElseThrow(() -> new NotFoundException("Motive"));
        if (author.role() == Role.PRACTITIONER) {
            @Nullable UUID owner = questionnaire.practitionerId();
            if (!motive.practitionerId().equals(author.subjectId())
                    || (owner != null && !Objects.equals(owner, author.subjectId()))) {
                throw new ForbiddenException(
                        "not-yours",
                        "A practitioner attaches their own or the establishment's questionnaires to their own motives");
            }
        }
        return motive;
    }

    private static void requireAuthor(Actor.Person author) {
        if (author.role() != Role.PRACTITIONER && author.role() != Role.ESTABLISHMENT_ADMIN) {
            throw new ForbiddenException(
                    "not-an-author", "Only practitioners and establishment administrators define questionnaires");
        }
    }
}
