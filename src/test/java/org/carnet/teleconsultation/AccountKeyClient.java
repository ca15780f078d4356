package org.carnet.teleconsultation;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDHDecrypter;
import com.nimbusds.jose.crypto.ECDHEncrypter;
import com.nimbusds.jose.crypto.PasswordBasedDecrypter;
import com.nimbusds.jose.crypto.PasswordBasedEncrypter;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * What a client does with the account key (docs/e2e.md, "Account key, devices and recovery"), with
 * nimbus-jose-jwt: device keys, the account key wrapped to a device (ECDH-ES+A256KW) and under the
 * recovery code (PBES2-HS512+A256KW), each bound to the account and its recipient. Tests only.
 */
final class AccountKeyClient {

    static final int ITERATIONS = 100_000;
    private static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private static final SecureRandom RANDOM = new SecureRandom();

    private AccountKeyClient() {}

    static ECKey newDeviceKey() {
        try {
            return new ECKeyGenerator(Curve.P_256)
                    .keyUse(KeyUse.ENCRYPTION)
                    .algorithm(JWEAlgorithm.ECDH_ES_A256KW)
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static String kid(ECKey key) {
        try {
            return key.computeThumbprint().toString();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A recovery code as the pages make it: 160 random bits, 32 base32 characters (normalised, no dashes). */
    static String newRecoveryCode() {
        StringBuilder code = new StringBuilder();
        for (int i = 0; i < 32; i++) {
            code.append(ALPHABET.charAt(RANDOM.nextInt(32)));
        }
        return code.toString();
    }

    /** The plaintext of an account-key envelope: the account's two private JWKs. */
    static byte[] payload(JoseClient.Keys account) {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("v", 1);
        value.put("encryption", privateJwk(account.encryption()));
        value.put("signing", privateJwk(account.signing()));
        return com.nimbusds.jose.util.JSONObjectUtils.toJSONString(value).getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, Object> privateJwk(ECKey key) {
        Map<String, Object> jwk = new LinkedHashMap<>();
        jwk.put("kty", "EC");
        jwk.put("crv", "P-256");
        jwk.put("x", key.getX().toString());
        jwk.put("y", key.getY().toString());
        jwk.put("d", key.getD().toString());
        return jwk;
    }

    static Map<String, Object> binding(String account, String item) {
        Map<String, Object> binding = new LinkedHashMap<>();
        binding.put("v", 1);
        binding.put("account", account);
        binding.put("kind", Bindings.ACCOUNT_KEY_KIND);
        binding.put("item", item);
        return binding;
    }

    /** The account key wrapped to a device's public key, bound to the account ({@code patient:<id>}) and device. */
    static Map<String, Object> toDevice(byte[] payload, String account, ECKey device, String boundDeviceKid) {
        try {
            JWEHeader header = new JWEHeader.Builder(JWEAlgorithm.ECDH_ES_A256KW, EncryptionMethod.A256GCM)
                    .keyID(kid(device))
                    .contentType(Bindings.ACCOUNT_KEY_CONTENT_TYPE)
                    .criticalParams(JoseClient.CRITICAL)
                    .customParam("carnet", binding(account, Bindings.deviceItem(boundDeviceKid)))
                    .build();
            JWEObject jwe = new JWEObject(header, new Payload(payload));
            jwe.encrypt(new ECDHEncrypter(device.toPublicJWK()));
            return JoseClient.flattened(jwe);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The account key wrapped under the recovery code (PBES2-HS512+A256KW, a 16-byte salt). */
    static Map<String, Object> toCode(byte[] payload, String account, String code) {
        try {
            JWEHeader header = new JWEHeader.Builder(JWEAlgorithm.PBES2_HS512_A256KW, EncryptionMethod.A256GCM)
                    .keyID(Bindings.RECOVERY_ITEM)
                    .contentType(Bindings.ACCOUNT_KEY_CONTENT_TYPE)
                    .criticalParams(JoseClient.CRITICAL)
                    .customParam("carnet", binding(account, Bindings.RECOVERY_ITEM))
                    .build();
            JWEObject jwe = new JWEObject(header, new Payload(payload));
            jwe.encrypt(new PasswordBasedEncrypter(code.getBytes(StandardCharsets.UTF_8), 16, ITERATIONS));
            return JoseClient.flattened(jwe);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Opens the account key wrapped to this device, after checking its binding. */
    static Map<String, Object> openFromDevice(JsonNode envelope, String account, ECKey device)
            throws JOSEException, ParseException {
        JWEObject jwe = JoseClient.parse(envelope);
        requireBinding(jwe.getHeader(), binding(account, Bindings.deviceItem(kid(device))));
        jwe.decrypt(new ECDHDecrypter(device.toECPrivateKey(), JoseClient.CRITICAL));
        return jwe.getPayload().toJSONObject();
    }

    /** Opens the account key wrapped under the recovery code, after checking its binding. */
    static Map<String, Object> openWithCode(JsonNode envelope, String account, String code)
            throws JOSEException, ParseException {
        JWEObject jwe = JoseClient.parse(envelope);
        requireBinding(jwe.getHeader(), binding(account, Bindings.RECOVERY_ITEM));
        jwe.decrypt(new PasswordBasedDecrypter(code.getBytes(StandardCharsets.UTF_8), JoseClient.CRITICAL));
        return jwe.getPayload().toJSONObject();
    }

    private static void requireBinding(JWEHeader header, Map<String, Object> expected) throws JOSEException {
        if (!(header.getCustomParam("carnet") instanceof Map<?, ?> given)
                || !header.getCriticalParams().equals(JoseClient.CRITICAL)
                || !given.keySet().equals(expected.keySet())
                || !String.valueOf(given.get("account")).equals(expected.get("account"))
                || !String.valueOf(given.get("kind")).equals(expected.get("kind"))
                || !String.valueOf(given.get("item")).equals(expected.get("item"))) {
            throw new JOSEException("The account key's envelope is bound to another account or recipient");
        }
    }

    /**
     * The proof that comes with a new recovery code: a compact JWS (ES256) by the account's signing key over
     * the new wraps' tags (docs/e2e.md, "A new recovery code").
     */
    static String recoveryProof(ECKey signing, String account, List<String> tags, long issuedAtSeconds) {
        try {
            Map<String, Object> payload = new java.util.LinkedHashMap<>();
            payload.put("v", 1);
            payload.put("account", account);
            payload.put("kind", Bindings.RECOVERY_REPLACEMENT_KIND);
            payload.put("tags", tags);
            payload.put("iat", issuedAtSeconds);
            com.nimbusds.jose.JWSObject jws = new com.nimbusds.jose.JWSObject(
                    new com.nimbusds.jose.JWSHeader.Builder(com.nimbusds.jose.JWSAlgorithm.ES256)
                            .keyID(signing.computeThumbprint().toString())
                            .build(),
                    new com.nimbusds.jose.Payload(payload));
            jws.sign(new com.nimbusds.jose.crypto.ECDSASigner(signing));
            return jws.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static String account(UUID patient) {
        return "patient:" + patient;
    }
}
