package org.carnet.clients;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import java.text.ParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.carnet.shared.InvalidRequestException;

/**
 * A program's public keys, as the JWK Set it registered: only EC P-384 keys (for ES384) and RSA keys
 * of at least 2048 bits (for RS384), each with a distinct {@code kid}, and never a private key. Its
 * client assertions must be signed by one of them.
 */
public final class ProgramKeys {

    public static final int MAX_KEYS = 10;
    public static final int MAX_JSON = 16 * 1024;
    private static final int MIN_RSA_BITS = 2048;

    private final JWKSet keys;

    private ProgramKeys(JWKSet keys) {
        this.keys = keys;
    }

    /**
     * Checks a JWK Set given as JSON members.
     *
     * @throws InvalidRequestException on field {@code jwks} for anything else than the keys above
     */
    public static ProgramKeys of(Map<String, Object> jwks) {
        JWKSet set;
        try {
            set = JWKSet.parse(jwks);
        } catch (ParseException | RuntimeException e) {
            throw new InvalidRequestException("jwks", "must be a JWK Set ({\"keys\": [...]})");
        }
        return checked(set);
    }

    /** Reads a JWK Set that Carnet stored after checking it. */
    public static ProgramKeys stored(String json) {
        try {
            return checked(JWKSet.parse(json));
        } catch (ParseException e) {
            throw new IllegalStateException("A stored JWK Set does not parse", e);
        }
    }

    private static ProgramKeys checked(JWKSet set) {
        List<JWK> keys = set.getKeys();
        if (keys.isEmpty() || keys.size() > MAX_KEYS) {
            throw new InvalidRequestException("jwks", "must hold between 1 and " + MAX_KEYS + " keys");
        }
        Set<String> ids = new HashSet<>();
        for (JWK key : keys) {
            if (key.isPrivate()) {
                throw new InvalidRequestException(
                        "jwks",
                        "must hold public keys only: a private key was sent, replace it, it is no longer secret");
            }
            if (key.getKeyID() == null
                    || key.getKeyID().isBlank()
                    || key.getKeyID().length() > 100) {
                throw new InvalidRequestException("jwks", "every key needs a kid (at most 100 characters)");
            }
            if (!ids.add(key.getKeyID())) {
                throw new InvalidRequestException("jwks", "two keys have the same kid");
            }
            if (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse())) {
                throw new InvalidRequestException("jwks", "a key's use must be sig");
            }
            if (key instanceof ECKey ec) {
                if (!Curve.P_384.equals(ec.getCurve())) {
                    throw new InvalidRequestException("jwks", "EC keys must be on P-384 (ES384)");
                }
                requireAlgorithm(key, JWSAlgorithm.ES384);
            } else if (key instanceof RSAKey rsa) {
                if (rsa.size() < MIN_RSA_BITS) {
                    throw new InvalidRequestException("jwks", "RSA keys must have at least 2048 bits (RS384)");
                }
                requireAlgorithm(key, JWSAlgorithm.RS384);
            } else {
                throw new InvalidRequestException("jwks", "only EC P-384 (ES384) and RSA (RS384) keys are accepted");
            }
        }
        return new ProgramKeys(new JWKSet(keys));
    }

    private static void requireAlgorithm(JWK key, JWSAlgorithm algorithm) {
        if (key.getAlgorithm() != null && !algorithm.equals(key.getAlgorithm())) {
            throw new InvalidRequestException("jwks", "a key's alg must be " + algorithm + " when given");
        }
    }

    /** The keys, public only. */
    public JWKSet set() {
        return keys;
    }

    /** The JSON to store (public keys only). */
    public String json() {
        return keys.toString(true);
    }

    /** The keys' ids, for showing. */
    public List<String> keyIds() {
        return keys.getKeys().stream()
                .map(JWK::getKeyID)
                .map(Objects::requireNonNull)
                .toList();
    }
}
