package org.carnet.teleconsultation;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObject;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.DirectDecrypter;
import com.nimbusds.jose.crypto.DirectEncrypter;
import com.nimbusds.jose.crypto.ECDHDecrypter;
import com.nimbusds.jose.crypto.ECDHEncrypter;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.carnet.teleconsultation.internal.EntryHashing;
import tools.jackson.databind.JsonNode;

/**
 * What a Carnet client does with nimbus-jose-jwt, as docs/e2e.md specifies it: keys, wraps, envelopes
 * and the checks a client makes before trusting what the server served. Tests only; the server never
 * holds a private key or a consultation key.
 */
final class JoseClient {

    static final Set<String> CRITICAL = Set.of("carnet");

    /** A user's or establishment's key pairs: private parts stay here. */
    record Keys(ECKey encryption, ECKey signing) {
        static Keys generate() {
            try {
                return new Keys(
                        new ECKeyGenerator(Curve.P_256)
                                .keyUse(KeyUse.ENCRYPTION)
                                .algorithm(JWEAlgorithm.ECDH_ES_A256KW)
                                .generate(),
                        new ECKeyGenerator(Curve.P_256)
                                .keyUse(KeyUse.SIGNATURE)
                                .algorithm(com.nimbusds.jose.JWSAlgorithm.ES256)
                                .generate());
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }

        Map<String, Object> publication() {
            return Map.of(
                    "encryptionKey", encryption.toPublicJWK().toJSONObject(),
                    "signingKey", signing.toPublicJWK().toJSONObject());
        }

        String encryptionKid() {
            try {
                return encryption.computeThumbprint().toString();
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private JoseClient() {}

    static OctetSequenceKey newConsultationKey(UUID appointment) {
        try {
            return new OctetSequenceKeyGenerator(256)
                    .keyID(Bindings.consultationKeyId(appointment))
                    .algorithm(EncryptionMethod.A256GCM)
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, Object> binding(UUID appointment, String kind, String item) {
        Map<String, Object> binding = new LinkedHashMap<>();
        binding.put("v", 1);
        binding.put("consultation", appointment.toString());
        binding.put("kind", kind);
        binding.put("item", item);
        return binding;
    }

    /** The consultation key wrapped to one recipient's published encryption key (from its directory entry). */
    static Map<String, Object> wrap(OctetSequenceKey key, UUID appointment, String recipientItem, String recipientJwk) {
        try {
            ECKey recipient = ECKey.parse(recipientJwk);
            JWEHeader header = new JWEHeader.Builder(JWEAlgorithm.ECDH_ES_A256KW, EncryptionMethod.A256GCM)
                    .keyID(recipient.getKeyID())
                    .contentType(Bindings.KEY_CONTENT_TYPE)
                    .criticalParams(CRITICAL)
                    .customParam("carnet", binding(appointment, Bindings.KEY_KIND, recipientItem))
                    .build();
            JWEObject jwe = new JWEObject(header, new Payload(key.toJSONObject()));
            jwe.encrypt(new ECDHEncrypter(recipient));
            return flattened(jwe);
        } catch (JOSEException | ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Opens a wrapped consultation key after checking it is bound where the client expects it. */
    static OctetSequenceKey unwrap(JsonNode envelope, ECKey privateKey, UUID appointment, String recipientItem)
            throws JOSEException, ParseException {
        JWEObject jwe = parse(envelope);
        requireBinding(jwe.getHeader(), binding(appointment, Bindings.KEY_KIND, recipientItem));
        jwe.decrypt(new ECDHDecrypter(privateKey.toECPrivateKey(), CRITICAL));
        OctetSequenceKey key = OctetSequenceKey.parse(jwe.getPayload().toJSONObject());
        if (!Bindings.consultationKeyId(appointment).equals(key.getKeyID())) {
            throw new JOSEException("The wrapped key is another consultation's");
        }
        return key;
    }

    /** Encrypts the answers under the consultation key, bound to the consultation and the item. */
    static Map<String, Object> seal(OctetSequenceKey key, UUID appointment, UUID item, String answersJson) {
        return sealItem(
                key,
                appointment,
                Bindings.ANSWERS_KIND,
                Bindings.ANSWERS_CONTENT_TYPE,
                item.toString(),
                answersJson.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Encrypts any exchange item under the consultation key, bound to the consultation, its kind and item. */
    static Map<String, Object> sealItem(
            OctetSequenceKey key, UUID appointment, String kind, String contentType, String item, byte[] plaintext) {
        return sealBound(key, appointment, contentType, binding(appointment, kind, item), plaintext);
    }

    /**
     * Posts an unnumbered text message (the format before sequence numbers, still accepted) as the holder of
     * {@code token}, and checks it was stored; its id.
     */
    static UUID postMessage(
            org.carnet.support.Api api, OctetSequenceKey key, UUID appointment, String text, String token) {
        UUID id = UUID.randomUUID();
        org.carnet.support.Api.Response posted = api.post(
                ConsultationParties.BASE + "/" + appointment + "/messages",
                Map.of(
                        "messageId",
                        id,
                        "envelope",
                        sealItem(
                                key,
                                appointment,
                                Bindings.MESSAGE_KIND,
                                Bindings.MESSAGE_CONTENT_TYPE,
                                id.toString(),
                                ("{\"v\":1,\"text\":\"" + text + "\"}")
                                        .getBytes(java.nio.charset.StandardCharsets.UTF_8))),
                token);
        org.assertj.core.api.Assertions.assertThat(posted.status())
                .as(posted.raw())
                .isEqualTo(201);
        return id;
    }

    /**
     * A numbered message (docs/e2e.md, "Sequence numbers"): bound besides to its sender ({@code patient:<id>}
     * or {@code practitioner:<id>}) and the sender's number for it.
     */
    static Map<String, Object> sealNumberedMessage(
            OctetSequenceKey key, UUID appointment, UUID messageId, String sender, int sequence, String json) {
        return sealBound(
                key,
                appointment,
                Bindings.MESSAGE_CONTENT_TYPE,
                Bindings.numberedMessageBinding(appointment, messageId, sender, sequence),
                json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** A message as its reader's client opened it: the sender's number (null if unnumbered) and its text. */
    record OpenedMessage(Integer sequence, String json) {}

    /**
     * Opens a served message as a client does: the binding must name this consultation, the kind message and
     * this id; a numbered one (v 2) must also name the sender the server says sent it, and a number from 1;
     * then the tag, which covers the whole header, number included. An unnumbered (v 1) message opens as
     * before numbering.
     */
    static OpenedMessage openMessage(
            JsonNode envelope, OctetSequenceKey key, UUID appointment, String messageId, String servedSender)
            throws JOSEException, ParseException {
        JWEObject jwe = parse(envelope);
        Object carnet = jwe.getHeader().getCustomParam("carnet");
        Integer sequence = null;
        if (carnet instanceof Map<?, ?> given && given.get("v") instanceof Number v && v.intValue() == 2) {
            if (!(given.get("seq") instanceof Number seq)
                    || seq.intValue() < 1
                    || seq.doubleValue() != seq.intValue()) {
                throw new JOSEException("A numbered message needs a number from 1");
            }
            sequence = seq.intValue();
            requireBinding(
                    jwe.getHeader(),
                    Bindings.numberedMessageBinding(appointment, UUID.fromString(messageId), servedSender, sequence));
        } else {
            requireBinding(jwe.getHeader(), binding(appointment, Bindings.MESSAGE_KIND, messageId));
        }
        if (!Bindings.consultationKeyId(appointment).equals(jwe.getHeader().getKeyID())
                || !Bindings.MESSAGE_CONTENT_TYPE.equals(jwe.getHeader().getContentType())) {
            throw new JOSEException("Not this consultation's message");
        }
        jwe.decrypt(new DirectDecrypter(key.toSecretKey(), CRITICAL));
        return new OpenedMessage(sequence, jwe.getPayload().toString());
    }

    private static Map<String, Object> sealBound(
            OctetSequenceKey key, UUID appointment, String contentType, Map<String, Object> binding, byte[] plaintext) {
        try {
            JWEHeader header = new JWEHeader.Builder(JWEAlgorithm.DIR, EncryptionMethod.A256GCM)
                    .keyID(Bindings.consultationKeyId(appointment))
                    .contentType(contentType)
                    .criticalParams(CRITICAL)
                    .customParam("carnet", binding)
                    .build();
            JWEObject jwe = new JWEObject(header, new Payload(plaintext));
            jwe.encrypt(new DirectEncrypter(key));
            return flattened(jwe);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Opens an exchange item the server served as this consultation's {@code kind} item {@code item}:
     * refuses one bound elsewhere, of another content type, or altered.
     */
    static byte[] openItem(
            JsonNode envelope, OctetSequenceKey key, UUID appointment, String kind, String contentType, String item)
            throws JOSEException, ParseException {
        JWEObject jwe = parse(envelope);
        requireBinding(jwe.getHeader(), binding(appointment, kind, item));
        if (!Bindings.consultationKeyId(appointment).equals(jwe.getHeader().getKeyID())
                || !contentType.equals(jwe.getHeader().getContentType())) {
            throw new JOSEException("Not this consultation's " + kind);
        }
        jwe.decrypt(new DirectDecrypter(key.toSecretKey(), CRITICAL));
        return jwe.getPayload().toBytes();
    }

    /**
     * The practitioner's signature over a document's manifest: a compact JWS (ES256) whose protected
     * header names the signing key (its directory kid) and binds it, like an envelope, to the
     * consultation, the kind {@code document-signature} and the document.
     */
    static String sign(ECKey signing, String signingKid, UUID appointment, UUID document, String manifestJson) {
        try {
            com.nimbusds.jose.JWSObject jws = new com.nimbusds.jose.JWSObject(
                    new com.nimbusds.jose.JWSHeader.Builder(com.nimbusds.jose.JWSAlgorithm.ES256)
                            .keyID(signingKid)
                            .contentType(Bindings.SIGNATURE_CONTENT_TYPE)
                            .criticalParams(CRITICAL)
                            .customParam("carnet", binding(appointment, Bindings.SIGNATURE_KIND, document.toString()))
                            .build(),
                    new Payload(manifestJson));
            jws.sign(new com.nimbusds.jose.crypto.ECDSASigner(signing));
            return jws.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * What the patient's client does with a signed document: the JWS bound to this consultation and
     * document, signed by the signing key of the issuer's directory entry (whose chain the client checked),
     * its manifest naming this document and the SHA-256 of the bytes it decrypted. Returns the manifest.
     */
    static Map<String, Object> verifySignature(
            String compactJws, String signingJwk, UUID appointment, UUID document, byte[] content)
            throws JOSEException, ParseException {
        com.nimbusds.jose.JWSObject jws = com.nimbusds.jose.JWSObject.parse(compactJws);
        ECKey issuer = ECKey.parse(signingJwk);
        if (!com.nimbusds.jose.JWSAlgorithm.ES256.equals(jws.getHeader().getAlgorithm())
                || !issuer.getKeyID().equals(jws.getHeader().getKeyID())
                || !Bindings.SIGNATURE_CONTENT_TYPE.equals(jws.getHeader().getContentType())) {
            throw new JOSEException("Not signed by this key");
        }
        Object carnet = jws.getHeader().getCustomParam("carnet");
        Map<String, Object> expected = binding(appointment, Bindings.SIGNATURE_KIND, document.toString());
        if (!(carnet instanceof Map<?, ?> given)
                || !String.valueOf(given.get("consultation")).equals(expected.get("consultation"))
                || !String.valueOf(given.get("kind")).equals(expected.get("kind"))
                || !String.valueOf(given.get("item")).equals(expected.get("item"))) {
            throw new JOSEException("The signature is bound to another consultation or document");
        }
        if (!jws.verify(new com.nimbusds.jose.crypto.ECDSAVerifier(issuer.toECPublicKey(), CRITICAL))) {
            throw new JOSEException("The signature does not verify");
        }
        Map<String, Object> manifest = jws.getPayload().toJSONObject();
        String digest = com.nimbusds.jose.util.Base64URL.encode(sha256(content)).toString();
        if (!document.toString().equals(manifest.get("document"))
                || !appointment.toString().equals(manifest.get("consultation"))
                || !digest.equals(manifest.get("sha256"))) {
            throw new JOSEException("The signature is over another document");
        }
        return manifest;
    }

    static byte[] sha256(byte[] content) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(content);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Opens answers the server served for this consultation and item: refuses (JOSEException) one whose
     * protected header binds it elsewhere, and one whose header or ciphertext was altered (the tag).
     */
    static String open(JsonNode envelope, OctetSequenceKey key, UUID appointment, UUID item)
            throws JOSEException, ParseException {
        JWEObject jwe = parse(envelope);
        requireBinding(jwe.getHeader(), binding(appointment, Bindings.ANSWERS_KIND, item.toString()));
        if (!Bindings.consultationKeyId(appointment).equals(jwe.getHeader().getKeyID())
                || !Bindings.ANSWERS_CONTENT_TYPE.equals(jwe.getHeader().getContentType())) {
            throw new JOSEException("Not this consultation's answers");
        }
        jwe.decrypt(new DirectDecrypter(key.toSecretKey(), CRITICAL));
        return jwe.getPayload().toString();
    }

    /**
     * The flattened JSON serialization of a JWE whose header is all protected: the compact
     * serialization's five parts as members (RFC 7516 §7.2.2, no aad). nimbus-jose-jwt's own
     * JWEObjectJSON puts an ECDH-ES epk in the unprotected header (and 10.10 then cannot decrypt it), so
     * a client builds a JWEObject and lays it out this way.
     */
    static Map<String, Object> flattened(JWEObject jwe) {
        com.nimbusds.jose.util.Base64URL[] parts;
        try {
            parts = JOSEObject.split(jwe.serialize());
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("protected", parts[0].toString());
        if (!parts[1].toString().isEmpty()) {
            members.put("encrypted_key", parts[1].toString());
        }
        members.put("iv", parts[2].toString());
        members.put("ciphertext", parts[3].toString());
        members.put("tag", parts[4].toString());
        return members;
    }

    /** A served flattened JWE (no unprotected header, no aad) as nimbus-jose-jwt's JWEObject. */
    static JWEObject parse(JsonNode envelope) throws ParseException {
        if (envelope.has("unprotected") || envelope.has("header") || envelope.has("aad")) {
            throw new ParseException("Only the protected header is trusted", 0);
        }
        return new JWEObject(
                new com.nimbusds.jose.util.Base64URL(envelope.get("protected").asString()),
                envelope.has("encrypted_key")
                        ? new com.nimbusds.jose.util.Base64URL(
                                envelope.get("encrypted_key").asString())
                        : new com.nimbusds.jose.util.Base64URL(""),
                new com.nimbusds.jose.util.Base64URL(envelope.get("iv").asString()),
                new com.nimbusds.jose.util.Base64URL(envelope.get("ciphertext").asString()),
                new com.nimbusds.jose.util.Base64URL(envelope.get("tag").asString()));
    }

    private static void requireBinding(JWEHeader header, Map<String, Object> expected) throws JOSEException {
        Object carnet = header.getCustomParam("carnet");
        if (!(carnet instanceof Map<?, ?> given)
                || !header.getCriticalParams().equals(CRITICAL)
                || !given.keySet().equals(expected.keySet())) {
            throw new JOSEException("The envelope is bound to another consultation, kind or item");
        }
        for (Map.Entry<String, Object> member : expected.entrySet()) {
            Object value = given.get(member.getKey());
            boolean same = member.getValue() instanceof Number number
                    ? value instanceof Number found && found.doubleValue() == number.doubleValue()
                    : member.getValue().equals(value);
            if (!same) {
                throw new JOSEException("The envelope is bound to another consultation, kind, item, sender or number");
            }
        }
    }

    /** Carnet's directory signing key, from GET /api/v1/teleconsultations/key-directory/signing-key. */
    static PublicKey serverKey(JsonNode jwk) {
        try {
            byte[] raw = Base64.getUrlDecoder().decode(jwk.get("x").asString());
            byte[] spki = HexFormat.of()
                    .parseHex("302a300506032b6570032100" + HexFormat.of().formatHex(raw));
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Checks one directory entry as served, as docs/e2e.md says a client must: the hash recomputed from
     * the served fields, the link to the previous hash the client holds, Carnet's signature.
     */
    static boolean verifies(JsonNode entry, byte[] expectedPrevHash, PublicKey server) {
        byte[] prev = b64(entry.get("prevHash").asString());
        long micros = entry.get("publishedAtMicros").asLong();
        byte[] hash = EntryHashing.entryHash(
                entry.get("subjectKind").asString().toUpperCase(java.util.Locale.ROOT),
                UUID.fromString(entry.get("subjectId").asString()),
                entry.get("version").asInt(),
                prev,
                entry.get("encryptionJwk").asString(),
                entry.get("signingJwk").asString(),
                java.time.Instant.ofEpochSecond(micros / 1_000_000L, (micros % 1_000_000L) * 1_000L));
        return java.security.MessageDigest.isEqual(prev, expectedPrevHash)
                && java.security.MessageDigest.isEqual(
                        hash, b64(entry.get("entryHash").asString()))
                && EntryHashing.verify(
                        server, hash, b64(entry.get("serverSignature").asString()));
    }

    static byte[] b64(String value) {
        return Base64.getUrlDecoder().decode(value);
    }

    static Map<String, Object> json(String text) {
        try {
            return JSONObjectUtils.parse(text);
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }
}
