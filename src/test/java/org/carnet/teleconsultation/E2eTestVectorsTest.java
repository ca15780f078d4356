package org.carnet.teleconsultation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.ECKey;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.carnet.shared.InvalidRequestException;
import org.carnet.shared.UnprocessableException;
import org.carnet.teleconsultation.internal.EntryHashing;
import org.carnet.teleconsultation.internal.EnvelopeShape;
import org.carnet.teleconsultation.internal.PublicJwks;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The test vectors of docs/e2e.md, checked as a client and as the server read them: if the code or
 * the document drifts, this fails. (Made once with {@link JoseClient}; ECDH-ES and AES-GCM are
 * randomised, so the vectors are to open, not to reproduce.)
 */
class E2eTestVectorsTest {

    static final UUID APPOINTMENT = UUID.fromString("3f1c2a6e-8b4d-4c1e-9a57-2d6f0b9e4c11");
    static final UUID ITEM = UUID.fromString("b7e0d4a2-5c39-4f8e-8d21-6a0c9f3e7b54");
    static final UUID PRACTITIONER = UUID.fromString("0a9b8c7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d");

    static final String RECIPIENT_PRIVATE =
            "{\"kty\":\"EC\",\"d\":\"Iweo1xjKOFl-IWO7vfpwoM83UutLM1eqrNF2UQy2K9w\",\"use\":\"enc\",\"crv\":\"P-256\","
                    + "\"x\":\"tSmex4NgL-1-HskMM-2CaFus0w4y13w-sPGBYoUGQZQ\","
                    + "\"y\":\"Ord4YmIe-xssFrfqHJI-jxRBKYGROkpwNA65hGySymU\",\"alg\":\"ECDH-ES+A256KW\"}";
    static final String RECIPIENT_CANONICAL =
            "{\"alg\":\"ECDH-ES+A256KW\",\"crv\":\"P-256\",\"kid\":\"6olq0IbETmVtIQJ05Qus-ZTIbKZlcSZiHxD0F-A_L7M\","
                    + "\"kty\":\"EC\",\"use\":\"enc\",\"x\":\"tSmex4NgL-1-HskMM-2CaFus0w4y13w-sPGBYoUGQZQ\","
                    + "\"y\":\"Ord4YmIe-xssFrfqHJI-jxRBKYGROkpwNA65hGySymU\"}";
    static final String SIGNING_CANONICAL =
            "{\"alg\":\"ES256\",\"crv\":\"P-256\",\"kid\":\"4oGR5XRGlosXVaxh8cGb-OPD9XagpWTCMr3KM-ZoSYc\",\"kty\":\"EC\","
                    + "\"use\":\"sig\",\"x\":\"OO4ntGK0viS5mK3DzzsMSYLS6HBDdNE8Cwt_OfiDm-c\","
                    + "\"y\":\"ER969N7firR-0wmlFTyebv7xOWQleMpGd0GEu0VlZws\"}";
    static final String CONSULTATION_KEY_K = "MUZUTWnQOyzCqEvm0E3-ppZnavM17gkso6RH_6ld0DA";
    static final String WRAPPED =
            "{\"protected\":\"eyJlcGsiOnsia3R5IjoiRUMiLCJjcnYiOiJQLTI1NiIsIngiOiJBVFA5aGl0Zl9lbEtPQlROWG1MNTlLVmcwZnRRMXNTSUI1eFZhRUJ5dVBvIiwieSI6Im4tLVJtQlZ2MElwMHlCVHV1VnFxTGtoV2sxd09mTzRvdHkwa1B5eGs2TncifSwiY3JpdCI6WyJjYXJuZXQiXSwiY2FybmV0Ijp7InYiOjEsImNvbnN1bHRhdGlvbiI6IjNmMWMyYTZlLThiNGQtNGMxZS05YTU3LTJkNmYwYjllNGMxMSIsImtpbmQiOiJjb25zdWx0YXRpb24ta2V5IiwiaXRlbSI6InByYWN0aXRpb25lcjowYTliOGM3ZC02ZTVmLTRhM2ItOWMyZC0xZTBmOWE4YjdjNmQifSwia2lkIjoiNm9scTBJYkVUbVZ0SVFKMDVRdXMtWlRJYktabGNTWmlIeEQwRi1BX0w3TSIsImN0eSI6Imp3aytqc29uIiwiZW5jIjoiQTI1NkdDTSIsImFsZyI6IkVDREgtRVMrQTI1NktXIn0\",\"encrypted_key\":\"x3BBWUSpwLu2zVzzK06B9jLTz-wCclpcPifLOHKveUTXHUeDLV2rHQ\",\"iv\":\"wgHNLJOVxqPqYghK\",\"ciphertext\":\"a7VzWno9Pgv4JHWhuX_IIev7jhwq4BNSRcCui84NBRuxXKgZ-qzP5KnJVR6tAKAwzyjA0SgL3EeNF07HPaO50lLaZy1ojfp9RgAw509EK_5G3oZZXDPi9I9SlP1YTAT3_bSeWv1LzQW5cwRuEmb3Sfsv1tadr-z5WxgZPRgRUd1_zMRyy36vnZY\",\"tag\":\"uruIBhfKbG9KVG3rHyTYyg\"}";
    static final String ANSWERS =
            "{\"protected\":\"eyJjdHkiOiJhcHBsaWNhdGlvbi92bmQuY2FybmV0LnF1ZXN0aW9ubmFpcmUtYW5zd2Vycytqc29uIiwiZW5jIjoiQTI1NkdDTSIsImNyaXQiOlsiY2FybmV0Il0sImNhcm5ldCI6eyJ2IjoxLCJjb25zdWx0YXRpb24iOiIzZjFjMmE2ZS04YjRkLTRjMWUtOWE1Ny0yZDZmMGI5ZTRjMTEiLCJraW5kIjoicXVlc3Rpb25uYWlyZS1hbnN3ZXJzIiwiaXRlbSI6ImI3ZTBkNGEyLTVjMzktNGY4ZS04ZDIxLTZhMGM5ZjNlN2I1NCJ9LCJhbGciOiJkaXIiLCJraWQiOiJjb25zdWx0YXRpb24vM2YxYzJhNmUtOGI0ZC00YzFlLTlhNTctMmQ2ZjBiOWU0YzExIn0\",\"iv\":\"A5S7vwfO7_PzyQQT\",\"ciphertext\":\"oQXrmUs9ilyujfEa-6onsXseBvoS8n3tNO2YNGgdPZz6CEwYjqW1RlinXwU6TYateGeB8nFvLdlb9qi2TPKDNCndGqF0xM1_P88YFuHZ-rQQOLU0QbE_Ees_uma5P2jGmvthArCSMqylxmfLv3CXo4OrbZFGFtKfP6VSnaxJZc1vD8itB2JOSAs\",\"tag\":\"GC1kLdlLBXyg-iT0zhLcAQ\"}";
    static final String ANSWERS_PLAINTEXT =
            "{\"v\":1,\"forms\":[{\"questionnaire\":\"5d2e8f1a-3b4c-4d5e-8f6a-7b8c9d0e1f2a\","
                    + "\"answers\":{\"symptoms\":\"Toux depuis trois jours\",\"fever\":false}}]}";
    static final UUID MESSAGE_ITEM = UUID.fromString("c4a1e9d2-7b3f-4e6a-9d18-5f2b0c7e3a91");
    static final String MESSAGE =
            "{\"protected\":\"eyJjdHkiOiJhcHBsaWNhdGlvbi92bmQuY2FybmV0Lm1lc3NhZ2UranNvbiIsImVuYyI6IkEyNTZHQ00iLCJjcml0IjpbImNhcm5ldCJdLCJjYXJuZXQiOnsidiI6MSwiY29uc3VsdGF0aW9uIjoiM2YxYzJhNmUtOGI0ZC00YzFlLTlhNTctMmQ2ZjBiOWU0YzExIiwia2luZCI6Im1lc3NhZ2UiLCJpdGVtIjoiYzRhMWU5ZDItN2IzZi00ZTZhLTlkMTgtNWYyYjBjN2UzYTkxIn0sImFsZyI6ImRpciIsImtpZCI6ImNvbnN1bHRhdGlvbi8zZjFjMmE2ZS04YjRkLTRjMWUtOWE1Ny0yZDZmMGI5ZTRjMTEifQ\",\"iv\":\"GtF_6rGZurnwBYlY\",\"ciphertext\":\"ebLRir0eVFGkWN5y4LDSjdM43cUXA7JTBmDeAFKMccU\",\"tag\":\"z8JaZ2i1J0sGPUWbb3XgBg\"}";
    static final String MESSAGE_PLAINTEXT = "{\"v\":1,\"text\":\"Bonjour docteur\"}";
    static final UUID DOCUMENT = UUID.fromString("e8d3b6f1-2a4c-4b7e-8f90-1c3d5e7a9b02");
    static final String CHUNK =
            "{\"protected\":\"eyJjdHkiOiJhcHBsaWNhdGlvbi92bmQuY2FybmV0LmRvY3VtZW50LWNodW5rIiwiZW5jIjoiQTI1NkdDTSIsImNyaXQiOlsiY2FybmV0Il0sImNhcm5ldCI6eyJ2IjoxLCJjb25zdWx0YXRpb24iOiIzZjFjMmE2ZS04YjRkLTRjMWUtOWE1Ny0yZDZmMGI5ZTRjMTEiLCJraW5kIjoiZG9jdW1lbnQtY2h1bmsiLCJpdGVtIjoiZThkM2I2ZjEtMmE0Yy00YjdlLThmOTAtMWMzZDVlN2E5YjAyLzAifSwiYWxnIjoiZGlyIiwia2lkIjoiY29uc3VsdGF0aW9uLzNmMWMyYTZlLThiNGQtNGMxZS05YTU3LTJkNmYwYjllNGMxMSJ9\",\"iv\":\"iOo8o8bzZuBx5P_Z\",\"ciphertext\":\"eORp8vGElwFi2YwJh2iQ1g\",\"tag\":\"teJHyA7WPphTG9WzI8KZUw\"}";
    static final String CHUNK_PLAINTEXT = "%PDF-1.7 vector\n";
    static final Instant PUBLISHED_AT = Instant.parse("2026-12-02T10:00:00.123456Z");
    /** RFC 8032's Ed25519 private key as a 32-byte seed: 00 01 02 … 1f (a test key, never Carnet's). */
    static final String SERVER_SEED = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    static final String ENTRY_HASH = "47e88b7c34a243d48ffa7f6b2732d35d86afd37621bd6aed7025170f548b657c";
    static final String SIGNATURE =
            "75482022066ff790b80f5c2df7692eca3421b31163834ef2f07b321c3a54b042759b1393b901144ba55ddec92c1147a0fd9f11b22c55829f0736565c45f7630e";

