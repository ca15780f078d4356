package org.carnet.teleconsultation;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.carnet.shared.ForbiddenException;

/**
 * The proof that comes with a new recovery code (docs/e2e.md, "A new recovery code"): a compact JWS, ES256,
 * by the signing key of the account's current directory entry (its {@code kid}), over {@code {"v":1,
 * "account":"<kind>:<id>","kind":"recovery-replacement","tags":[…],"iat":<seconds>}}, where {@code tags} are
 * the new recovery wraps' tags in order. Only a device that holds the account key can make it; it is bound to
 * these wraps, and stale after {@link #WINDOW}.
 */
final class RecoveryProof {

    /** How far a proof's {@code iat} may be from the server's clock, either way. */
    static final Duration WINDOW = Duration.ofMinutes(5);

    private RecoveryProof() {}

    static void check(
            String proof, KeyDirectoryEntry current, String account, List<AccountKeys.Wrap> wraps, Instant now) {
        try {
            JWSObject jws = JWSObject.parse(proof);
            ECKey key = ECKey.parse(current.signingJwk());
            Map<String, Object> payload = jws.getPayload().toJSONObject();
            List<String> tags = wraps.stream().map(w -> w.envelope().tag()).toList();
            boolean valid = JWSAlgorithm.ES256.equals(jws.getHeader().getAlgorithm())
                    && current.signingKid().equals(jws.getHeader().getKeyID())
                    && jws.getHeader().getCriticalParams() == null
                    && payload != null
                    && payload.get("v") instanceof Number v
                    && v.intValue() == 1
                    && account.equals(payload.get("account"))
                    && Bindings.RECOVERY_REPLACEMENT_KIND.equals(payload.get("kind"))
                    && tags.equals(payload.get("tags"))
                    && payload.get("iat") instanceof Number iat
                    && Math.abs(iat.longValue() - now.getEpochSecond()) <= WINDOW.toSeconds()
                    && jws.verify(new ECDSAVerifier(key));
            if (!valid) {
                throw refused();
            }
        } catch (ParseException | JOSEException | ClassCastException e) {
            throw refused();
        }
    }

    private static ForbiddenException refused() {
        return new ForbiddenException(
                "no-account-key-proof",
                "The proof is not a signature by this account's current signing key over these recovery wraps,"
                        + " made just now: only a device that holds the account key can replace the recovery code");
    }
}
