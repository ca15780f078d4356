package org.carnet.teleconsultation.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import java.text.ParseException;
import java.util.Map;
import java.util.Set;
import org.carnet.shared.InvalidRequestException;

/**
 * The public keys a user or establishment may publish: P-256 EC JWKs without private part, one for
 * {@code ECDH-ES+A256KW} (wrapping) and one for {@code ES256} (signing). nimbus-jose-jwt parses them and
 * refuses points off the curve; Carnet keeps them in one canonical form (docs/e2e.md).
 */
public final class PublicJwks {

    /** What a wrapping key is for. */
    public static final String WRAP_ALG = "ECDH-ES+A256KW";

    /** What a signing key is for. */
    public static final String SIGN_ALG = "ES256";

    private static final Set<String> ALLOWED_MEMBERS = Set.of("kty", "crv", "x", "y", "alg", "use", "kid", "key_ops");

    /** A published key: its canonical JSON and its RFC 7638 thumbprint (its {@code kid}). */
    public record Canonical(String json, String kid) {}

    private PublicJwks() {}

    /** The wrapping key, canonical; a clear 400 for anything else. */
    public static Canonical encryption(String field, Map<String, Object> jwk) {
        return canonical(field, jwk, WRAP_ALG, "enc");
    }

    /** The signing key, canonical; a clear 400 for anything else. */
    public static Canonical signing(String field, Map<String, Object> jwk) {
        return canonical(field, jwk, SIGN_ALG, "sig");
    }

    /** Parses a stored canonical key. */
    public static ECKey parse(String json) {
        try {
            return ECKey.parse(json);
        } catch (ParseException e) {
            throw new IllegalStateException("A stored key does not parse", e);
        }
    }

    private static Canonical canonical(String field, Map<String, Object> members, String alg, String use) {
        if (!ALLOWED_MEMBERS.containsAll(members.keySet())) {
            throw new InvalidRequestException(
                    field, "must be a public JWK (kty, crv, x, y and optionally alg, use, kid): no other member");
        }
        JWK jwk;
        try {
            jwk = JWK.parse(members);
        } catch (ParseException | RuntimeException e) {
            throw new InvalidRequestException(field, "is not a valid JWK, or its point is not on the curve");
        }
        if (!(jwk instanceof ECKey ec) || !Curve.P_256.equals(ec.getCurve())) {
            throw new InvalidRequestException(field, "must be an EC key on P-256");
        }
        if (ec.isPrivate()) {
            throw new InvalidRequestException(field, "must hold the public key only (no \"d\")");
        }
        if (members.containsKey("alg") && !alg.equals(members.get("alg"))) {
            throw new InvalidRequestException(field, "must have alg " + alg);
        }
        if (members.containsKey("use") && !use.equals(members.get("use"))) {
            throw new InvalidRequestException(field, "must have use " + use);
        }
        String kid;
        try {
            kid = ec.computeThumbprint().toString();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        if (members.containsKey("kid") && !kid.equals(members.get("kid"))) {
            throw new InvalidRequestException(field, "kid must be the key's RFC 7638 SHA-256 thumbprint, or absent");
        }
        // Members in lexicographic order, no white space; every value is ASCII without escapes.
        String json = "{\"alg\":\"" + alg + "\",\"crv\":\"P-256\",\"kid\":\"" + kid + "\",\"kty\":\"EC\",\"use\":\""
                + use + "\",\"x\":\"" + ec.getX() + "\",\"y\":\"" + ec.getY() + "\"}";
        return new Canonical(json, kid);
    }
}