    static final String ACCOUNT_SIGNING_PRIVATE =
            "{\"kty\":\"EC\",\"d\":\"vhLwe1TJuwLE5vVPamCJYOn76K5tgJ-m03H_ttMz5z4\",\"crv\":\"P-256\",\"x\":\"wD1eUu5nml5P1XT9tMMDsT73pD8oQ2ZWNm4sJm-8WjQ\",\"y\":\"L5Co-zw165ci373yYcCsBFWVHhQO__1FR-Nmiw09qfI\"}";
    static final String DEVICE_PRIVATE =
            "{\"kty\":\"EC\",\"d\":\"LnDlOVLXIDB6SDh1CYqIgqS6Xq93bHJE-zpOZCZ7Ue8\",\"use\":\"enc\",\"crv\":\"P-256\",\"x\":\"nRoW0uSbevm9dScMr52ud4WNBaprIeR5W3YiZK48Xbw\",\"y\":\"jLRNrbZEBb6qVtBXJoBbLb6WN1FAHLzErhH1IITQN8g\",\"alg\":\"ECDH-ES+A256KW\"}";
    static final String DEVICE_KID = "B0tRjN3GOLu8nsldlT0xe3vDeMSuccM4APE-NUMl7iA";
    static final String ACCOUNT_PAYLOAD =
            "{\"v\":1,\"encryption\":{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"tSmex4NgL-1-HskMM-2CaFus0w4y13w-sPGBYoUGQZQ\",\"y\":\"Ord4YmIe-xssFrfqHJI-jxRBKYGROkpwNA65hGySymU\",\"d\":\"Iweo1xjKOFl-IWO7vfpwoM83UutLM1eqrNF2UQy2K9w\"},\"signing\":{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"wD1eUu5nml5P1XT9tMMDsT73pD8oQ2ZWNm4sJm-8WjQ\",\"y\":\"L5Co-zw165ci373yYcCsBFWVHhQO__1FR-Nmiw09qfI\",\"d\":\"vhLwe1TJuwLE5vVPamCJYOn76K5tgJ-m03H_ttMz5z4\"}}";
    static final String RECOVERY_CODE = "0123-4567-89AB-CDEF-GHJK-MNPQ-RSTV-WXYZ";
    static final String ACCOUNT_TO_DEVICE =
            "{\"protected\":\"eyJlcGsiOnsia3R5IjoiRUMiLCJjcnYiOiJQLTI1NiIsIngiOiJQWnV1ZG1vTFFBSlVBYmdKUEU3YVJ6YVFhcVBsYzZ3Wkl6MUtURnVfWmFNIiwieSI6InFaN3ZoTXQyWlRrNlVUMnNLZWdVWDdQUFZuQU4xLU9sNks5MnJKRDRXS0kifSwiY3JpdCI6WyJjYXJuZXQiXSwiY2FybmV0Ijp7InYiOjEsImFjY291bnQiOiJwcmFjdGl0aW9uZXI6MGE5YjhjN2QtNmU1Zi00YTNiLTljMmQtMWUwZjlhOGI3YzZkIiwia2luZCI6ImFjY291bnQta2V5IiwiaXRlbSI6ImRldmljZTpCMHRSak4zR09MdThuc2xkbFQweGUzdkRlTVN1Y2NNNEFQRS1OVU1sN2lBIn0sImtpZCI6IkIwdFJqTjNHT0x1OG5zbGRsVDB4ZTN2RGVNU3VjY000QVBFLU5VTWw3aUEiLCJjdHkiOiJhcHBsaWNhdGlvbi92bmQuY2FybmV0LmFjY291bnQta2V5K2pzb24iLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiRUNESC1FUytBMjU2S1cifQ\",\"encrypted_key\":\"Bg5cWuSaN5zqWNVqenWfvd24T2G6LKRU1MMcOlv9qmEyfBeVl1U6uw\",\"iv\":\"uhTD4N8RTQ6rFtyo\",\"ciphertext\":\"Kkh3OE7DmbN2OdlvjE8YwE2pjCttMHJuKEsBqqW265rItt9EDIZcm-LiQ0XCqQsYlPlEvVBltDNaVAP0QD3JqdGl34u_gK8AQVYS_bPcCVzJd_RKa4H7H1rd5RaMbABdDAVu_U4tB28sOf7UuRWrhUnndfxKFFUqu2NmkN54DdPxuCUMaWpgLLLL-5kVmz54N9Bz1pjjBvNaGmuihAnwvKzEuHZStL1tI4QnDjIweI-hko8bvIWaP72rM5ccnLHf3cWzbcl0GiZK0fSW1BxQznKcc6BtkHT4qjo0iw690vFXpUwRsc0siLtw8d0LAuqZl4hfWFXBRM4-klNQumZHeH5X4LMmgA_uRsHyL10OZATSIuMw7Y6bsMsx25DsD786pwCODvnD-YZO6db7UC_aQ7akdKghCOnN4seYQPzkCLH8ZL-_GgvdSvxbpr4uSW8eWU1FbpFUQKkx8guhXS4C0vQXSFKUUonykvvLt1er7xfHdfl8OqFgMWJwxxoy1EzB\",\"tag\":\"4j7fBCBoFFv575WkynUPsA\"}";
    static final String ACCOUNT_TO_CODE =
            "{\"protected\":\"eyJwMnMiOiI3X21ON1l5RVNqTXFuaXlhVEkyQ1JRIiwicDJjIjoxMDAwMDAsImNyaXQiOlsiY2FybmV0Il0sImNhcm5ldCI6eyJ2IjoxLCJhY2NvdW50IjoicHJhY3RpdGlvbmVyOjBhOWI4YzdkLTZlNWYtNGEzYi05YzJkLTFlMGY5YThiN2M2ZCIsImtpbmQiOiJhY2NvdW50LWtleSIsIml0ZW0iOiJyZWNvdmVyeSJ9LCJraWQiOiJyZWNvdmVyeSIsImN0eSI6ImFwcGxpY2F0aW9uL3ZuZC5jYXJuZXQuYWNjb3VudC1rZXkranNvbiIsImVuYyI6IkEyNTZHQ00iLCJhbGciOiJQQkVTMi1IUzUxMitBMjU2S1cifQ\",\"encrypted_key\":\"rx7oy5qTqHy6JG6csmbsyh0kbx9ZP6yR_NsRvxBH3klO6pgyjDKH4w\",\"iv\":\"1C0oOLtUeSQ0wjY-\",\"ciphertext\":\"TIQWeHrExtvBmQlvvsyiz8BW7RBY73iwef9BGYizJ4JfxWu1Vx0bZm-Aeg-tSwTXf58QCiLb6q1QIHi9TCuZf4OOlprt4Eh9g9bcv1llOQOobTG1HYZyveFjKy67eVRIuNybu3tpwEEuMxd99dc47_hkJQ8qB6brsj46iY2qhXug6aU1H3Oi-UlBaIHUzd1dB27euIsVp4WetrzSBBOZBv7NyC-fITE2e9HY-lEngthpuPMkal6NDo5bc9_MDtBXgKqcW6WdPSKKXji0NM01fvCwZofsILBikyGvM1opNkW-rHQ11ygAqaOvzrb4aNEgTgoa0WERTEs7ack7gQ0L9T4afjrmlekJ-E4xLTyT4H9w8rg4q_VXVPc7dK1YCsJPzKahU1DHpP8evGLEYXzBAzxXqm0aKsWDBJ11h_J3o1mLuR8wTm3WSD_iSUQaSQK_mPooTwPwfmhfBCyaoatD8rwl8pXx912tRaDQvZ1t_wFhlfRM0NLkwyk2I24aUDLg\",\"tag\":\"9PMNNr2Th1P-MQCYaPOJEQ\"}";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void aPublishedKeyIsKeptInItsCanonicalFormWithItsThumbprintAsKid() throws Exception {
        ECKey recipient = ECKey.parse(RECIPIENT_PRIVATE);
        PublicJwks.Canonical canonical =
                PublicJwks.encryption("encryptionKey", recipient.toPublicJWK().toJSONObject());
        assertThat(canonical.json()).isEqualTo(RECIPIENT_CANONICAL);
        assertThat(canonical.kid()).isEqualTo(recipient.computeThumbprint().toString());
        assertThatThrownBy(() -> PublicJwks.encryption("encryptionKey", recipient.toJSONObject()))
                .as("a private key is refused")
                .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void theWrappedKeyVectorOpensWithTheRecipientsKeyAndPassesTheServersCheck() throws Exception {
        JsonNode wrapped = JSON.readTree(WRAPPED);
        assertThat(JoseClient.unwrap(
                                wrapped, ECKey.parse(RECIPIENT_PRIVATE), APPOINTMENT, "practitioner:" + PRACTITIONER)
                        .getKeyValue()
                        .toString())
                .isEqualTo(CONSULTATION_KEY_K);
        EnvelopeShape.check(
                "practitioner", envelope(wrapped), wrapExpected("6olq0IbETmVtIQJ05Qus-ZTIbKZlcSZiHxD0F-A_L7M"));
        assertThatThrownBy(() -> EnvelopeShape.check("practitioner", envelope(wrapped), wrapExpected("another-kid")))
                .isInstanceOf(UnprocessableException.class);
        assertThatThrownBy(() -> JoseClient.unwrap(
                        wrapped, ECKey.parse(RECIPIENT_PRIVATE), APPOINTMENT, "patient:" + PRACTITIONER))
                .isInstanceOf(JOSEException.class);
    }

    @Test
    void theAnswersVectorOpensUnderTheConsultationKeyAndPassesTheServersCheck() throws Exception {
        JsonNode answers = JSON.readTree(ANSWERS);
        com.nimbusds.jose.jwk.OctetSequenceKey key = new com.nimbusds.jose.jwk.OctetSequenceKey.Builder(
                        new com.nimbusds.jose.util.Base64URL(CONSULTATION_KEY_K))
                .build();
        assertThat(JoseClient.open(answers, key, APPOINTMENT, ITEM)).isEqualTo(ANSWERS_PLAINTEXT);
        EnvelopeShape.check(
                "envelope",
                envelope(answers),
                new EnvelopeShape.Expected(
                        "dir",
                        Bindings.consultationKeyId(APPOINTMENT),
                        Bindings.ANSWERS_CONTENT_TYPE,
                        Bindings.binding(APPOINTMENT, Bindings.ANSWERS_KIND, ITEM.toString()),
                        QuestionnaireAnswers.MAX_CIPHERTEXT));
        // One flipped ciphertext byte: the client refuses it (the tag).
        String flipped = ANSWERS.replace("\"ciphertext\":\"oQ", "\"ciphertext\":\"oR");
        assertThatThrownBy(() -> JoseClient.open(JSON.readTree(flipped), key, APPOINTMENT, ITEM))
                .isInstanceOf(JOSEException.class);
    }

    @Test
    void theMessageAndChunkVectorsOpenUnderTheConsultationKeyAndPassTheServersCheck() throws Exception {
        com.nimbusds.jose.jwk.OctetSequenceKey key = new com.nimbusds.jose.jwk.OctetSequenceKey.Builder(
                        new com.nimbusds.jose.util.Base64URL(CONSULTATION_KEY_K))
                .build();
        JsonNode message = JSON.readTree(MESSAGE);
        assertThat(new String(
                        JoseClient.openItem(
                                message,
                                key,
                                APPOINTMENT,
                                Bindings.MESSAGE_KIND,
                                Bindings.MESSAGE_CONTENT_TYPE,
                                MESSAGE_ITEM.toString()),
                        StandardCharsets.UTF_8))
                .isEqualTo(MESSAGE_PLAINTEXT);
        EnvelopeShape.check(
                "envelope",
                envelope(message),
                new EnvelopeShape.Expected(
                        "dir",
                        Bindings.consultationKeyId(APPOINTMENT),
                        Bindings.MESSAGE_CONTENT_TYPE,
                        Bindings.binding(APPOINTMENT, Bindings.MESSAGE_KIND, MESSAGE_ITEM.toString()),
                        ConsultationExchanges.MAX_MESSAGE));
        JsonNode chunk = JSON.readTree(CHUNK);
        String item = Bindings.chunkItem(DOCUMENT, 0);
        assertThat(new String(
                        JoseClient.openItem(
                                chunk, key, APPOINTMENT, Bindings.CHUNK_KIND, Bindings.CHUNK_CONTENT_TYPE, item),
                        StandardCharsets.US_ASCII))
                .isEqualTo(CHUNK_PLAINTEXT);
        assertThat(EnvelopeShape.check(
                                "envelope",
                                envelope(chunk),
                                new EnvelopeShape.Expected(
                                        "dir",
                                        Bindings.consultationKeyId(APPOINTMENT),
                                        Bindings.CHUNK_CONTENT_TYPE,
                                        Bindings.binding(APPOINTMENT, Bindings.CHUNK_KIND, item),
                                        ConsultationExchanges.CHUNK_SIZE))
                        .length)
                .as("the server reads the chunk's length from its ciphertext")
                .isEqualTo(CHUNK_PLAINTEXT.length());
        // The chunk offered as chunk 1 of the document: the client refuses it.
        assertThatThrownBy(() -> JoseClient.openItem(
                        chunk,
                        key,
                        APPOINTMENT,
                        Bindings.CHUNK_KIND,
                        Bindings.CHUNK_CONTENT_TYPE,
                        Bindings.chunkItem(DOCUMENT, 1)))
                .isInstanceOf(JOSEException.class);
    }

    @Test
    void theDirectoryEntryVectorHashesAndSignsAsDocumented() throws Exception {
        // The encoding written out by hand, as docs/e2e.md states it, against the server's.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("carnet-key-directory-entry/1".getBytes(StandardCharsets.US_ASCII));
        lp(out, "PRACTITIONER".getBytes(StandardCharsets.UTF_8));
        lp(out, PRACTITIONER.toString().getBytes(StandardCharsets.UTF_8));
        out.writeBytes(ByteBuffer.allocate(4).putInt(1).array());
        lp(out, new byte[32]);
        lp(out, RECIPIENT_CANONICAL.getBytes(StandardCharsets.UTF_8));
        lp(out, SIGNING_CANONICAL.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(ByteBuffer.allocate(8).putLong(1_796_205_600_123_456L).array());
        byte[] byHand = MessageDigest.getInstance("SHA-256").digest(out.toByteArray());
        byte[] hash = EntryHashing.entryHash(
                "PRACTITIONER", PRACTITIONER, 1, new byte[32], RECIPIENT_CANONICAL, SIGNING_CANONICAL, PUBLISHED_AT);
        assertThat(hash).isEqualTo(byHand);
        PrivateKey server = KeyFactory.getInstance("Ed25519")
                .generatePrivate(new PKCS8EncodedKeySpec(
                        HexFormat.of().parseHex("302e020100300506032b657004220420" + SERVER_SEED)));
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(server);
        signer.update("carnet-key-directory-signature/1".getBytes(StandardCharsets.US_ASCII));
        signer.update(hash);
        byte[] signature = signer.sign();
        assertThat(EntryHashing.sign(server, hash)).isEqualTo(signature);
        assertThat(HexFormat.of().formatHex(hash)).isEqualTo(ENTRY_HASH);
        assertThat(HexFormat.of().formatHex(signature)).isEqualTo(SIGNATURE);
    }

    @Test
    void theAccountKeyVectorsOpenWithTheDeviceKeyAndTheRecoveryCodeAndPassTheServersCheck() throws Exception {
        String account = "practitioner:" + PRACTITIONER;
        ECKey device = ECKey.parse(DEVICE_PRIVATE);
        assertThat(AccountKeyClient.kid(device)).isEqualTo(DEVICE_KID);
        JsonNode toDevice = JSON.readTree(ACCOUNT_TO_DEVICE);
        assertThat(AccountKeyClient.openFromDevice(toDevice, account, device))
                .isEqualTo(JoseClient.json(ACCOUNT_PAYLOAD));
        EnvelopeShape.check(
                "deviceWrap",
                envelope(toDevice),
                accountExpected(EnvelopeShape.ECDH_ES, DEVICE_KID, Bindings.deviceItem(DEVICE_KID)));
        assertThatThrownBy(() -> EnvelopeShape.check(
                        "deviceWrap",
                        envelope(toDevice),
                        accountExpected(EnvelopeShape.ECDH_ES, DEVICE_KID, Bindings.deviceItem("another-device"))))
                .isInstanceOf(UnprocessableException.class);
        // The payload's keys are the practitioner's published account key (the recipient key above).
        Map<String, Object> payload = JoseClient.json(ACCOUNT_PAYLOAD);
        @SuppressWarnings("unchecked")
        Map<String, Object> encryption = (Map<String, Object>) payload.get("encryption");
        assertThat(ECKey.parse(encryption).computeThumbprint().toString())
                .isEqualTo("6olq0IbETmVtIQJ05Qus-ZTIbKZlcSZiHxD0F-A_L7M");
        assertThat(ECKey.parse(ACCOUNT_SIGNING_PRIVATE).getD().toString())
                .isEqualTo(((Map<?, ?>) payload.get("signing")).get("d"));

        // The recovery code, normalised (no dashes), is the PBES2 password; another code does not open it.
        JsonNode toCode = JSON.readTree(ACCOUNT_TO_CODE);
        String password = RECOVERY_CODE.replace("-", "");
        assertThat(AccountKeyClient.openWithCode(toCode, account, password)).isEqualTo(payload);
        assertThatThrownBy(() -> AccountKeyClient.openWithCode(toCode, account, "1" + password.substring(1)))
                .isInstanceOf(JOSEException.class);
        assertThatThrownBy(() -> AccountKeyClient.openWithCode(toCode, "patient:" + PRACTITIONER, password))
                .as("bound to another account")
                .isInstanceOf(JOSEException.class);
        EnvelopeShape.check(
                "recoveryWrap",
                envelope(toCode),
                accountExpected(EnvelopeShape.PBES2, Bindings.RECOVERY_ITEM, Bindings.RECOVERY_ITEM));
    }

    private static EnvelopeShape.Expected accountExpected(String alg, String kid, String item) {
        return new EnvelopeShape.Expected(
                alg,
                kid,
                Bindings.ACCOUNT_KEY_CONTENT_TYPE,
                Bindings.accountBinding(SubjectKind.PRACTITIONER, PRACTITIONER, item),
                1024);
    }

    private static EnvelopeShape.Expected wrapExpected(String kid) {
        return new EnvelopeShape.Expected(
                "ECDH-ES+A256KW",
                kid,
                Bindings.KEY_CONTENT_TYPE,
                Bindings.binding(
                        APPOINTMENT, Bindings.KEY_KIND, Bindings.recipientItem(SubjectKind.PRACTITIONER, PRACTITIONER)),
                1024);
    }

    private static Envelope envelope(JsonNode jwe) {
        return new Envelope(
                jwe.get("protected").asString(),
                jwe.has("encrypted_key") ? jwe.get("encrypted_key").asString() : null,
                jwe.get("iv").asString(),
                jwe.get("ciphertext").asString(),
                jwe.get("tag").asString());
    }

    private static void lp(ByteArrayOutputStream out, byte[] bytes) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
        out.writeBytes(bytes);
    }
}
