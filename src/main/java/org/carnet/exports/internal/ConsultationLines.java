package org.carnet.exports.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import org.carnet.audit.AccessEvent;
import org.carnet.audit.AuditEntry;
import org.carnet.audit.RecordedActor;
import org.carnet.teleconsultation.ConsultationExport;
import org.carnet.teleconsultation.Envelope;
import org.carnet.teleconsultation.SubjectKind;

/**
 * The NDJSON lines of an export's teleconsultations and access log (docs/exports.md, "The archive"). Every
 * end-to-end envelope leaves exactly as Carnet stores it, a JWE in flattened JSON serialization, as the
 * base64 {@code data} of an {@code application/jose+json} attachment; nothing is opened. The wraps of the
 * consultation keys to the establishment have no FHIR resource: they are Carnet's own lines.
 */
final class ConsultationLines {

    static final String KEYS = "consultation-keys.ndjson";
    static final String KEYS_TYPE = "carnet-consultation-key";
    static final String DOCUMENT_END = "]}\n";
    /** The media type of a JWE in JSON serialization (RFC 7516 §9.2.1). */
    static final String JOSE_JSON = "application/jose+json";

    static final String PATIENT_ACCOUNT = "https://carnet.example/fhir/NamingSystem/patient-account";
    static final String TELECONSULTATION = "https://carnet.example/fhir/StructureDefinition/teleconsultation";
    static final String CHAIN_POSITION = "https://carnet.example/fhir/StructureDefinition/chain-position";
    static final String ENCRYPTED_ANSWERS = "carnet-encrypted-answers";

    private static final String EVENT_TYPE = "http://terminology.hl7.org/CodeSystem/audit-event-type";
    private static final String PURPOSE = "https://carnet.example/fhir/CodeSystem/access-purpose";
    private static final String ROLE = "https://carnet.example/fhir/CodeSystem/actor-role";
    private static final String CLIENT_ID = "https://carnet.example/fhir/NamingSystem/client-id";
    private static final String LOGIN_ID = "https://carnet.example/fhir/NamingSystem/login-id";

    private ConsultationLines() {}

    /** The establishment's wrap of a consultation key: the envelope as stored, as a JSON member. */
    static String key(ConsultationExport.ExportedKey k, UUID establishmentId) {
        return "{\"teleconsultation\":" + Json.quote(k.appointmentId().toString())
                + ",\"appointment\":" + reference("Appointment/" + k.appointmentId())
                + ",\"practitioner\":" + reference("Practitioner/" + k.practitionerId())
                + ",\"patient\":" + patient(k.patientAccountId())
                + ",\"setUpAt\":" + Json.quote(k.setUpAt().toString())
                + ",\"recipient\":" + Json.quote("establishment:" + establishmentId)
                + ",\"keyVersion\":" + k.keyVersion()
                + ",\"envelope\":" + k.envelope().json() + "}\n";
    }

    static String answers(ConsultationExport.ExportedAnswers a) {
        return "{\"resourceType\":\"QuestionnaireResponse\",\"id\":"
                + Json.quote(a.itemId().toString())
                + ",\"extension\":[{\"url\":" + Json.quote(TELECONSULTATION) + ",\"valueReference\":"
                + reference("Appointment/" + a.appointmentId()) + "}]"
                + ",\"status\":\"completed\",\"subject\":" + patient(a.patientAccountId())
                + ",\"authored\":" + Json.quote(a.submittedAt().toString())
                + ",\"item\":[{\"linkId\":" + Json.quote(ENCRYPTED_ANSWERS) + ",\"answer\":[{\"valueAttachment\":"
                + attachment(a.envelope(), null) + "}]}]}\n";
    }

    static String message(ConsultationExport.ExportedMessage m) {
        return "{\"resourceType\":\"Communication\",\"id\":" + Json.quote(m.id().toString())
                + ",\"status\":\"completed\",\"subject\":" + patient(m.patientAccountId())
                + ",\"about\":[" + reference("Appointment/" + m.appointmentId()) + "]"
                + ",\"sent\":" + Json.quote(m.postedAt().toString())
                + ",\"sender\":" + party(m.senderKind(), m.senderId())
                + ",\"payload\":[{\"contentAttachment\":" + attachment(m.envelope(), null) + "}]}\n";
    }

    /** A document's line up to its descriptor: its chunks follow ({@link #chunk}), then {@link #DOCUMENT_END}. */
    static String documentStart(ConsultationExport.ExportedDocument d) {
        return "{\"resourceType\":\"DocumentReference\",\"id\":" + Json.quote(d.id().toString())
                + ",\"status\":\"current\",\"subject\":" + patient(d.patientAccountId())
                + ",\"date\":" + Json.quote(d.createdAt().toString())
                + ",\"author\":[" + party(d.uploaderKind(), d.uploaderId()) + "]"
                + ",\"context\":{\"related\":[" + reference("Appointment/" + d.appointmentId()) + "]}"
                + ",\"content\":[{\"attachment\":" + attachment(d.descriptor(), "descriptor") + "}";
    }

