package org.carnet.teleconsultation;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.carnet.shared.InvalidRequestException;
import org.carnet.shared.UnprocessableException;
import org.carnet.teleconsultation.internal.EnvelopeShape;
import org.carnet.teleconsultation.internal.PublicJwks;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The server's shape check on the answers vector of docs/e2e.md, and on that vector broken one way at a time. */
class EnvelopeShapeTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void theVectorPasses() {
        assertThatCode(() -> check(answers())).doesNotThrowAnyException();
    }

    @Test
    void aHeaderWithAnotherMemberOrValueIsMalformed() {
        for (Consumer<Map<String, Object>> change : java.util.List.<Consumer<Map<String, Object>>>of(
                h -> h.put("apu", "QQ"),
                h -> h.put("zip", "DEF"),
                h -> h.put("enc", "A128GCM"),
                h -> h.put("alg", "A256KW"),
                h -> h.put("cty", "text/plain"),
                h -> h.remove("crit"),
                h -> h.put("crit", java.util.List.of("other")),
                h -> h.remove("carnet"))) {
            Map<String, Object> header = header();
            change.accept(header);
            assertThatThrownBy(() -> check(withHeader(header))).isInstanceOf(InvalidRequestException.class);
        }
    }

    @Test
    void aBindingToAnotherPlaceIsUnprocessable() {
        for (Consumer<Map<String, Object>> change : java.util.List.<Consumer<Map<String, Object>>>of(
                b -> b.put("item", "another"),
                b -> b.put("kind", "message"),
                b -> b.put("consultation", "00000000-0000-0000-0000-000000000000"),
                b -> b.put("v", 2),
                b -> b.put("extra", "x"))) {
            Map<String, Object> header = header();
            @SuppressWarnings("unchecked")
            Map<String, Object> binding = new LinkedHashMap<>((Map<String, Object>) header.get("carnet"));
            change.accept(binding);
            header.put("carnet", binding);
            assertThatThrownBy(() -> check(withHeader(header))).isInstanceOf(UnprocessableException.class);
        }
    }

    @Test
    void wrongSizesAndEncodingsAreMalformed() {
        Envelope good = answers();
        for (Envelope bad : java.util.List.of(
                new Envelope(good.protectedHeader(), null, "AAAA", good.ciphertext(), good.tag()),
                new Envelope(good.protectedHeader(), null, good.iv(), good.ciphertext(), "AAAA"),
                new Envelope(good.protectedHeader(), "AAAA", good.iv(), good.ciphertext(), good.tag()),
                new Envelope(good.protectedHeader(), null, good.iv(), good.ciphertext() + "=", good.tag()),
                new Envelope(good.protectedHeader(), null, good.iv(), "A".repeat(200_000), good.tag()),
                new Envelope("not base64!", null, good.iv(), good.ciphertext(), good.tag()))) {
            assertThatThrownBy(() -> check(bad)).isInstanceOf(InvalidRequestException.class);
        }
    }

    @Test
    void aPublishedKeyOffTheCurveOrPrivateIsRefused() throws Exception {
        Map<String, Object> jwk = JSONObjectUtils.parse(E2eTestVectorsTest.RECIPIENT_CANONICAL);
        assertThatCode(() -> PublicJwks.encryption("k", jwk)).doesNotThrowAnyException();
        Map<String, Object> offCurve = new LinkedHashMap<>(jwk);
        offCurve.put("y", jwk.get("x"));
        offCurve.remove("kid");
        assertThatThrownBy(() -> PublicJwks.encryption("k", offCurve)).isInstanceOf(InvalidRequestException.class);
        Map<String, Object> signing = new LinkedHashMap<>(jwk);
        assertThatThrownBy(() -> PublicJwks.signing("k", signing))
                .as("alg ECDH-ES+A256KW is not a signing key")
                .isInstanceOf(InvalidRequestException.class);
        Map<String, Object> otherKid = new LinkedHashMap<>(jwk);
        otherKid.put("kid", "mine");
        assertThatThrownBy(() -> PublicJwks.encryption("k", otherKid)).isInstanceOf(InvalidRequestException.class);
    }

    private static void check(Envelope envelope) {
        EnvelopeShape.check(
                "envelope",
                envelope,
                new EnvelopeShape.Expected(
                        "dir",
                        Bindings.consultationKeyId(E2eTestVectorsTest.APPOINTMENT),
                        Bindings.ANSWERS_CONTENT_TYPE,
                        Bindings.binding(
                                E2eTestVectorsTest.APPOINTMENT,
                                Bindings.ANSWERS_KIND,
                                E2eTestVectorsTest.ITEM.toString()),
                        QuestionnaireAnswers.MAX_CIPHERTEXT));
    }

    private static Envelope answers() {
        JsonNode jwe = JSON.readTree(E2eTestVectorsTest.ANSWERS);
        return new Envelope(
                jwe.get("protected").asString(),
                null,
                jwe.get("iv").asString(),
                jwe.get("ciphertext").asString(),
                jwe.get("tag").asString());
    }

    private static Map<String, Object> header() {
        try {
            return new LinkedHashMap<>(JSONObjectUtils.parse(
                    new String(Base64.getUrlDecoder().decode(answers().protectedHeader()), StandardCharsets.UTF_8)));
        } catch (java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Envelope withHeader(Map<String, Object> header) {
        Envelope good = answers();
        String encoded = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(JSONObjectUtils.toJSONString(header).getBytes(StandardCharsets.UTF_8));
        return new Envelope(encoded, null, good.iv(), good.ciphertext(), good.tag());
    }
}
