package org.carnet.teleconsultation;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Where each envelope belongs, as its protected header says (docs/e2e.md, "Envelopes"): the critical
 * {@code carnet} parameter {@code {"v":1,"consultation":…,"kind":…,"item":…}}, the content type and the
 * key id. The header is the JWE's additional authenticated data, so a client that checks these values
 * refuses a ciphertext moved to another consultation, kind or item.
 */
public final class Bindings {

    public static final String KEY_KIND = "consultation-key";
    public static final String KEY_CONTENT_TYPE = "jwk+json";
    public static final String ANSWERS_KIND = "questionnaire-answers";
    public static final String ANSWERS_CONTENT_TYPE = "application/vnd.carnet.questionnaire-answers+json";

    public static final String MESSAGE_KIND = "message";
    public static final String MESSAGE_CONTENT_TYPE = "application/vnd.carnet.message+json";
    public static final String DOCUMENT_KIND = "document";
    public static final String DOCUMENT_CONTENT_TYPE = "application/vnd.carnet.document+json";
    public static final String CHUNK_KIND = "document-chunk";
    public static final String CHUNK_CONTENT_TYPE = "application/vnd.carnet.document-chunk";
    /** The binding kind in the protected header of a practitioner's JWS over a document. */
    public static final String SIGNATURE_KIND = "document-signature";
    /** The {@code cty} of that JWS: its payload is the document's manifest. */
    public static final String SIGNATURE_CONTENT_TYPE = "application/vnd.carnet.document-manifest+json";

    /** A call's signalling message (offer, answer, ICE candidate, admit, hang-up), relayed by Carnet. */
    public static final String SIGNAL_KIND = "signal";

    public static final String SIGNAL_CONTENT_TYPE = "application/vnd.carnet.signal+json";

    /**
     * The item of a signalling message: its sender ({@code patient:<id>} or {@code practitioner:<id>}), the
     * sender's page session (a random id per call attempt) and the message's sequence number in it.
     */
    public static String signalItem(String sender, String session, long sequence) {
        return sender + "/" + session + "/" + sequence;
    }

    /** The kind of an envelope that wraps a person's account key (to a device or to the recovery code). */
    public static final String ACCOUNT_KEY_KIND = "account-key";
    /** Its content type: the payload is {@code {"v":1,"encryption":<private JWK>,"signing":<private JWK>}}. */
    public static final String ACCOUNT_KEY_CONTENT_TYPE = "application/vnd.carnet.account-key+json";
    /** The item and {@code kid} of the account key wrapped to the recovery code. */
    public static final String RECOVERY_ITEM = "recovery";

    /**
     * The {@code kind} in the payload of the proof that comes with a new recovery code: a JWS by the account's
     * current signing key over the new recovery wraps' tags (docs/e2e.md, "A new recovery code").
     */
    public static final String RECOVERY_REPLACEMENT_KIND = "recovery-replacement";

    private Bindings() {}

    /** The item of the account key wrapped to a device: {@code device:<the device key's thumbprint>}. */
    public static String deviceItem(String deviceKid) {
        return "device:" + deviceKid;
    }

    /**
     * The binding of an account-key envelope: {@code {"v":1,"account":"<kind>:<id>","kind":"account-key",
     * "item":…}}, so that the server cannot hand one person's wrap to another, or a device's to another device.
     */
    public static Map<String, Object> accountBinding(SubjectKind kind, UUID subject, String item) {
        Map<String, Object> binding = new LinkedHashMap<>();
        binding.put("v", 1);
        binding.put("account", recipientItem(kind, subject));
        binding.put("kind", ACCOUNT_KEY_KIND);
        binding.put("item", item);
        return binding;
    }

    /** The item of a document's chunk: the document's id and the chunk's index, {@code <document>/<index>}. */
    public static String chunkItem(UUID documentId, int index) {
        return documentId + "/" + index;
    }

    /** The consultation key's {@code kid}, in its JWK and in every envelope encrypted under it. */
    public static String consultationKeyId(UUID appointmentId) {
        return "consultation/" + appointmentId;
    }

    /** The item of a wrapped key: its recipient. */
    public static String recipientItem(SubjectKind kind, UUID id) {
        return kind.code() + ":" + id;
    }

    /**
     * The binding of a numbered message (docs/e2e.md, "Sequence numbers"): {@code v} 2, and besides the
     * consultation, kind and item, its {@code sender} ({@code patient:<id>} or {@code practitioner:<id>}) and
     * {@code seq}, the sender's own count of their messages in this exchange from 1. A reader that finds a
     * sender's numbers with a gap knows the server withheld a message.
     */
    public static Map<String, Object> numberedMessageBinding(
            UUID appointmentId, UUID messageId, String sender, int sequence) {
        Map<String, Object> binding = binding(appointmentId, MESSAGE_KIND, messageId.toString());
        binding.put("v", 2);
        binding.put("sender", sender);
        binding.put("seq", sequence);
        return binding;
    }

    public static Map<String, Object> binding(UUID appointmentId, String kind, String item) {
        Map<String, Object> binding = new LinkedHashMap<>();
        binding.put("v", 1);
        binding.put("consultation", appointmentId.toString());
        binding.put("kind", kind);
        binding.put("item", item);
        return binding;
    }
}
