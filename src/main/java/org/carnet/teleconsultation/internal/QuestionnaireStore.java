package org.carnet.teleconsultation.internal;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.text.ParseException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.carnet.teleconsultation.Question;
import org.carnet.teleconsultation.Questionnaire;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The {@code questionnaires} and {@code questionnaire_motives} tables: plain form definitions and their motives. */
@Repository
public class QuestionnaireStore {

    private final JdbcClient jdbc;

    QuestionnaireStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(Questionnaire questionnaire, UUID createdBy) {
        jdbc.sql("INSERT INTO questionnaires (establishment_id, id, practitioner_id, title, questions, created_by,"
                        + " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
                .param(questionnaire.establishmentId())
                .param(questionnaire.id())
                .param(questionnaire.practitionerId())
                .param(questionnaire.title())
                .param(questionsJson(questionnaire.questions()))
                .param(createdBy)
                .param(questionnaire.createdAt().atOffset(ZoneOffset.UTC))
                .update();
    }

    public Optional<Questionnaire> find(UUID id) {
        return jdbc.sql("SELECT * FROM questionnaires WHERE id = ?")
                .param(id)
                .query(QuestionnaireStore::questionnaire)
                .optional();
    }

    /** An establishment's questionnaires, newest first (at most 200). */
    public List<Questionnaire> ofEstablishment(UUID establishmentId) {
        return jdbc.sql("SELECT * FROM questionnaires WHERE establishment_id = ? ORDER BY created_at DESC LIMIT 200")
                .param(establishmentId)
                .query(QuestionnaireStore::questionnaire)
                .list();
    }

    /** The questionnaires attached to a motive, oldest first. */
    public List<Questionnaire> forMotive(UUID establishmentId, UUID motiveId) {
        return jdbc.sql("SELECT q.* FROM questionnaires q JOIN questionnaire_motives m"
                        + " ON m.establishment_id = q.establishment_id AND m.questionnaire_id = q.id"
                        + " WHERE m.establishment_id = ? AND m.visit_motive_id = ? ORDER BY q.created_at, q.id")
                .param(establishmentId)
                .param(motiveId)
                .query(QuestionnaireStore::questionnaire)
                .list();
    }

    /** The motives each of the establishment's questionnaires is attached to (questionnaires with none are absent). */
    public Map<UUID, List<UUID>> attachments(UUID establishmentId) {
        Map<UUID, List<UUID>> attached = new LinkedHashMap<>();
        jdbc.sql("SELECT questionnaire_id, visit_motive_id FROM questionnaire_motives WHERE establishment_id = ?"
                        + " ORDER BY questionnaire_id, visit_motive_id")
                .param(establishmentId)
                .query((ResultSet rs) -> {
                    attached.computeIfAbsent(rs.getObject(1, UUID.class), q -> new java.util.ArrayList<>())
                            .add(rs.getObject(2, UUID.class));
                });
        return attached;
    }

    /** Attaches a questionnaire to a motive; attaching it twice changes nothing. */
    public void attach(UUID establishmentId, UUID motiveId, UUID questionnaireId) {
        try {
            jdbc.sql("INSERT INTO questionnaire_motives (establishment_id, visit_motive_id, questionnaire_id)"
                            + " VALUES (?, ?, ?)")
                    .param(establishmentId)
                    .param(motiveId)
                    .param(questionnaireId)
                    .update();
        } catch (DuplicateKeyException e) {
            // Already attached.
        }
    }

    public boolean detach(UUID establishmentId, UUID motiveId, UUID questionnaireId) {
        return jdbc.sql("DELETE FROM questionnaire_motives WHERE establishment_id = ? AND visit_motive_id = ?"
                                + " AND questionnaire_id = ?")
                        .param(establishmentId)
                        .param(motiveId)
                        .param(questionnaireId)
                        .update()
                == 1;
    }

    private static String questionsJson(List<Question> questions) {
        List<Object> list = questions.stream()
                .map(q -> {
                    Map<String, Object> member = new LinkedHashMap<>();
                    member.put("id", q.id());
                    member.put("type", q.type().name());
                    member.put("label", q.label());
                    member.put("required", q.required());
                    member.put("options", q.options());
                    return (Object) member;
                })
                .toList();
        return JSONObjectUtils.toJSONString(Map.of("questions", list));
    }

    private static Questionnaire questionnaire(ResultSet rs, int n) throws SQLException {
        List<Question> questions;
        try {
            List<Object> list =
                    JSONObjectUtils.getJSONArray(JSONObjectUtils.parse(rs.getString("questions")), "questions");
            questions = Objects.requireNonNull(list, "questions").stream()
                    .map(o -> {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> q = (Map<String, Object>) o;
                        @SuppressWarnings("unchecked")
                        List<String> options = (List<String>) q.get("options");
                        return new Question(
                                (String) Objects.requireNonNull(q.get("id"), "id"),
                                Question.Type.valueOf((String) Objects.requireNonNull(q.get("type"), "type")),
                                (String) Objects.requireNonNull(q.get("label"), "label"),
                                Boolean.TRUE.equals(q.get("required")),
                                options == null ? List.of() : options);
                    })
                    .toList();
        } catch (ParseException e) {
            throw new IllegalStateException("A stored questionnaire does not parse", e);
        }
        return new Questionnaire(
                rs.getObject("id", UUID.class),
                rs.getObject("establishment_id", UUID.class),
                rs.getObject("practitioner_id", UUID.class),
                rs.getString("title"),
                questions,
                rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }
}
