package org.carnet.teleconsultation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.crypto.ECDHDecrypter;
import com.nimbusds.jose.jwk.ECKey;
import java.util.Map;
import java.util.UUID;
import org.carnet.shared.UnprocessableException;
import org.carnet.teleconsultation.internal.EnvelopeShape;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The establishment key's test vector of docs/e2e.md ("The establishment key"): the establishment key wrapped
 * to a practitioner opens with that practitioner's account key to the establishment's two private keys, is
 * bound to the establishment and the practitioner, and passes the server's check only for them.
 */
class EstablishmentKeyVectorsTest {

    static final UUID ESTABLISHMENT = UUID.fromString("5b1e7c3a-9d2f-4e8b-a6c4-0f3d2e1b9a87");

    /** The establishment's key: the account key pair of the account-key vectors, reused (test only). */
    static final String ESTABLISHMENT_ENCRYPTION = E2eTestVectorsTest.RECIPIENT_PRIVATE;

    /** The practitioner's account encryption key: the device key of the account-key vectors (test only). */
    static final String PRACTITIONER_ACCOUNT = E2eTestVectorsTest.DEVICE_PRIVATE;

    static final String WRAPPED =
            "{\"protected\":\"eyJlcGsiOnsia3R5IjoiRUMiLCJjcnYiOiJQLTI1NiIsIngiOiJTdTlkcDZFcHI1eFFaeF9mYWJ2anpIQU5TazdtSlVVUmJUcUxMbFZCYUg0IiwieSI6IklENTBvNEVuZHVabnc5QUNtaW9mVzRwMzgyaEpucGtqTWR3VkgzTld1ZjQifSwiY3JpdCI6WyJjYXJuZXQiXSwiY2FybmV0Ijp7InYiOjEsImFjY291bnQiOiJlc3RhYmxpc2htZW50OjViMWU3YzNhLTlkMmYtNGU4Yi1hNmM0LTBmM2QyZTFiOWE4NyIsImtpbmQiOiJhY2NvdW50LWtleSIsIml0ZW0iOiJwcmFjdGl0aW9uZXI6MGE5YjhjN2QtNmU1Zi00YTNiLTljMmQtMWUwZjlhOGI3YzZkIn0sImtpZCI6IkIwdFJqTjNHT0x1OG5zbGRsVDB4ZTN2RGVNU3VjY000QVBFLU5VTWw3aUEiLCJjdHkiOiJhcHBsaWNhdGlvbi92bmQuY2FybmV0LmFjY291bnQta2V5K2pzb24iLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiRUNESC1FUytBMjU2S1cifQ\",\"encrypted_key\":\"qgAKZ_J5o09mDY6yVrs1lLYrxyFJKUd9nKy8xiJZTw2iVmMp-x4IRQ\",\"iv\":\"vbW7Vq-h6-BOusnh\",\"ciphertext\":\"rsYPJj0KbaNnUKWrGXVt5W41ORad7CN8qs92MmLQ7PJUwzSLnSXODNOSJMWDR-4r-ZlGLNjSxTEdt8UXs-aLO2Ti3zIpJLivTam9CYV8bqt5c3tMOmyyGJOKuKjhcteQy6D83U-aOfhSEhNiQFYAa4CvQ8DIgmuxXnfkdevCCJnkqi9CzYAExJxKlxL3BwAP56F4sGZ9Ie8X0CinITcx99VB0n2y1a6LRgTQlJLfBLYtNY-dDitEN5WjumKI2VgaBwVpaR-asunpAbXRdBkq84ygpCTagvQuVsce-3p80Pd1LqVyqzsKg7ZPlHHmTbvPigJk-UWnWQ7PPXJKqSz_CPLu-Eg0XC4NECtlUbo_wGILRj3DKLY9-KO2Y5NB7bkT3UqR2kwOfWyzVvQcvNVDN4F7YTho-ONJAn-xo0owF9Im3NER806jjulCE7uHZYaqKxCjykvAfV_5hoC0XXfzDtJwQIhnvmjhKFvynCnpv5aT_ace4xpXQit9RRuf6_Z0\",\"tag\":\"5TnIxNdhpks9rJpSkmkeeA\"}";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void theWrapOpensWithThePractitionersAccountKeyAndIsBoundToThemAndTheEstablishment() throws Exception {
        ECKey account = ECKey.parse(PRACTITIONER_ACCOUNT);
        assertThat(java.nio.file.Files.readString(java.nio.file.Path.of("docs/e2e.md")))
                .as("the vector as docs/e2e.md prints it")
                .contains(WRAPPED);
        JsonNode envelope = JSON.readTree(WRAPPED);
        JWEObject jwe = JoseClient.parse(envelope);
        Map<?, ?> binding = (Map<?, ?>) jwe.getHeader().getCustomParam("carnet");
        assertThat(binding.get("account")).isEqualTo("establishment:" + ESTABLISHMENT);
        assertThat(binding.get("item")).isEqualTo("practitioner:" + E2eTestVectorsTest.PRACTITIONER);
        assertThat(jwe.getHeader().getKeyID()).isEqualTo(E2eTestVectorsTest.DEVICE_KID);
        jwe.decrypt(new ECDHDecrypter(account.toECPrivateKey(), JoseClient.CRITICAL));
        // The account-key vectors' plaintext: the establishment's two private keys.
        assertThat(jwe.getPayload().toBytes())
                .isEqualTo(AccountKeyClient.payload(new JoseClient.Keys(
                        ECKey.parse(ESTABLISHMENT_ENCRYPTION),
                        ECKey.parse(E2eTestVectorsTest.ACCOUNT_SIGNING_PRIVATE))));
        // Another practitioner's key opens nothing.
        assertThatThrownBy(() -> JoseClient.parse(envelope)
                        .decrypt(new ECDHDecrypter(
                                JoseClient.Keys.generate().encryption().toECPrivateKey(), JoseClient.CRITICAL)))
                .isInstanceOf(JOSEException.class);
        // The server's check: bound to this establishment and practitioner, to the practitioner's kid.
        Envelope served = new Envelope(
                envelope.get("protected").asString(),
                envelope.get("encrypted_key").asString(),
                envelope.get("iv").asString(),
                envelope.get("ciphertext").asString(),
                envelope.get("tag").asString());
        EnvelopeShape.check("envelope", served, expected(ESTABLISHMENT, E2eTestVectorsTest.PRACTITIONER));
        assertThatThrownBy(() -> EnvelopeShape.check(
                        "envelope", served, expected(UUID.randomUUID(), E2eTestVectorsTest.PRACTITIONER)))
                .isInstanceOf(UnprocessableException.class);
        assertThatThrownBy(() -> EnvelopeShape.check("envelope", served, expected(ESTABLISHMENT, UUID.randomUUID())))
                .isInstanceOf(UnprocessableException.class);
    }

    private static EnvelopeShape.Expected expected(UUID establishment, UUID practitioner) {
        return new EnvelopeShape.Expected(
                EnvelopeShape.ECDH_ES,
                E2eTestVectorsTest.DEVICE_KID,
                Bindings.ACCOUNT_KEY_CONTENT_TYPE,
                Bindings.accountBinding(
                        SubjectKind.ESTABLISHMENT,
                        establishment,
                        Bindings.recipientItem(SubjectKind.PRACTITIONER, practitioner)),
                1024);
    }
}
