package org.carnet.teleconsultation;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
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
import org.carnet.shared.InvalidRequestException;
import org.carnet.shared.NotFoundException;
import org.carnet.shared.PatientRef;
import org.carnet.shared.Purpose;
import org.carnet.shared.Resource;
import org.carnet.shared.Role;
import org.carnet.shared.UnprocessableException;
import org.carnet.teleconsultation.internal.ConsultationStore;
import org.carnet.teleconsultation.internal.ConsultationStore.Consultation;
import org.carnet.teleconsultation.internal.EnvelopeShape;
import org.carnet.teleconsultation.internal.ExchangeStore;
import org.jspecify.annotations.Nullable;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A teleconsultation's written exchange (docs/e2e.md, "Exchanges"): messages, and documents uploaded in
 * 1 MiB chunks, between the patient and the practitioners of the establishment in care of the patient.
 * Every item is a JWE under the consultation key, bound by its protected header to the consultation, its
 * kind and its id (a chunk: its document and index); the server checks that shape and never opens it.
 * Every store and every fetch is decided and recorded by the access decision; staff, administrators,
 * other establishments and other patients get not found. A new item is announced to the other side
 * ({@link ExchangePosted}) without a word of it.
 */
@Service
public class ConsultationExchanges {

    /** The largest message ciphertext, in bytes. */
    public static final int MAX_MESSAGE = 64 * 1024;
    /** The largest document descriptor ciphertext, in bytes (it holds a signature for a prescription). */
    public static final int MAX_DESCRIPTOR = 32 * 1024;
    /** A document's chunk: 1 MiB of it, the last one the rest. */
    public static final int CHUNK_SIZE = 1024 * 1024;
    /** The largest document, in bytes (20 MB). */
    public static final int MAX_DOCUMENT = 20_000_000;
    /** How many messages, and how many documents, one teleconsultation holds at most. */
    public static final int MAX_MESSAGES = 1000;

    public static final int MAX_DOCUMENTS = 100;

    /** The largest number a sender may give one of their messages (a sender numbers from 1, without gaps). */
    public static final int MAX_SEQUENCE = MAX_MESSAGES;

    /** A message as served; {@code sequence} is the sender's number for it, null for an unnumbered one. */
    public record MessageView(
            UUID id,
            SubjectKind senderKind,
            UUID senderId,
            @Nullable Integer sequence,
            Envelope envelope,
            Instant postedAt) {
        static MessageView of(ExchangeStore.Message message) {
            return new MessageView(
                    message.id(),
                    message.senderKind(),
                    message.senderId(),
                    message.sequence(),
                    message.envelope(),
                    message.postedAt());
        }
    }

    /** A document as served: its descriptor and how many of its chunks are stored. */
    public record DocumentView(
            UUID id,
            SubjectKind uploaderKind,
            UUID uploaderId,
            int size,
            int chunkCount,
            int chunksStored,
            Envelope descriptor,
            Instant createdAt) {
        static DocumentView of(ExchangeStore.Document document) {
            return new DocumentView(
                    document.id(),
                    document.uploaderKind(),
                    document.uploaderId(),
                    document.size(),
                    document.chunkCount(),
                    document.chunksStored(),
                    document.descriptor(),
                    document.createdAt());
        }

        public boolean complete() {
            return chunksStored == chunkCount;
        }
    }

    private final ConsultationStore consultations;
    private final ExchangeStore store;
    private final AccessDecision access;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final Clock clock;

    ConsultationExchanges(
            ConsultationStore consultations,
            ExchangeStore store,
            AccessDecision access,
            ApplicationEventPublisher events,
            TransactionTemplate transactions,
            Clock clock) {
        this.consultations = consultations;
        this.store = store;
        this.access = access;
        this.events = events;
        this.transactions = transactions;
        this.clock = clock;
    }

