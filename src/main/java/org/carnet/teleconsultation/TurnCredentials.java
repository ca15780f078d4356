package org.carnet.teleconsultation;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Short-lived TURN credentials for one consultation, in the TURN REST API scheme that coturn checks
 * with {@code use-auth-secret}: the username is {@code <expiry in Unix seconds>:<appointment id>}, the
 * password {@code base64(HMAC-SHA1(shared secret, username))}. coturn recomputes the HMAC and refuses an
 * expired username; Carnet stores nothing. Redacted {@code toString}.
 */
public record TurnCredentials(List<String> uris, String username, String credential, Instant expiresAt) {

    /** Issues credentials valid until {@code expiresAt} (whole seconds) for this consultation. */
    public static TurnCredentials issue(List<String> uris, String secret, UUID appointmentId, Instant expiresAt) {
        String username = expiresAt.getEpochSecond() + ":" + appointmentId;
        return new TurnCredentials(
                uris, username, password(secret, username), Instant.ofEpochSecond(expiresAt.getEpochSecond()));
    }

    /** coturn's password for a username: the HMAC-SHA1 that RFC 8489's long-term credentials expect of it. */
    static String password(String secret, String username) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is missing", e);
        }
    }

    @Override
    public String toString() {
        return "TurnCredentials[uris=" + uris + ", expiresAt=" + expiresAt + ", credential=<redacted>]";
    }
}
