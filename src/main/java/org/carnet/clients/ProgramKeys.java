package org.carnet.clients;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import java.net.URI;
import java.text.ParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.carnet.shared.InvalidRequestException;
import org.jspecify.annotations.Nullable;

/**
 * A program's public keys: the JWK Set it registered, or the JWKS URL where it publishes them (its key
 * server, which Carnet reads when it checks an assertion, so the program can rotate its keys itself).
 * Either way only EC P-384 keys (for ES384) and RSA keys of at least 2048 bits (for RS384), each with a
 * distinct {@code kid}, and never a private key. Its client assertions must be signed by one of them.
 */
public final class ProgramKeys {

    public static final int MAX_KEYS = 10;
    public static final int MAX_JSON = 16 * 1024;
    private static final int MIN_RSA_BITS = 2048;

    private final @Nullable JWKSet keys;
    private final @Nullable URI uri;

    private ProgramKeys(@Nullable JWKSet keys, @Nullable URI uri) {
        if ((keys == null) == (uri == null)) {
            throw new IllegalArgumentException("A program's keys are a JWK Set or a JWKS URL, exactly one");
        }
        this.keys = keys;
        this.uri = uri;
    }

    /** Keys the program publishes at this URL (checked for where it may point before). */
    public static ProgramKeys at(URI jwksUri) {
        return new ProgramKeys(null, jwksUri);
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

    /** Reads what Carnet stored after checking it: a JWK Set, or else a JWKS URL. */
    public static ProgramKeys stored(@Nullable String json, @Nullable String jwksUri) {
        if (json == null) {
            return at(URI.create(Objects.requireNonNull(jwksUri, "jwks_uri")));
        }
        try {
            return checked(JWKSet.parse(json));
        } catch (ParseException e) {
            throw new IllegalStateException("A stored JWK Set does not parse", e);
        }
    }

    /**
     * Checks a JWK Set served at a program's JWKS URL by the same rules as a registered one.
     *
     * @throws InvalidRequestException on field {@code jwks} for anything else than the keys above
     */
    public static JWKSet served(JWKSet set) {
        return Objects.requireNonNull(checked(set).keys);
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
        return new ProgramKeys(new JWKSet(keys), null);
    }

    private static void requireAlgorithm(JWK key, JWSAlgorithm algorithm) {
        if (key.getAlgorithm() != null && !algorithm.equals(key.getAlgorithm())) {
            throw new InvalidRequestException("jwks", "a key's alg must be " + algorithm + " when given");
        }
    }

    /** The registered keys, public only; null when the program publishes them at {@link #uri()}. */
    public @Nullable JWKSet set() {
        return keys;
    }

    /** Where the program publishes its keys; null when it registered them. */
    public @Nullable URI uri() {
        return uri;
    }

    /** The JSON to store (public keys only); null for keys at a URL. */
    public @Nullable String json() {
        return keys == null ? null : keys.toString(true);
    }

    /** The registered keys' ids, for showing (none for keys at a URL: they change there). */
    public List<String> keyIds() {
        if (keys == null) {
            return List.of();
        }
        return keys.getKeys().stream()
                .map(JWK::getKeyID)
                .map(Objects::requireNonNull)
                .toList();
    }
}
