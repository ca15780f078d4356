package org.carnet.teleconsultation.internal;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.text.ParseException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.carnet.teleconsultation.Envelope;
import org.carnet.teleconsultation.SubjectKind;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code teleconsultations}, {@code consultation_keys} and {@code questionnaire_responses} tables:
 * who a consultation's recipients are, their wrapped keys and the patient's answers, as ciphertext.
 */
@Repository
public class ConsultationStore {

    /** A teleconsultation whose key is set up: its establishment and two people. */
    public record Consultation(UUID establishmentId, UUID appointmentId, UUID practitionerId, UUID patientAccountId) {}

    /** A wrapped key and the directory version of the key it was wrapped to. */
    public record WrappedKey(SubjectKind recipientKind, UUID recipientId, int keyVersion, Envelope envelope) {}

    /** The answers item. */
    public record Answers(UUID itemId, Envelope envelope, Instant submittedAt) {}

    private final JdbcClient jdbc;

    ConsultationStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Consultation> find(UUID appointmentId) {
        return jdbc.sql("SELECT * FROM teleconsultations WHERE appointment_id = ?")
                .param(appointmentId)
                .query((rs, n) -> new Consultation(
                        rs.getObject("establishment_id", UUID.class),
                        rs.getObject("appointment_id", UUID.class),
                        rs.getObject("practitioner_id", UUID.class),
                        rs.getObject("patient_account_id", UUID.class)))
                .optional();
    }

    /** Records the consultation; fails on the primary key when it is already set up. */
    public void insert(Consultation consultation, Instant at) {
        jdbc.sql("INSERT INTO teleconsultations (establishment_id, appointment_id, practitioner_id, patient_account_id,"
                        + " created_at) VALUES (?, ?, ?, ?, ?)")
                .param(consultation.establishmentId())
                .param(consultation.appointmentId())
                .param(consultation.practitionerId())
                .param(consultation.patientAccountId())
                .param(at.atOffset(ZoneOffset.UTC))
                .update();
    }

    public void insertKey(Consultation consultation, WrappedKey key) {
        jdbc.sql("INSERT INTO consultation_keys (establishment_id, appointment_id, recipient_kind, recipient_id,"
                        + " key_version, envelope) VALUES (?, ?, ?, ?, ?, ?)")
                .param(consultation.establishmentId())
                .param(consultation.appointmentId())
                .param(key.recipientKind().name())
                .param(key.recipientId())
                .param(key.keyVersion())
                .param(key.envelope().json())
                .update();
    }

    public Optional<WrappedKey> key(Consultation consultation, SubjectKind recipient) {
        return jdbc.sql("SELECT * FROM consultation_keys WHERE establishment_id = ? AND appointment_id = ?"
                        + " AND recipient_kind = ?")
                .param(consultation.establishmentId())
                .param(consultation.appointmentId())
                .param(recipient.name())
                .query((rs, n) -> new WrappedKey(
                        SubjectKind.valueOf(rs.getString("recipient_kind")),
                        rs.getObject("recipient_id", UUID.class),
                        rs.getInt("key_version"),
                        envelope(rs)))
                .optional();
    }

    /** Stores the answers; fails on the primary key when the consultation already has some. */
    public void insertAnswers(Consultation consultation, Answers answers) {
        jdbc.sql("INSERT INTO questionnaire_responses (establishment_id, appointment_id, item_id, envelope,"
                        + " submitted_at) VALUES (?, ?, ?, ?, ?)")
                .param(consultation.establishmentId())
                .param(consultation.appointmentId())
                .param(answers.itemId())
                .param(answers.envelope().json())
                .param(answers.submittedAt().atOffset(ZoneOffset.UTC))
                .update();
    }

    public Optional<Answers> answers(Consultation consultation) {
        return jdbc.sql("SELECT * FROM questionnaire_responses WHERE establishment_id = ? AND appointment_id = ?")
                .param(consultation.establishmentId())
                .param(consultation.appointmentId())
                .query((rs, n) -> new Answers(
                        rs.getObject("item_id", UUID.class),
                        envelope(rs),
                        rs.getObject("submitted_at", OffsetDateTime.class).toInstant()))
                .optional();
    }

    private static String member(Map<String, Object> members, String name) {
        return (String) Objects.requireNonNull(members.get(name), name);
    }

    private static Envelope envelope(ResultSet rs) throws SQLException {
        return parseEnvelope(rs.getString("envelope"));
    }

    /** An envelope as stored: its flattened JSON serialization. */
    static Envelope parseEnvelope(String json) {
        try {
            Map<String, Object> members = JSONObjectUtils.parse(json);
            return new Envelope(
                    member(members, "protected"),
                    (String) members.get("encrypted_key"),
                    member(members, "iv"),
                    member(members, "ciphertext"),
                    member(members, "tag"));
        } catch (ParseException e) {
            throw new IllegalStateException("A stored envelope does not parse", e);
        }
    }
}
