package org.carnet.teleconsultation;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;
import org.carnet.access.AccessDecision;
import org.carnet.access.AccessRequest;
import org.carnet.shared.Action;
import org.carnet.shared.Actor;
import org.carnet.shared.EstablishmentId;
import org.carnet.shared.Field;
import org.carnet.shared.PatientRef;
import org.carnet.shared.Purpose;
import org.carnet.shared.Resource;
import org.carnet.teleconsultation.internal.ExportReads;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * An establishment's teleconsultations for its export, exactly as stored: for each teleconsultation whose
 * key was set up within the export's range, the consultation key wrapped to the establishment, the
 * questionnaire answers, the messages, and the documents with their chunks, all ciphertext that Carnet
 * cannot open and never tries to. Read by keyset pages, each page in a transaction of its own in which
 * every item is decided and recorded by the access decision (purpose {@code export}); a page holds at most
 * {@link #PAGE} items (a chunk: one), so memory stays flat whatever the establishment's size.
 */
@Service
public class ConsultationExport {

    /** Items in a page: answers and messages are at most 200,000 characters each. */
    static final int PAGE = 100;

    /** The establishment's wrap of one consultation key, and who the consultation is between. */
    public record ExportedKey(
            UUID appointmentId,
            UUID practitionerId,
            UUID patientAccountId,
            Instant setUpAt,
            int keyVersion,
            Envelope envelope) {}

    /** A patient's answers. */
    public record ExportedAnswers(
            UUID appointmentId, UUID patientAccountId, UUID itemId, Instant submittedAt, Envelope envelope) {}

    /** A message. */
    public record ExportedMessage(
            UUID appointmentId,
            UUID patientAccountId,
            UUID id,
            SubjectKind senderKind,
            UUID senderId,
            Instant postedAt,
            Envelope envelope) {}

    /** A document's descriptor, its size and its number of chunks. */
    public record ExportedDocument(
            UUID appointmentId,
            UUID patientAccountId,
            UUID id,
            SubjectKind uploaderKind,
            UUID uploaderId,
            int size,
            int chunkCount,
            Instant createdAt,
            Envelope descriptor) {}

    /** One chunk of a document, as the API serves it. */
    public record ExportedChunk(UUID appointmentId, UUID documentId, int index, Envelope envelope) {}

    private final ExportReads reads;
    private final AccessDecision access;
    private final TransactionTemplate pageTransaction;

    ConsultationExport(ExportReads reads, AccessDecision access, PlatformTransactionManager transactions) {
        this.reads = reads;
        this.access = access;
        this.pageTransaction = new TransactionTemplate(transactions);
        this.pageTransaction.setPropagationBehavior(TransactionTemplate.PROPAGATION_REQUIRES_NEW);
    }

    /** The range: teleconsultations whose key was set up from {@code from} (inclusive) to {@code to} (exclusive). */
    public record Range(UUID establishmentId, Instant from, Instant to) {}

    /** Hands the establishment's wrap of each consultation key in range to {@code sink}; how many. */
    public long keys(Range range, Actor actor, Consumer<ExportedKey> sink) {
        return pages(
                after -> reads.keys(range, after, PAGE),
                k -> new ExportReads.Key(k.appointmentId(), k.appointmentId()),
                ExportedKey::patientAccountId,
                actor,
                range,
                Resource.CONSULTATION_KEY,
                Field.CONSULTATION_KEY,
                sink);
    }

    /** Hands the answers of each teleconsultation in range to {@code sink}; how many. */
    public long answers(Range range, Actor actor, Consumer<ExportedAnswers> sink) {
        return pages(
                after -> reads.answers(range, after, PAGE),
                a -> new ExportReads.Key(a.appointmentId(), a.appointmentId()),
                ExportedAnswers::patientAccountId,
                actor,
                range,
                Resource.QUESTIONNAIRE_ANSWERS,
                Field.QUESTIONNAIRE_ANSWERS,
                sink);
    }

    /** Hands every message of the teleconsultations in range to {@code sink}; how many. */
    public long messages(Range range, Actor actor, Consumer<ExportedMessage> sink) {
        return pages(
                after -> reads.messages(range, after, PAGE),
                m -> new ExportReads.Key(m.appointmentId(), m.id()),
                ExportedMessage::patientAccountId,
                actor,
                range,
                Resource.CONSULTATION_MESSAGE,
                Field.CONSULTATION_MESSAGE,
                sink);
    }

    /**
     * Hands every document of the teleconsultations in range to {@code documents}, then each of its chunks
     * (read one at a time, each read decided and recorded) to {@code chunks}; how many documents.
     */
    public long documents(
            Range range, Actor actor, Consumer<ExportedDocument> documents, Consumer<ExportedChunk> chunks) {
        return pages(
                after -> reads.documents(range, after, PAGE),
                d -> new ExportReads.Key(d.appointmentId(), d.id()),
                ExportedDocument::patientAccountId,
                actor,
                range,
                Resource.CONSULTATION_DOCUMENT,
                Field.CONSULTATION_DOCUMENT,
                document -> {
                    documents.accept(document);
                    for (int index = 0; index < document.chunkCount(); index++) {
                        int at = index;
                        Optional<ExportedChunk> chunk = Objects.requireNonNull(pageTransaction.execute(status ->
                                reads.chunk(range, document, at).map(c -> {
                                    record(
                                            actor,
                                            range,
                                            document.patientAccountId(),
                                            Resource.CONSULTATION_DOCUMENT,
                                            Field.CONSULTATION_DOCUMENT);
                                    return c;
                                })));
                        // An upload that stopped halfway: the chunks that exist.
                        chunk.ifPresent(chunks);
                    }
                });
    }

    private <T> long pages(
            Function<ExportReads.@Nullable Key, List<T>> page,
            Function<T, ExportReads.Key> keyOf,
            Function<T, UUID> patientOf,
            Actor actor,
            Range range,
            Resource resource,
            Field field,
            Consumer<T> sink) {
        long count = 0;
        ExportReads.Key after = null;
        while (true) {
            ExportReads.Key from = after;
            List<T> rows = Objects.requireNonNull(pageTransaction.execute(status -> {
                List<T> read = page.apply(from);
                read.forEach(row -> record(actor, range, patientOf.apply(row), resource, field));
                return read;
            }));
            // The page is written after its transaction commits: no transaction waits on the recipient.
            rows.forEach(sink);
            count += rows.size();
            if (rows.size() < PAGE) {
                return count;
            }
            after = keyOf.apply(rows.get(rows.size() - 1));
        }
    }

    private void record(Actor actor, Range range, UUID patientAccountId, Resource resource, Field field) {
        access.require(new AccessRequest(
                actor,
                PatientRef.account(patientAccountId),
                EstablishmentId.of(range.establishmentId()),
                Action.READ,
                resource,
                List.of(field),
                Purpose.EXPORT));
    }
}
