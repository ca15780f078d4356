package org.carnet.teleconsultation.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.carnet.teleconsultation.ConsultationExport.ExportedAnswers;
import org.carnet.teleconsultation.ConsultationExport.ExportedChunk;
import org.carnet.teleconsultation.ConsultationExport.ExportedDocument;
import org.carnet.teleconsultation.ConsultationExport.ExportedKey;
import org.carnet.teleconsultation.ConsultationExport.ExportedMessage;
import org.carnet.teleconsultation.ConsultationExport.Range;
import org.carnet.teleconsultation.Envelope;
import org.carnet.teleconsultation.SubjectKind;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Keyset pages of an establishment's teleconsultation tables for its export: the teleconsultations whose
 * key was set up within a range, and their establishment wraps, answers, messages, documents and chunks,
 * as stored (ciphertext).
 */
@Repository
public class ExportReads {

    /** Where a page starts: after this consultation and item (the consultation's id again for one-a-consultation rows). */
    public record Key(UUID appointment, UUID item) {}

    private static final String IN_RANGE = " JOIN teleconsultations t ON t.establishment_id = x.establishment_id"
            + " AND t.appointment_id = x.appointment_id"
            + " WHERE x.establishment_id = :establishment AND t.created_at >= :from AND t.created_at < :to";

    private final JdbcClient jdbc;

    ExportReads(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public List<ExportedKey> keys(Range range, @Nullable Key after, int limit) {
        return page(
                        "SELECT x.appointment_id, t.practitioner_id, t.patient_account_id, t.created_at, x.key_version,"
                                + " x.envelope FROM consultation_keys x" + IN_RANGE
                                + " AND x.recipient_kind = 'ESTABLISHMENT'",
                        false,
                        range,
                        after,
                        limit)
                .query((rs, n) -> new ExportedKey(
                        rs.getObject("appointment_id", UUID.class),
                        rs.getObject("practitioner_id", UUID.class),
                        rs.getObject("patient_account_id", UUID.class),
                        instant(rs, "created_at"),
                        rs.getInt("key_version"),
                        envelope(rs, "envelope")))
                .list();
    }

    public List<ExportedAnswers> answers(Range range, @Nullable Key after, int limit) {
        return page(
                        "SELECT x.*, t.patient_account_id FROM questionnaire_responses x" + IN_RANGE,
                        false,
                        range,
                        after,
                        limit)
                .query((rs, n) -> new ExportedAnswers(
                        rs.getObject("appointment_id", UUID.class),
                        rs.getObject("patient_account_id", UUID.class),
                        rs.getObject("item_id", UUID.class),
                        instant(rs, "submitted_at"),
                        envelope(rs, "envelope")))
                .list();
    }

    public List<ExportedMessage> messages(Range range, @Nullable Key after, int limit) {
        return page(
                        "SELECT x.*, t.patient_account_id FROM consultation_messages x" + IN_RANGE,
                        true,
                        range,
                        after,
                        limit)
                .query((rs, n) -> new ExportedMessage(
                        rs.getObject("appointment_id", UUID.class),
                        rs.getObject("patient_account_id", UUID.class),
                        rs.getObject("id", UUID.class),
                        SubjectKind.valueOf(rs.getString("sender_kind")),
                        rs.getObject("sender_id", UUID.class),
                        instant(rs, "posted_at"),
                        envelope(rs, "envelope")))
                .list();
    }

    public List<ExportedDocument> documents(Range range, @Nullable Key after, int limit) {
        return page(
                        "SELECT x.*, t.patient_account_id FROM consultation_documents x" + IN_RANGE,
                        true,
                        range,
                        after,
                        limit)
                .query((rs, n) -> new ExportedDocument(
                        rs.getObject("appointment_id", UUID.class),
                        rs.getObject("patient_account_id", UUID.class),
                        rs.getObject("id", UUID.class),
                        SubjectKind.valueOf(rs.getString("uploader_kind")),
                        rs.getObject("uploader_id", UUID.class),
                        rs.getInt("size_bytes"),
                        rs.getInt("chunk_count"),
                        instant(rs, "created_at"),
                        envelope(rs, "descriptor")))
                .list();
    }

    /** One chunk, as the API serves it (its ciphertext base64url again). */
    public Optional<ExportedChunk> chunk(Range range, ExportedDocument document, int index) {
        return jdbc.sql("SELECT * FROM consultation_document_chunks WHERE establishment_id = ? AND appointment_id = ?"
                        + " AND document_id = ? AND chunk_index = ?")
                .param(range.establishmentId())
                .param(document.appointmentId())
                .param(document.id())
                .param(index)
                .query((rs, n) -> new ExportedChunk(
                        document.appointmentId(),
                        document.id(),
                        index,
                        new Envelope(
                                rs.getString("protected_header"),
                                null,
                                rs.getString("iv"),
                                Base64.getUrlEncoder().withoutPadding().encodeToString(rs.getBytes("ciphertext")),
                                rs.getString("tag"))))
                .optional();
    }

    private JdbcClient.StatementSpec page(String select, boolean items, Range range, @Nullable Key after, int limit) {
        String sql = select;
        if (after != null) {
            sql += items
                    ? " AND (x.appointment_id > :after OR (x.appointment_id = :after AND x.id > :item))"
                    : " AND x.appointment_id > :after";
        }
        sql += " ORDER BY x.appointment_id" + (items ? ", x.id" : "") + " LIMIT " + limit;
        JdbcClient.StatementSpec spec = jdbc.sql(sql)
                .param("establishment", range.establishmentId())
                .param("from", range.from().atOffset(ZoneOffset.UTC))
                .param("to", range.to().atOffset(ZoneOffset.UTC));
        if (after != null) {
            spec = spec.param("after", after.appointment());
            if (items) {
                spec = spec.param("item", after.item());
            }
        }
        return spec;
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    private static Envelope envelope(ResultSet rs, String column) throws SQLException {
        return ConsultationStore.parseEnvelope(rs.getString(column));
    }
}