    /**
     * Stores a message under the id its sender's client chose and bound into the envelope, and announces
     * it to the other side. A numbered message ({@code sequence} given) must be bound to its sender, the
     * caller, and to that number; an unnumbered one (as before numbering) to the consultation and id only.
     *
     * @throws ConflictException when the id, or the sender's number, is taken, or the exchange is full
     */
    public MessageView post(
            Actor.Person sender, UUID appointmentId, UUID messageId, @Nullable Integer sequence, Envelope envelope) {
        if (sequence != null && (sequence < 1 || sequence > MAX_SEQUENCE)) {
            throw new InvalidRequestException("sequence", "must be from 1 to " + MAX_SEQUENCE);
        }
        return Objects.requireNonNull(transactions.execute(status -> {
            Consultation consultation = decided(sender, appointmentId, Action.CREATE, Resource.CONSULTATION_MESSAGE);
            EnvelopeShape.check(
                    "envelope",
                    envelope,
                    new EnvelopeShape.Expected(
                            "dir",
                            Bindings.consultationKeyId(appointmentId),
                            Bindings.MESSAGE_CONTENT_TYPE,
                            sequence == null
                                    ? Bindings.binding(appointmentId, Bindings.MESSAGE_KIND, messageId.toString())
                                    : Bindings.numberedMessageBinding(
                                            appointmentId,
                                            messageId,
                                            Bindings.recipientItem(senderKind(sender), sender.subjectId()),
                                            sequence),
                            MAX_MESSAGE));
            if (store.messageCount(consultation) >= MAX_MESSAGES) {
                throw new ConflictException("This teleconsultation's exchange holds " + MAX_MESSAGES
                        + " messages, the most it can: start a new one");
            }
            ExchangeStore.Message message = new ExchangeStore.Message(
                    messageId, senderKind(sender), sender.subjectId(), sequence, envelope, now());
            try {
                store.insertMessage(consultation, message);
            } catch (DuplicateKeyException e) {
                throw new ConflictException("A message with this id, or this sender's message number " + sequence
                        + ", is already stored in this teleconsultation");
            }
            announce(consultation, sender, "message", messageId);
            return MessageView.of(message);
        }));
    }

    /** The teleconsultation's messages, oldest first. */
    public List<MessageView> messages(Actor.Person reader, UUID appointmentId) {
        return Objects.requireNonNull(transactions.execute(status -> {
            Consultation consultation = decided(reader, appointmentId, Action.READ, Resource.CONSULTATION_MESSAGE);
            return store.messages(consultation).stream().map(MessageView::of).toList();
        }));
    }

    /**
     * Stores a document's descriptor: its size fixes its chunks ({@link #CHUNK_SIZE} each, the last the
     * rest), uploaded next by the same person ({@link #storeChunk}).
     *
     * @throws ConflictException when the id is taken or the exchange holds too many documents
     */
    public DocumentView createDocument(
            Actor.Person uploader, UUID appointmentId, UUID documentId, int size, Envelope descriptor) {
        if (size < 1 || size > MAX_DOCUMENT) {
            throw new InvalidRequestException("size", "must be from 1 to " + MAX_DOCUMENT + " bytes");
        }
        return Objects.requireNonNull(transactions.execute(status -> {
            Consultation consultation = decided(uploader, appointmentId, Action.CREATE, Resource.CONSULTATION_DOCUMENT);
            EnvelopeShape.check(
                    "descriptor",
                    descriptor,
                    new EnvelopeShape.Expected(
                            "dir",
                            Bindings.consultationKeyId(appointmentId),
                            Bindings.DOCUMENT_CONTENT_TYPE,
                            Bindings.binding(appointmentId, Bindings.DOCUMENT_KIND, documentId.toString()),
                            MAX_DESCRIPTOR));
            if (store.documentCount(consultation) >= MAX_DOCUMENTS) {
                throw new ConflictException(
                        "This teleconsultation holds " + MAX_DOCUMENTS + " documents, the most it can");
            }
            ExchangeStore.Document document = new ExchangeStore.Document(
                    documentId,
                    senderKind(uploader),
                    uploader.subjectId(),
                    size,
                    chunkCount(size),
                    descriptor,
                    now(),
                    0);
            try {
                store.insertDocument(consultation, document);
            } catch (DuplicateKeyException e) {
                throw new ConflictException("A document with this id is already stored in this teleconsultation");
            }
            return DocumentView.of(document);
        }));
    }

