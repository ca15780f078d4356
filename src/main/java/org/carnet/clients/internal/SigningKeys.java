package org.carnet.clients.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.text.ParseException;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.carnet.crypto.FieldSealer;
import org.carnet.crypto.KeyOwner;
import org.carnet.crypto.SealedTable;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The EC P-384 key pair that signs access tokens (ES384), made on first start and kept in
 * {@code authorization_server_keys}: the public half as a JWK, the private half sealed by
 * {@link FieldSealer} under its own data key, so a database dump holds no usable key and every node
 * signs with the same one. Its id is fixed, so two nodes starting at once agree on one key.
 */
@Component
public class SigningKeys implements JWKSource<SecurityContext> {

    public static final SealedTable SEALED =
            SealedTable.of("authorization_server_keys", "id", KeyOwner.Type.PLATFORM, "private_key");

    /** The first (and so far only) token signing key. */
    static final UUID FIRST = UUID.fromString("0a7f0000-0000-4000-8000-000000000001");

    public static final JWSAlgorithm ALGORITHM = JWSAlgorithm.ES384;

    private final JdbcClient jdbc;
    private final FieldSealer sealer;
    private final TransactionTemplate transaction;
    private final Clock clock;
    private volatile @Nullable JWKSet keys;

    SigningKeys(JdbcClient jdbc, FieldSealer sealer, PlatformTransactionManager transactions, Clock clock) {
        this.jdbc = jdbc;
        this.sealer = sealer;
        this.transaction = new TransactionTemplate(transactions);
        this.clock = clock;
    }

    @Override
    public List<JWK> get(JWKSelector selector, @Nullable SecurityContext context) throws KeySourceException {
        return selector.select(keys());
    }

    /** The public keys, as {@code /oauth2/jwks} publishes them. */
    public JWKSet publicKeys() {
        return keys().toPublicJWKSet();
    }

    private JWKSet keys() {
        JWKSet loaded = keys;
        if (loaded == null) {
            synchronized (this) {
                loaded = keys;
                if (loaded == null) {
                    JWK key = Objects.requireNonNull(transaction.execute(status -> load()), "the signing key");
                    loaded = new JWKSet(key);
                    keys = loaded;
                }
            }
        }
        return loaded;
    }

    private JWK load() {
        if (jdbc.sql("SELECT COUNT(*) FROM authorization_server_keys WHERE id = ?")
                        .param(FIRST)
                        .query(Long.class)
                        .single()
                == 0) {
            ECKey key;
            try {
                key = new ECKeyGenerator(Curve.P_384)
                        .keyID(FIRST.toString())
                        .keyUse(KeyUse.SIGNATURE)
                        .algorithm(ALGORITHM)
                        .generate();
            } catch (JOSEException e) {
                throw new IllegalStateException("Cannot make the token signing key", e);
            }
            jdbc.sql("INSERT INTO authorization_server_keys (id, algorithm, public_jwk, private_key, created_at)"
                            + " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")
                    .param(FIRST)
                    .param(ALGORITHM.getName())
                    .param(key.toPublicJWK().toJSONString())
                    .param(sealer.seal(
                            KeyOwner.platform(FIRST), SEALED.column("private_key", FIRST), key.toJSONString()))
                    .param(ClientStore.utc(clock.instant()))
                    .update();
        }
        byte[] sealed = jdbc.sql("SELECT private_key FROM authorization_server_keys WHERE id = ?")
                .param(FIRST)
                .query(byte[].class)
                .single();
        String json = sealer.open(KeyOwner.platform(FIRST), SEALED.column("private_key", FIRST), sealed);
        try {
            return JWK.parse(Objects.requireNonNull(json, "the signing key"));
        } catch (ParseException e) {
            throw new IllegalStateException("The stored token signing key does not parse", e);
        }
    }
}
