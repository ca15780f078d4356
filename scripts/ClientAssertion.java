// A SMART Backend Services client assertion (RFC 7523) for a Carnet program, signed ES384 with its
// private key: JDK only, run as a single source file (Java 17+):
//
//   java scripts/ClientAssertion.java [program-directory] [token-endpoint]
//
// program-directory holds private-key.pem (PKCS#8, EC P-384), key-id and client-id, as the demo
// program's ./data/demo-program/ does (the defaults: ./data/demo-program, http://localhost:8080/oauth2/token).
// Prints the assertion (valid 4 minutes, used once) and nothing else; never prints the key.

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

public class ClientAssertion {

    public static void main(String[] args) throws Exception {
        Path directory = Path.of(args.length > 0 ? args[0] : "data/demo-program");
        String audience = args.length > 1 ? args[1] : "http://localhost:8080/oauth2/token";
        String clientId = Files.readString(directory.resolve("client-id")).strip();
        String keyId = Files.readString(directory.resolve("key-id")).strip();
        String pem = Files.readString(directory.resolve("private-key.pem"))
                .replace("-----BEGIN PRIVATE KEY-----", "")
                .replace("-----END PRIVATE KEY-----", "")
                .replaceAll("\\s", "");
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));

        long now = Instant.now().getEpochSecond();
        String header = "{\"alg\":\"ES384\",\"typ\":\"JWT\",\"kid\":\"" + json(keyId) + "\"}";
        String claims = "{\"iss\":\"" + json(clientId) + "\",\"sub\":\"" + json(clientId) + "\",\"aud\":\""
                + json(audience) + "\",\"iat\":" + now + ",\"exp\":" + (now + 240) + ",\"jti\":\"" + UUID.randomUUID()
                + "\"}";
        String signingInput = base64url(header.getBytes(StandardCharsets.UTF_8)) + "."
                + base64url(claims.getBytes(StandardCharsets.UTF_8));
        // JWS wants R || S (96 bytes for P-384), which is the JDK's P1363 format, not DER.
        Signature signer = Signature.getInstance("SHA384withECDSAinP1363Format");
        signer.initSign(key);
        signer.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        System.out.println(signingInput + "." + base64url(signer.sign()));
    }

    private static String base64url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Ids and URLs carry no quote or backslash; refuse rather than escape. */
    private static String json(String value) {
        if (value.chars().anyMatch(c -> c == '"' || c == '\\' || c < 0x20)) {
            throw new IllegalArgumentException("unexpected character in an id or URL");
        }
        return value;
    }
}
