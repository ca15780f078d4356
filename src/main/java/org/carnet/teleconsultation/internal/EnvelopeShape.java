package org.carnet.teleconsultation.internal;

import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.carnet.shared.InvalidRequestException;
import org.carnet.shared.UnprocessableException;
import org.carnet.teleconsultation.Envelope;
import org.jspecify.annotations.Nullable;

/**
 * What the server checks of an envelope it cannot open (docs/e2e.md, "What the server checks"): a
 * well-formed JWE in flattened JSON serialization, with exactly the expected protected header (algorithm,
 * key id, content type, and the {@code carnet} binding to its consultation, kind and item, marked
 * critical), sizes within limits. A malformed envelope is a 400; a well-formed one bound elsewhere (another
 * consultation, item or recipient key) a 422.
 */
public final class EnvelopeShape {

    /** The header parameter that binds an envelope to where it belongs. */
    public static final String BINDING = "carnet";

    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]+");
    private static final int MAX_HEADER = 2048;

    /**
     * What one envelope must be.
     *
     * @param alg {@code ECDH-ES+A256KW} for a wrapped key, {@code dir} for content under the consultation key
     * @param binding the {@code carnet} header's members: v, consultation, kind, item
     * @param maxCiphertext the largest ciphertext, in bytes
     */
    public record Expected(String alg, String kid, String cty, Map<String, Object> binding, int maxCiphertext) {
        boolean wrapsKey() {
            return ECDH_ES.equals(alg) || PBES2.equals(alg);
        }
    }

    /** A key wrapped to a recipient's P-256 key. */
    public static final String ECDH_ES = "ECDH-ES+A256KW";
    /** A key wrapped under a secret of high entropy (the recovery code), RFC 7518 §4.8. */
    public static final String PBES2 = "PBES2-HS512+A256KW";
    /** The PBES2 iteration counts accepted: the code has at least 128 bits, so the count is not its strength. */
    public static final int MIN_PBES2_COUNT = 10_000;

    public static final int MAX_PBES2_COUNT = 1_000_000;

    private EnvelopeShape() {}

    /**
     * Throws unless the envelope is what was expected.
     *
     * @return the ciphertext's bytes (its length is the plaintext's: A256GCM, no compression)
     */
    public static byte[] check(String field, Envelope envelope, Expected expected) {
        byte[] header = decode(field + ".protected", envelope.protectedHeader(), MAX_HEADER);
        decodeExactly(field + ".iv", envelope.iv(), 12);
        decodeExactly(field + ".tag", envelope.tag(), 16);
        byte[] ciphertext = decode(field + ".ciphertext", envelope.ciphertext(), expected.maxCiphertext());
        if (ciphertext.length == 0) {
            throw new InvalidRequestException(field + ".ciphertext", "must not be empty");
        }
        String encryptedKey = envelope.encryptedKey();
        if (expected.wrapsKey()) {
            if (encryptedKey == null) {
                throw new InvalidRequestException(field + ".encrypted_key", "is required for " + expected.alg());
            }
            // A 256-bit content key wrapped with AES key wrap: 40 bytes.
            decodeExactly(field + ".encrypted_key", encryptedKey, 40);
        } else if (encryptedKey != null && !encryptedKey.isEmpty()) {
            throw new InvalidRequestException(field + ".encrypted_key", "must be absent for dir");
        }
        Map<String, Object> members;
        try {
            members = JSONObjectUtils.parse(new String(header, StandardCharsets.UTF_8));
            JWEHeader.parse(members); // nimbus-jose-jwt's own reading of it
        } catch (ParseException | RuntimeException e) {
            throw new InvalidRequestException(field + ".protected", "is not a valid JWE header");
        }
        Set<String> names = ECDH_ES.equals(expected.alg())
                ? Set.of("alg", "enc", "kid", "cty", "crit", BINDING, "epk")
                : PBES2.equals(expected.alg())
                        ? Set.of("alg", "enc", "kid", "cty", "crit", BINDING, "p2s", "p2c")
                        : Set.of("alg", "enc", "kid", "cty", "crit", BINDING);
        if (!members.keySet().equals(names)) {
            throw new InvalidRequestException(
                    field + ".protected", "must hold exactly " + String.join(", ", sorted(names)));
        }
        requireEqual(field, "alg", expected.alg(), members);
        requireEqual(field, "enc", "A256GCM", members);
        requireEqual(field, "cty", expected.cty(), members);
        if (!List.of(BINDING).equals(members.get("crit"))) {
            throw new InvalidRequestException(field + ".protected", "crit must be [\"" + BINDING + "\"]");
        }
        if (ECDH_ES.equals(expected.alg())) {
            checkEphemeralKey(field, members.get("epk"));
        }
        if (PBES2.equals(expected.alg())) {
            checkSaltAndCount(field, members.get("p2s"), members.get("p2c"));
        }
        if (!(members.get(BINDING) instanceof Map<?, ?> binding) || !sameBinding(binding, expected.binding())) {
            throw new UnprocessableException("The envelope (" + field + ") is bound to another consultation, kind or"
                    + " item than this one: " + BINDING + " must be " + expected.binding());
        }
        if (!expected.kid().equals(members.get("kid"))) {
            throw new UnprocessableException(
                    "The envelope (" + field + ") is for another key than kid " + expected.kid());
        }
        return ciphertext;
    }

    private static void checkEphemeralKey(String field, @Nullable Object epk) {
        try {
            @SuppressWarnings("unchecked")
            JWK key = JWK.parse((Map<String, Object>) Objects.requireNonNull(epk));
            if (!(key instanceof ECKey ec) || !Curve.P_256.equals(ec.getCurve()) || ec.isPrivate()) {
                throw new InvalidRequestException(field + ".protected", "epk must be a public P-256 key");
            }
        } catch (ParseException | ClassCastException | NullPointerException e) {
            throw new InvalidRequestException(field + ".protected", "epk must be a public P-256 key");
        }
    }

    private static void checkSaltAndCount(String field, @Nullable Object p2s, @Nullable Object p2c) {
        if (!(p2s instanceof String salt)) {
            throw new InvalidRequestException(field + ".protected", "p2s must be base64url of 16 to 64 bytes");
        }
        if (decode(field + ".protected.p2s", salt, 64).length < 16) {
            throw new InvalidRequestException(field + ".protected", "p2s must be base64url of 16 to 64 bytes");
        }
        if (!(p2c instanceof Number count)
                || count.doubleValue() != Math.rint(count.doubleValue())
                || count.longValue() < MIN_PBES2_COUNT
                || count.longValue() > MAX_PBES2_COUNT) {
            throw new InvalidRequestException(
                    field + ".protected", "p2c must be an integer from " + MIN_PBES2_COUNT + " to " + MAX_PBES2_COUNT);
        }
    }

    private static boolean sameBinding(Map<?, ?> binding, Map<String, Object> expected) {
        if (!binding.keySet().equals(expected.keySet())) {
            return false;
        }
        for (Map.Entry<String, Object> member : expected.entrySet()) {
            Object value = binding.get(member.getKey());
            boolean same = member.getValue() instanceof Number number
                    ? value instanceof Number given && given.doubleValue() == number.doubleValue()
                    : member.getValue().equals(value);
            if (!same) {
                return false;
            }
        }
        return true;
    }

    private static void requireEqual(String field, String name, String expected, Map<String, Object> members) {
        if (!expected.equals(members.get(name))) {
            throw new InvalidRequestException(field + ".protected", name + " must be " + expected);
        }
    }

    private static byte[] decodeExactly(String field, String value, int length) {
        byte[] bytes = decode(field, value, length);
        if (bytes.length != length) {
            throw new InvalidRequestException(field, "must be " + length + " bytes");
        }
        return bytes;
    }

    private static byte[] decode(String field, String value, int max) {
        // Base64url without padding; the length check before decoding keeps a huge value from being decoded.
        if (value.length() > (max * 4L + 2) / 3 || !BASE64URL.matcher(value).matches()) {
            throw new InvalidRequestException(field, "must be base64url (no padding), at most " + max + " bytes");
        }
        try {
            return Base64.getUrlDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(field, "must be base64url (no padding)");
        }
    }

    private static List<String> sorted(Set<String> names) {
        return names.stream().sorted().toList();
    }
}
