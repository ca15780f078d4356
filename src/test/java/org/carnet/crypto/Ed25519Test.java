package org.carnet.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import org.junit.jupiter.api.Test;

/** Carnet's Ed25519 signatures are the JDK's, bit for bit, and each side verifies the other's. */
class Ed25519Test {

    private static final byte[] DOMAIN = "carnet-test-domain".getBytes(StandardCharsets.UTF_8);
    private static final byte[] MESSAGE = "chain head 42".getBytes(StandardCharsets.UTF_8);

    @Test
    void signsTheConcatenatedPartsExactlyAsTheJdkDoes() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Signature jdk = Signature.getInstance("Ed25519");
        jdk.initSign(pair.getPrivate());
        jdk.update(DOMAIN);
        jdk.update(MESSAGE);

        byte[] ours = Ed25519.sign(pair.getPrivate(), DOMAIN, MESSAGE);

        assertThat(ours).isEqualTo(jdk.sign());
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(pair.getPublic());
        verifier.update(DOMAIN);
        verifier.update(MESSAGE);
        assertThat(verifier.verify(ours)).isTrue();
    }

    @Test
    void verifiesTheJdksSignaturesAndRefusesAnyChange() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Signature jdk = Signature.getInstance("Ed25519");
        jdk.initSign(pair.getPrivate());
        jdk.update(MESSAGE);
        byte[] signature = jdk.sign();

        assertThat(Ed25519.verify(pair.getPublic(), signature, MESSAGE)).isTrue();

        byte[] changed = signature.clone();
        changed[10] ^= 1;
        assertThat(Ed25519.verify(pair.getPublic(), changed, MESSAGE)).isFalse();
        assertThat(Ed25519.verify(pair.getPublic(), signature, DOMAIN, MESSAGE)).isFalse();
        assertThat(Ed25519.verify(pair.getPublic(), new byte[3], MESSAGE)).isFalse();
        KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        assertThat(Ed25519.verify(other.getPublic(), signature, MESSAGE)).isFalse();
    }
}