    static String chunk(ConsultationExport.ExportedChunk c) {
        return ",{\"attachment\":" + attachment(c.envelope(), "chunk/" + c.index()) + "}";
    }

    /** An access log entry as an R4 AuditEvent, as Carnet's FHIR API shows it (ids only; no address). */
    static String auditEvent(AuditEntry e) {
        StringBuilder out =
                new StringBuilder("{\"resourceType\":\"AuditEvent\",\"id\":").append(Json.quote(Long.toString(e.id())));
        if (e.position() != null) {
            out.append(",\"extension\":[{\"url\":")
                    .append(Json.quote(CHAIN_POSITION))
                    .append(",\"valueInteger\":")
                    .append(e.position())
                    .append("}]");
        }
        out.append(",\"type\":{\"system\":")
                .append(Json.quote(EVENT_TYPE))
                .append(",\"code\":\"rest\",\"display\":\"RESTful Operation\"},\"action\":\"")
                .append(e.action().name().charAt(0))
                .append("\",\"recorded\":")
                .append(Json.quote(e.occurredAt().toString()))
                .append(",\"outcome\":\"")
                .append(e.outcome() == AccessEvent.Outcome.ALLOWED ? "0" : "4")
                .append("\",\"purposeOfEvent\":[{\"coding\":[{\"system\":")
                .append(Json.quote(PURPOSE))
                .append(",\"code\":")
                .append(Json.quote(e.purpose()))
                .append("}]}],\"agent\":[{\"role\":[{\"coding\":[{\"system\":")
                .append(Json.quote(ROLE))
                .append(",\"code\":")
                .append(Json.quote(e.actor().role()))
                .append("}]}],\"who\":")
                .append(who(e.actor()))
                .append(",\"requestor\":true}");
        if (e.onBehalfOf() != null) {
            out.append(",{\"who\":")
                    .append(reference("Patient/" + e.onBehalfOf()))
                    .append(",\"requestor\":false}");
        }
        out.append("],\"source\":{\"site\":\"Carnet\",\"observer\":")
                .append(
                        e.establishmentId() == null
                                ? "{\"display\":\"Carnet\"}"
                                : reference("Organization/" + e.establishmentId()))
                .append("},\"entity\":[{");
        if (e.patientId() != null) {
            out.append("\"what\":")
                    .append(reference("Patient/" + e.patientId()))
                    .append(",\"type\":{\"system\":\"http://terminology.hl7.org/CodeSystem/audit-entity-type\","
                            + "\"code\":\"1\",\"display\":\"Person\"},\"role\":{\"system\":"
                            + "\"http://terminology.hl7.org/CodeSystem/object-role\",\"code\":\"1\",\"display\":"
                            + "\"Patient\"},");
        }
        out.append("\"detail\":[{\"type\":\"resource\",\"valueString\":")
                .append(Json.quote(e.resource()))
                .append('}');
        if (!e.fields().isEmpty()) {
            out.append(",{\"type\":\"fields\",\"valueString\":")
                    .append(Json.quote(String.join(",", e.fields())))
                    .append('}');
        }
        return out.append("]}]}\n").toString();
    }

    /** The envelope exactly as stored, base64 in an attachment. */
    static String attachment(Envelope envelope, @org.jspecify.annotations.Nullable String title) {
        return "{\"contentType\":\"" + JOSE_JSON + "\",\"data\":\""
                + Base64.getEncoder().encodeToString(envelope.json().getBytes(StandardCharsets.US_ASCII)) + "\""
                + (title == null ? "" : ",\"title\":" + Json.quote(title)) + "}";
    }

    private static String who(RecordedActor actor) {
        if (actor.id() == null) {
            return "{\"display\":" + Json.quote(actor.type() == RecordedActor.Type.SYSTEM ? "Carnet" : "anonymous")
                    + "}";
        }
        return "{\"identifier\":{\"system\":"
                + Json.quote(actor.type() == RecordedActor.Type.CLIENT ? CLIENT_ID : LOGIN_ID) + ",\"value\":"
                + Json.quote(actor.id().toString()) + "}}";
    }

    private static String party(SubjectKind kind, UUID id) {
        return kind == SubjectKind.PRACTITIONER ? reference("Practitioner/" + id) : patient(id);
    }

    /** A patient named by their Carnet account (the teleconsultation tables know no patient file). */
    private static String patient(UUID accountId) {
        return "{\"type\":\"Patient\",\"identifier\":{\"system\":" + Json.quote(PATIENT_ACCOUNT) + ",\"value\":"
                + Json.quote(accountId.toString()) + "}}";
    }

    private static String reference(String reference) {
        return "{\"reference\":" + Json.quote(reference) + "}";
    }
}
