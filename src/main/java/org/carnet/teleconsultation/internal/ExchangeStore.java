package org.carnet.teleconsultation.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.carnet.teleconsultation.Envelope;
import org.carnet.teleconsultation.SubjectKind;
import org.carnet.teleconsultation.internal.ConsultationStore.Consultation;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code consultation_messages}, {@code consultation_documents} and {@code
 * consultation_document_chunks} tables: a teleconsultation's written exchange, as ciphertext.
 */
@Repository
public class ExchangeStore {

    /**
     * A stored message: who sent it (the patient or a practitioner), the sender's number for it (null for a
     * message posted unnumbered), its envelope.
     */
    public record Message(
            UUID id,
            SubjectKind senderKind,
            UUID senderId,
            @Nullable Integer sequence,
            Envelope envelope,
            Instant postedAt) {}

    /** A stored document: who uploaded it, its size and chunk count, its descriptor's envelope. */
    public record Document(
            UUID id,
            SubjectKind uploaderKind,
            UUID uploaderId,
            int size,
            int chunkCount,
            Envelope descriptor,
            Instant createdAt,
            int chunksStored) {}

    /** A stored chunk: its envelope's members, the ciphertext as bytes. */
    public record Chunk(int index, String protectedHeader, String iv, String tag, byte[] ciphertext) {}

    private static final int MAX_MESSAGES = 1000;

    private final JdbcClient jdbc;

    ExchangeStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Stores a message; fails on the primary key when its id is taken in this consultation, and on the unique
     * index when its sender already stored a message under its number.
     */
    public void insertMessage(Consultation consultation, Message message) {
        jdbc.sql("INSERT INTO consultation_messages (establishment_id, appointment_id, id, sender_kind, sender_id,"
                        + " sender_sequence, envelope, posted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                .param(consultation.establishmentId())
                .param(consultation.appointmentId())
                .param(message.id())
                .param(message.senderKind().name())
                .param(message.senderId())
                .param(message.sequence())
                .param(message.envelope().json())
                .param(message.postedAt().atOffset(ZoneOffset.UTC))
                .update();
    }

    /** The consultation's messages, oldest first (at most the first thousand). */
    public List<Message> messages(Consultation consultation) {
        return jdbc.sql("SELECT * FROM consultation_messages WHERE establishment_id = ? AND appointment_id = ?"
                        + " ORDER BY posted_at, id FETCH FIRST " + MAX_MESSAGES + " ROWS ONLY")
                .param(consultation.establishmentId())
                .param(consultation.appointmentId())
                .query((rs, n) -> new Message(
                        rs.getObject("id", UUID.class),
                        SubjectKind.valueOf(rs.getString("sender_kind")),
                        rs.getObject("sender_id", UUID.class),
                        rs.getObject("sender_sequence", Integer.class),
                        ConsultationStore.parseEnvelope(rs.getString("envelope")),
                        rs.getObject("posted_at", OffsetDateTime.class).toInstant()))
                .list();
    }

    public int messageCount(Consultation consultation) {
        return jdbc.sql("SELECT COUNT(*) FROM consultation_messages WHERE establishment_id = ? AND appointment_id = ?")
                .param(consultation.establishmentId())
                .param(consultation.appointmentId())
                .query(Integer.class)
                .single();
    }

    /** Stores a document's descriptor; fails on the primary key when its id is taken in this consultation. */
    public void insertDocument(Consultation consultation, Document document) {
        jdbc.sql("INSERT INTO consultation_documents (establishment_id, appointment_id, id, uploader_kind,"
                        + " uploader_id, size_bytes, chunk_count, descriptor, created_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .param(consultation.establishmentId())
                .param(consultation.appointmentId())
                .param(document.id())
                .param(document.uploaderKind().name())
                .param(document.uploaderId())
                .param(document.size())
                .param(document.chunkCount())
                .param(document.descriptor().json())
                .param(document.createdAt().atOffset(ZoneOffset.UTC))
                .update();
    }

    private static final String DOCUMENTS = "SELECT d.*, (SELECT COUNT(*) FROM consultation_document_chunks c"
            + " WHERE c.establishment_id = d.establishment_id AND c.appointment_id = d.appointment_id"
            + " AND c.document_id = d.id) AS chunks_stored FROM consultation_documents d"
            + " WHERE d.establishment_id = ? AND d.appointment_id = ?";

    public List<Document> documents(Consultation consultation) {
        return jdbc.sql(DOCUMENTS + " ORDER BY d.created_at, d.id FETCH FIRST " + MAX_MESSAGES + " ROWS ONLY")
                .param(consultation.establishmentId())
                .param(consultation.appointmentId())
                .query((rs, n) -> document(rs))
                .list();
    }

    public Optional<Document> document(Consultation consultation, UUID documentId) {
        return jdbc.sql(DOCUMENTS + " AND d.id = ?")
                .param(consultation.establishmentId())
                .param(consultation.appointmentId())
                .param(documentId)
                .query((rs, n) -> document(rs))
                .optional();
    }

    public int documentCount(Consultation consultation) {
        return jdbc.sql("SELECT COUNT(*) FROM consultation_documents WHERE establishment_id = ? AND appointment_id = ?")
                .param(consultation.establishmentId())
                .param(consultation.appointmentId())
                .query(Integer.class)
                .single();
    }

    /** Stores a chunk; fails on the primary key when that index is already stored. */
    public void insertChunk(Consultation consultation, UUID documentId, Chunk chunk) {
        jdbc.sql("INSERT INTO consultation_document_chunks (establishment_id, appointment_id, document_id,"
                        + " chunk_index, protected_header, iv, tag, ciphertext) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                .param(consultation.establishmentId())
                .param(consultation.appointmentId())
                .param(documentId)
                .param(chunk.index())
                .param(chunk.protectedHeader())
                .param(chunk.iv())
                .param(chunk.tag())
                .param(chunk.ciphertext())
                .update();
    }

    public Optional<Chunk> chunk(Consultation consultation, UUID documentId, int index) {
        return jdbc.sql("SELECT * FROM consultation_document_chunks WHERE establishment_id = ? AND appointment_id = ?"
                        + " AND document_id = ? AND chunk_index = ?")
                .param(consultation.establishmentId())
                .param(consultation.appointmentId())
                .param(documentId)
                .param(index)
                .query((rs, n) -> new Chunk(
                        rs.getInt("chunk_index"),
                        rs.getString("protected_header"),
                        rs.getString("iv"),
                        rs.getString("tag"),
                        rs.getBytes("ciphertext")))
                .optional();
    }

    private static Document document(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Document(
                rs.getObject("id", UUID.class),
                SubjectKind.valueOf(rs.getString("uploader_kind")),
                rs.getObject("uploader_id", UUID.class),
                rs.getInt("size_bytes"),
                rs.getInt("chunk_count"),
                ConsultationStore.parseEnvelope(rs.getString("descriptor")),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getInt("chunks_stored"));
    }
}