    /**
     * Stores one chunk of a document its uploader created: a JWE bound to the document and the index whose
     * ciphertext is exactly the chunk's length. The last chunk stored announces the document.
     *
     * @throws ConflictException when this chunk is already stored
     */
    public DocumentView storeChunk(
            Actor.Person uploader, UUID appointmentId, UUID documentId, int index, Envelope chunk) {
        return Objects.requireNonNull(transactions.execute(status -> {
            Consultation consultation = decided(uploader, appointmentId, Action.CREATE, Resource.CONSULTATION_DOCUMENT);
            ExchangeStore.Document document = store.document(consultation, documentId)
                    .filter(d -> d.uploaderKind() == senderKind(uploader)
                            && d.uploaderId().equals(uploader.subjectId()))
                    .orElseThrow(() -> new NotFoundException("Document"));
            if (index < 0 || index >= document.chunkCount()) {
                throw new InvalidRequestException(
                        "index", "must be from 0 to " + (document.chunkCount() - 1) + " for this document");
            }
            int expected = index < document.chunkCount() - 1
                    ? CHUNK_SIZE
                    : document.size() - CHUNK_SIZE * (document.chunkCount() - 1);
            byte[] ciphertext = EnvelopeShape.check(
                    "envelope",
                    chunk,
                    new EnvelopeShape.Expected(
                            "dir",
                            Bindings.consultationKeyId(appointmentId),
                            Bindings.CHUNK_CONTENT_TYPE,
                            Bindings.binding(appointmentId, Bindings.CHUNK_KIND, Bindings.chunkItem(documentId, index)),
                            CHUNK_SIZE));
            if (ciphertext.length != expected) {
                throw new UnprocessableException("Chunk " + index + " of this document holds " + expected
                        + " bytes: its ciphertext is " + ciphertext.length);
            }
            try {
                store.insertChunk(
                        consultation,
                        documentId,
                        new ExchangeStore.Chunk(index, chunk.protectedHeader(), chunk.iv(), chunk.tag(), ciphertext));
            } catch (DuplicateKeyException e) {
                throw new ConflictException("Chunk " + index + " of this document is already stored");
            }
            DocumentView stored = DocumentView.of(store.document(consultation, documentId)
                    .orElseThrow(() -> new IllegalStateException("the document just written")));
            if (stored.complete()) {
                announce(consultation, uploader, "document", documentId);
            }
            return stored;
        }));
    }

    /** The teleconsultation's documents (their descriptors), oldest first. */
    public List<DocumentView> documents(Actor.Person reader, UUID appointmentId) {
        return Objects.requireNonNull(transactions.execute(status -> {
            Consultation consultation = decided(reader, appointmentId, Action.READ, Resource.CONSULTATION_DOCUMENT);
            return store.documents(consultation).stream().map(DocumentView::of).toList();
        }));
    }

    /** One chunk of a document, as its envelope. */
    public Envelope chunk(Actor.Person reader, UUID appointmentId, UUID documentId, int index) {
        return Objects.requireNonNull(transactions.execute(status -> {
            Consultation consultation = decided(reader, appointmentId, Action.READ, Resource.CONSULTATION_DOCUMENT);
            ExchangeStore.Chunk chunk =
                    store.chunk(consultation, documentId, index).orElseThrow(() -> new NotFoundException("Chunk"));
            return new Envelope(
                    chunk.protectedHeader(),
                    null,
                    chunk.iv(),
                    Base64.getUrlEncoder().withoutPadding().encodeToString(chunk.ciphertext()),
                    chunk.tag());
        }));
    }

    static int chunkCount(int size) {
        return (size + CHUNK_SIZE - 1) / CHUNK_SIZE;
    }

    /**
     * The teleconsultation, once the access decision allowed the actor (recorded either way). Only its
     * patient and the practitioners in care of the patient; a teleconsultation whose key is not set up has
     * no exchange yet (not found, as for anyone who may not see it).
     */
    private Consultation decided(Actor.Person actor, UUID appointmentId, Action action, Resource resource) {
        // One answer for "no such exchange" and "not yours": the same problem, byte for byte.
        String what = resource.code();
        Consultation consultation = consultations.find(appointmentId).orElseThrow(() -> new NotFoundException(what));
        access.require(request(actor, consultation, action, resource));
        if (actor.role() != Role.PATIENT && actor.role() != Role.PRACTITIONER) {
            throw new NotFoundException(what); // the access decision refuses them already; never rely on it alone
        }
        return consultation;
    }

    private void announce(Consultation consultation, Actor.Person sender, String item, UUID itemId) {
        boolean fromPatient = sender.role() == Role.PATIENT;
        events.publishEvent(new ExchangePosted(
                consultation.appointmentId(),
                item,
                itemId,
                fromPatient ? SubjectKind.PRACTITIONER : SubjectKind.PATIENT,
                fromPatient ? consultation.practitionerId() : consultation.patientAccountId(),
                now()));
    }

    private static SubjectKind senderKind(Actor.Person actor) {
        return actor.role() == Role.PATIENT ? SubjectKind.PATIENT : SubjectKind.PRACTITIONER;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static AccessRequest request(
            Actor.Person actor, Consultation consultation, Action action, Resource resource) {
        return new AccessRequest(
                actor,
                PatientRef.account(consultation.patientAccountId()),
                EstablishmentId.of(consultation.establishmentId()),
                action,
                resource,
                List.of(
                        resource == Resource.CONSULTATION_MESSAGE
                                ? Field.CONSULTATION_MESSAGE
                                : Field.CONSULTATION_DOCUMENT),
                actor.role() == Role.PATIENT ? Purpose.SELF_SERVICE : Purpose.CARE);
    }
}
